"""Use-cases shared by the API and the CLI: the only layer that commits.

Grouped by concern: `people/` (accounts, profiles, associations, transfer, retention),
`ranking/` (ranking, the vector pool, encoding, inference), `credentials/` (issuance, issuers,
publication, verification), `reference/` (the frameworks), `demo/` (the demo data set); the
mission workflow, backups, actors and the process's runtime at the root.
"""
