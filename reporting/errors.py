"""Errors of the reports: valuation rules that cannot be read, a cost file's bad line."""

from errors import ProbonoError


class ReportingError(ProbonoError):
    """Base of every error raised by `reporting`."""
