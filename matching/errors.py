"""Errors of the matching domain."""

from errors import ProbonoError


class MatchingError(ProbonoError):
    """Base of every error raised by `matching`."""


class ReferenceDataError(MatchingError):
    """A reference data file is missing, malformed or inconsistent."""


class LevelOutOfRange(MatchingError):
    """A level outside the range a competence allows (e.g. A.1 at e-2)."""
