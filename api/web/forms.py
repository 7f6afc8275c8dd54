"""Reading forms: the CSRF check, the fields, and the errors to show beside each field in the
person's language."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from api.deps import settings_of
from api.web import security
from api.web.i18n import _


@dataclass
class Form:
    """A posted form: its values (to show again) and the errors found, by field."""

    values: dict[str, Any]
    lists: dict[str, list[str]]
    errors: dict[str, str] = field(default_factory=dict)

    def text(self, name: str, *, required: bool = False, max_length: int = 10_000) -> str:
        value = str(self.values.get(name, "")).strip()
        if required and not value:
            self.errors[name] = _("This field is required.")
        elif len(value) > max_length:
            self.errors[name] = _("Too long: at most %(n)s characters.") % {"n": max_length}
        return value

    def integer(self, name: str, *, low: int, high: int, required: bool = True) -> int | None:
        raw = str(self.values.get(name, "")).strip()
        if not raw and not required:
            return None
        try:
            value = int(raw)
        except ValueError:
            self.errors[name] = _("Write a whole number.")
            return None
        if not low <= value <= high:
            self.errors[name] = _("Write a number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
            return None
        return value

    def day(self, name: str) -> date | None:
        raw = str(self.values.get(name, "")).strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = _("Write a date such as 2026-09-30.")
            return None

    def flag(self, name: str) -> bool:
        return name in self.values

    def many(self, name: str) -> list[str]:
        return self.lists.get(name, [])

    @property
    def ok(self) -> bool:
        return not self.errors


async def read_form(request: Request) -> Form:
    """The posted fields, once the CSRF token is checked.

    Raises:
        security.FormExpired: no valid CSRF token.
    """
    data = await request.form()
    security.check_csrf(request, settings_of(request), str(data.get("csrf") or ""))
    lists: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for key, value in data.multi_items():
        if key == "csrf":
            continue
        lists.setdefault(key, []).append(value if isinstance(value, str) else "")
        values[key] = value
    return Form(values, lists)


def validation_errors(exc: ValidationError, names: dict[str, str] | None = None) -> dict[str, str]:
    """Pydantic's errors by form field, in the person's language where we know the rule."""
    found: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        location = str(error["loc"][0]) if error["loc"] else "form"
        name = (names or {}).get(location, location)
        found.setdefault(name, _describe(error))
    return found


def _describe(error: Any) -> str:
    kind = error.get("type", "")
    if kind in ("missing", "string_too_short"):
        return _("This field is required.")
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _("Write a valid email address, such as name@example.org.")
    if kind.startswith(("int_", "greater_than", "less_than")):
        return _("Write a number in the range allowed.")
    return str(error.get("msg", kind))
