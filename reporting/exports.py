"""A report as JSON, CSV (one long table: section, name, measure, value) or an XLSX workbook
(a sheet per breakdown, the charts on the summary). Money is rounded to the cent here, for
display, and nowhere before. Text that a spreadsheet would run as a formula (= + - @ and tab
or carriage return first) is written with a leading apostrophe."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reporting import charts
from reporting.figures import Line, Report
from reporting.labels import LABELS
from reporting.valuation import cents

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '#,##0.00 "€"'


def safe(value: Any) -> Any:
    """A cell's value, defused if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _number(value: Decimal | float | int | None) -> Any:
    if isinstance(value, Decimal):
        return float(cents(value)) if value != value.to_integral_value() else int(value)
    return value


def summary(report: Report, words: dict[str, str]) -> list[tuple[str, Any]]:
    v = report.valuation
    return [
        (words["programme"], report.programme.name),
        (words["company"], report.company),
        (words["run_by"], report.run_by),
        (
            words["period"],
            words["period_span"].format(
                start=report.period.start.isoformat(), end=report.period.end.isoformat()
            ),
        ),
        *(
            (words[k], report.missions.get(k, 0))
            for k in ("proposed", "accepted", "completed", "cancelled", "declined")
        ),
        (words["hours_declared"], report.hours_declared),
        (words["hours_approved"], report.hours_approved),
        (words["associations"], report.associations_helped),
        (words["small"], report.small_associations_helped),
        (words["engaged"], report.volunteers_engaged),
        (words["returning"], report.volunteers_returning),
        (words["credentials"], report.credentials_issued),
        (words["revoked"], report.credentials_revoked),
        (words["response_median"], _days(report.response_days_median)),
        (words["response_p90"], _days(report.response_days_p90)),
        (words["value"], cents(v.value)),
        (words["reduction"], cents(v.reduction_estimate)),
        (words["hours_without_rules"], v.hours_without_rules),
    ]


def notes(report: Report, words: dict[str, str]) -> list[str]:
    """What a reader must know to read the figures right."""
    found = [words["assessments_note"], words["salary_note"]]
    if report.valuation.without_rules:
        found.append(
            words["no_rules_note"].format(
                country=report.country,
                years=", ".join(str(y) for y in sorted(report.valuation.without_rules)),
                hours=_number(report.valuation.hours_without_rules),
            )
        )
    return found


def _same(value: Any) -> Any:
    return value


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _lines(lines: list[Line], defuse: Callable[[Any], Any]) -> list[list[Any]]:
    return [
        [
            defuse(line.name),
            line.missions_completed,
            line.hours_declared,
            line.hours_approved,
            len(line.volunteers),
        ]
        for line in lines
    ]


# Each table's columns, as keys of the labels (reporting/labels.py).
_LINE = ("name", "completed", "hours_declared", "hours_approved", "volunteers")
_MONTHS = ("month", "hours_approved")
_COMPETENCES = ("framework", "code", "title", "area", "level", "missions")
_DIGCOMP = ("association", "code", "title", "before", "after")
_VALUATION = (
    "year",
    "rule",
    "ceiling_ss",
    "cap",
    "value",
    "hours_valued",
    "hours_without_cost",
    "employees_capped",
    "estimate",
    "ceiling",
    "this_year",
    "carried",
    "source",
)
_RECEIPTS = ("association", "year", "donor", "nature", "method", "amount")
_PRESENCE = ("association", "mission", "volunteer", "day", "hours")
_CREDENTIALS = ("credential", "association", "issued", "revoked", "verify")

Table = tuple[list[str], list[list[Any]]]


def tables(report: Report, words: dict[str, str], spreadsheet: bool = True) -> dict[str, Table]:
    """Every breakdown as (header, rows); for a spreadsheet, text that could pass for a formula
    is defused."""
    defuse = safe if spreadsheet else _same
    year: Callable[[int], int | str] = int if spreadsheet else str  # a page writes no "2,025"

    def table(columns: tuple[str, ...], rows: list[list[Any]]) -> Table:
        return [words[c] for c in columns], rows

    causes = [
        replace(line, name=words.get(f"cause:{line.name}", line.name)) for line in report.by_cause
    ]
    return {
        words["by_association"]: table(_LINE, _lines(report.by_association, defuse)),
        words["by_team"]: table(_LINE, _lines(report.by_team, defuse)),
        words["by_cause"]: table(_LINE, _lines(causes, defuse)),
        words["by_month"]: table(_MONTHS, [[m, hours] for m, hours in report.hours_by_month]),
        words["competences"]: table(
            _COMPETENCES,
            [
                [c.framework, c.code, defuse(c.title), defuse(c.area), c.level, c.missions]
                for c in report.competences
            ],
        ),
        words["digcomp"]: table(
            _DIGCOMP,
            [
                [defuse(d.association), d.code, defuse(d.title), d.before, d.after]
                for d in report.digcomp
            ],
        ),
        words["valuation"]: table(_VALUATION, _valuation_rows(report, defuse, year)),
        words["receipts"]: table(_RECEIPTS, _receipt_rows(report, words, defuse, year)),
        words["presence"]: table(
            _PRESENCE,
            [
                [
                    defuse(p.association),
                    defuse(p.mission_title),
                    defuse(p.volunteer),
                    p.day,
                    p.hours,
                ]
                for p in report.presence
            ],
        ),
        words["credentials"]: table(
            _CREDENTIALS,
            [
                [c.id, defuse(c.association), c.issued_at.date(), c.revoked, c.verify_url]
                for c in report.credentials
            ],
        ),
    }


def _valuation_rows(
    report: Report, defuse: Callable[[Any], Any], year: Callable[[int], int | str]
) -> list[list[Any]]:
    """One row a year: the rule applied, the value of the donated time and the reduction."""
    return [
        [
            year(y.year),
            defuse(y.rule.name),
            cents(y.rule.social_security_ceiling),
            cents(y.rule.cost_cap),
            cents(y.value),
            y.hours_valued,
            y.hours_without_cost,
            y.employees_capped,
            cents(y.reduction_estimate),
            cents(y.ceiling),
            cents(y.reduction_this_year),
            cents(y.carried_forward),
            defuse(y.rule.source),
        ]
        for _, y in sorted(report.valuation.years.items())
    ]


def _receipt_rows(
    report: Report,
    words: dict[str, str],
    defuse: Callable[[Any], Any],
    year: Callable[[int], int | str],
) -> list[list[Any]]:
    """What each association's receipt for the donation in kind states, a year each."""
    return [
        [
            defuse(report.association_names.get(association, "?")),
            year(year_of),
            defuse(report.company),
            words["nature_text"],
            words["method_text"],
            cents(amount),
        ]
        for (association, year_of), amount in sorted(report.valuation.by_association.items())
    ]


def to_json(report: Report, language: str = "en") -> str:
    words = LABELS[language]
    found: dict[str, Any] = {"summary": dict(summary(report, words))}
    for name, (header, rows) in tables(report, words).items():
        found[name] = [dict(zip(header, row, strict=True)) for row in rows]
    found["notes"] = notes(report, words)
    return json.dumps(found, ensure_ascii=False, indent=2, default=plain)


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(cents(value)) if value != value.to_integral_value() else str(int(value))
    return str(value)


def _rows(report: Report, words: dict[str, str]) -> Iterator[list[Any]]:
    for name, value in summary(report, words):
        yield [words["summary"], "", name, plain(value) if value is not None else ""]
    for section, (header, rows) in tables(report, words).items():
        for row in rows:
            label = str(row[0])
            for column, value in zip(header[1:], row[1:], strict=True):
                yield [section, label, column, "" if value is None else plain(value)]


def to_csv(report: Report, language: str = "en") -> str:
    words = LABELS[language]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "name", "measure", "value"])
    for row in _rows(report, words):
        writer.writerow([safe(cell) for cell in row])
    return out.getvalue()


def money_columns(words: dict[str, str]) -> set[str]:
    """The names (in summary and table headers) of amounts of money."""
    return {
        words[key]
        for key in (
            "value",
            "reduction",
            "amount",
            "estimate",
            "ceiling",
            "this_year",
            "carried",
            "ceiling_ss",
            "cap",
        )
    }


def _summary_sheet(sheet: Worksheet, report: Report, words: dict[str, str]) -> None:
    sheet.title = words["summary"][:31]
    for name, value in summary(report, words):
        sheet.append([name, _number(value) if isinstance(value, Decimal) else value])
        if name in money_columns(words):
            sheet.cell(sheet.max_row, 2).number_format = MONEY_FORMAT
    sheet.append([])
    for note in notes(report, words):
        sheet.append([safe(note)])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 36
    row = 2
    for chart in (
        charts.hours_by_association(report, words["chart_hours"], words["unit_hours"]),
        charts.competences_by_area(report, words["chart_competences"], words["unit_assessments"]),
        charts.hours_by_month(report, words["chart_months"], words["unit_hours"]),
    ):
        sheet.add_image(Image(io.BytesIO(chart)), f"D{row}")
        row += 24


def to_xlsx(report: Report, language: str = "en") -> bytes:
    words = LABELS[language]
    book = Workbook()
    assert isinstance(book.active, Worksheet)
    _summary_sheet(book.active, report, words)
    bold = Font(bold=True)
    money = money_columns(words)
    for title, (header, rows) in tables(report, words).items():
        page = book.create_sheet(title[:31])
        page.append(header)
        for cell in page[1]:
            cell.font = bold
        for values in rows:
            page.append([_number(v) if isinstance(v, Decimal) else v for v in values])
        for index, name in enumerate(header, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 2)
            if name in money:
                for cell in page.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell[0].number_format = MONEY_FORMAT
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(report: Report, fmt: str, language: str = "en") -> bytes:
    """The report as a downloadable file in one of MEDIA_TYPES' formats."""
    if fmt == "xlsx":
        return to_xlsx(report, language)
    text = to_json(report, language) if fmt == "json" else to_csv(report, language)
    return text.encode("utf-8")


def filename(report: Report, fmt: str) -> str:
    return f"{report.programme.slug}-{report.period.start}-{report.period.end}.{fmt}"
