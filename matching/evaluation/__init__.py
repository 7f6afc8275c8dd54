"""`probono eval`: the engine's quality on the team's labelled sets, beside baselines computed in
the same run (docs/matching-quality.md). Pure domain code, like the rest of `matching/`."""
