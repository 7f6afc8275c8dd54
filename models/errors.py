"""Errors raised by the data layer, each carrying a message a person can read."""

from datetime import date
from decimal import Decimal

from errors import ProbonoError


class DataError(ProbonoError):
    """Base of the errors of data: what is asked for does not exist, collides or breaks a rule."""


class NotFound(DataError):
    """A requested record does not exist (or is not visible to the caller)."""


class Conflict(DataError):
    """The change collides with existing data (a duplicate, a stale state)."""


class InvalidData(DataError):
    """Input that breaks a rule of the domain (a level outside its range, an unknown code).

    `field` names the offending input field when there is one, so that an import can report
    the row, the field and the reason.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TooManyHours(InvalidData):
    """More hours than a day holds, for one day of one mission."""

    def __init__(self, message: str, *, logged: Decimal, left: Decimal, day: date) -> None:
        super().__init__(message, field="hours")
        self.logged, self.left, self.day = logged, left, day
