"""Open Badges domain: building, signing and verifying credentials (pure code)."""

__all__: list[str] = []
