"""What each of the verifier's checks found, in the page's language: the English template the
verifier wrote (badges/report.py) translated by the catalogue, its parameters put back in."""

from datetime import datetime

from markupsafe import Markup, escape

from api.web.i18n import _, day
from badges.report import Check, Detail


def check_detail(check: Check) -> Markup:
    """The check's detail as HTML. Its parameters are the badge's content, hence escaped; an
    exception's text (`error`) is a library's English, marked as such for screen readers."""
    return Markup("; ").join(_said(d) for d in check.details)


def _said(detail: Detail) -> Markup:
    params = {name: _parameter(name, value) for name, value in detail.params.items()}
    return escape(_(detail.template)) % params  # Markup's % escapes every str parameter


def _parameter(name: str, value: str) -> Markup | str:
    if name == "error":
        return Markup('<span lang="en">%s</span>') % value
    if name == "date" or name.endswith("_date"):
        try:
            return day(datetime.fromisoformat(value))
        except ValueError:
            return value  # not a date after all: shown as the badge wrote it
    return value
