"""The root of every error the product raises on purpose.

Each concern subclasses it once (`MatchingError`, `BadgeError`, `DataError`, `AccessError`,
`SettingsError`, `ReportingError`, the web's `WebError`) and refines from there; every error
carries a message a person can read. `api/errors.py` maps them to HTTP statuses and
`cli/main.py` to exit codes, one table each. A leaf package, importable from every layer,
pure domain code included.
"""


class ProbonoError(Exception):
    """Base of every error the product raises on purpose."""
