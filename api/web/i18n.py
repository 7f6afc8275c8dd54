"""The pages' languages: French and English, from the person's choice (the `lang` cookie, set
by the language switch), else the browser's `Accept-Language`, else French. Messages come from
the Babel catalogues in `api/web/locales/` (English is the source language); dates and numbers
are formatted for the locale."""

import gettext
import re
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, format_currency, format_decimal, parse_decimal

LOCALES = ("fr", "en")
DEFAULT = "fr"
FOLDER = Path(__file__).resolve().parent / "locales"

current: ContextVar[str] = ContextVar("locale", default=DEFAULT)
# How dates and numbers are written: the language's own region unless the browser names
# another ("en-IE"); English defaults to British ways (4 December 2026), this being Europe.
REGIONS = {"fr": "fr_FR", "en": "en_GB"}
region: ContextVar[str | None] = ContextVar("region", default=None)
# The time zone instants are shown in: the reader's (their account's or profile's), else Paris.
reader_zone: ContextVar[str] = ContextVar("reader_zone", default="Europe/Paris")


def _formatting() -> str:
    """The region whose ways write the current language's dates and numbers."""
    language, chosen = current.get(), region.get()
    if chosen and chosen.startswith(language):
        return chosen
    return REGIONS.get(language, language)


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> gettext.NullTranslations:
    """The catalogue of a locale, compiled from its .po file once per process (the .po files
    are the source; nothing compiled is committed)."""
    path = FOLDER / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as file:
        catalog = read_po(file, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def negotiate(chosen: str | None, accept_language: str | None) -> str:
    if chosen in LOCALES:
        return str(chosen)
    weighted: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().split("-")[0].lower()
        if language in LOCALES:
            weighted.append((quality, language))
    return max(weighted)[1] if weighted else DEFAULT


def region_of(language: str, accept_language: str | None) -> str:
    """The browser's first region for this language that Babel knows ("en-IE" → "en_IE"),
    else the language's default region."""
    for part in (accept_language or "").split(","):
        tag = part.strip().partition(";")[0].strip().replace("-", "_")
        if tag.lower().startswith(language + "_"):
            try:
                return str(Locale.parse(tag))
            except (ValueError, LookupError):
                continue
    return REGIONS.get(language, language)


def _(message: str) -> str:
    """The message in the current request's language."""
    return translations(current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current.get()).ngettext(singular, plural, n)


def lazy(message: str) -> Callable[[], str]:
    """A message to translate later, in whatever language is current then."""
    return lambda: _(message)


def day(value: date | datetime | None) -> str:
    """A date, or an instant as the reader's clock shows it (their zone, to the minute)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(ZoneInfo(reader_zone.get())) if value.tzinfo else value
        formatting = _formatting()
        pattern = str(Locale.parse(formatting).datetime_formats["medium"])  # "{1}, {0}"
        return pattern.format(
            format_time(local, format="short", locale=formatting),
            format_date(local, format="medium", locale=formatting),
        )
    return format_date(value, format="long", locale=_formatting())


def month(text: str) -> str:
    """ "2026-11" as the language names the month ("novembre 2026"); as it is if it is none."""
    try:
        first = date.fromisoformat(f"{text}-01")
    except ValueError:
        return text
    return format_date(first, format="LLLL yyyy", locale=_formatting())


def number(value: int | float | Decimal, digits: int = 2) -> str:
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_formatting())


_HOURS_AND_MINUTES = re.compile(r"(\d{1,2})\s*h\s*(\d{1,2})?\s*(?:min)?", re.IGNORECASE)


def typed_number(text: str) -> str:
    """A number as a person typed it in the page's language ("3,5" in French), or with a
    decimal point, or hours as people write them ("2h30", "1 h"), written back as the
    use-cases read numbers ("3.5", "2.5"); what is not a number is given back as it was, for
    the use-case to refuse with its reason."""
    text = text.strip()
    clock = _HOURS_AND_MINUTES.fullmatch(text)
    if clock and int(clock.group(2) or 0) < 60:
        hours = Decimal(clock.group(1)) + Decimal(clock.group(2) or 0) / 60
        return str(hours.quantize(Decimal("0.01")).normalize())
    try:
        return str(parse_decimal(text, locale=_formatting(), strict=True))
    except NumberFormatError:
        return text


def cell(value: object, money: bool = False) -> str:
    """A table cell of a report, in the current language's way of writing it; amounts of
    money always with their cents."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if money and isinstance(value, int | float | Decimal):
        return money_text(value)
    if isinstance(value, int | float | Decimal):
        return number(value)
    if isinstance(value, date):
        return day(value)
    return str(value)


def money_text(value: int | float | Decimal, currency: str = "EUR") -> str:
    """ "457,97 €" in French, "€457.97" in English: cents always, the sign where the
    locale puts it."""
    return format_currency(value, currency, locale=_formatting())


def _folded(text: str) -> str:
    """Lower case, without accents or spaces: "Royaume-Uni" and "royaume uni" read alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in LOCALES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names[_folded(name)] = code
    return names


def country_code(text: str) -> str | None:
    """A country as people type it ("France", "belgique", "FR") as its two-letter code; None
    when it is none."""
    text = text.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _countries().get(_folded(text))


def typed_country(text: str) -> str:
    """A country as typed, written back as its code where it is one (else as typed, upper
    case, for the use-case to refuse with its reason): like `typed_number`."""
    return country_code(text) or text.strip().upper()


def language_name(code: str) -> str:
    """A language's name in the current language ("anglais" in French)."""
    return str(Locale(current.get()).languages.get(code, code))


def zone_name(zone: str) -> str:
    """A time zone as the language names its place ("heure : France", "France Time"): an
    IANA name ("America/Toronto") is English on a French page."""
    return str(get_timezone_location(ZoneInfo(zone), locale=_formatting()))


def moment(value: datetime, zone: str) -> str:
    """An instant as read in a time zone, naming the zone: "jeudi 10 décembre 2026 à 14:00
    (heure : France)"."""
    local = value.astimezone(ZoneInfo(zone))
    return _("%(day)s at %(time)s (%(zone)s)") % {
        "day": format_date(local, format="full", locale=_formatting()),
        "time": format_time(local, format="short", locale=_formatting()),
        "zone": zone_name(zone),
    }
