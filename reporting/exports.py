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


def tables(
    report: Report, words: dict[str, str], spreadsheet: bool = True
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every breakdown as (header, rows); for a spreadsheet, text that could pass for a formula
    is defused."""
    defuse = safe if spreadsheet else _same
    year: Callable[[int], int | str] = int if spreadsheet else str  # a page writes no "2,025"
    line_header = [
        words["name"],
        words["completed"],
        words["hours_declared"],
        words["hours_approved"],
        words["volunteers"],
    ]
    valuation = [
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
    receipts = [
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
    return {
        words["by_association"]: (line_header, _lines(report.by_association, defuse)),
        words["by_team"]: (line_header, _lines(report.by_team, defuse)),
        words["by_cause"]: (
            line_header,
            _lines(
                [
                    replace(line, name=words.get(f"cause:{line.name}", line.name))
                    for line in report.by_cause
                ],
                defuse,
            ),
        ),
        words["by_month"]: (
            [words["month"], words["hours_approved"]],
            [[month, hours] for month, hours in report.hours_by_month],
        ),
        words["competences"]: (
            [
                words["framework"],
                words["code"],
                words["title"],
                words["area"],
                words["level"],
                words["missions"],
            ],
            [
                [c.framework, c.code, defuse(c.title), defuse(c.area), c.level, c.missions]
                for c in report.competences
            ],
        ),
        words["digcomp"]: (
            [words["association"], words["code"], words["title"], words["before"], words["after"]],
            [
                [defuse(d.association), d.code, defuse(d.title), d.before, d.after]
                for d in report.digcomp
            ],
        ),
        words["valuation"]: (
            [
                words["year"],
                words["rule"],
                words["ceiling_ss"],
                words["cap"],
                words["value"],
                words["hours_valued"],
                words["hours_without_cost"],
                words["employees_capped"],
                words["estimate"],
                words["ceiling"],
                words["this_year"],
                words["carried"],
                words["source"],
            ],
            valuation,
        ),
        words["receipts"]: (
            [
                words["association"],
                words["year"],
                words["donor"],
                words["nature"],
                words["method"],
                words["amount"],
            ],
            receipts,
        ),
        words["presence"]: (
            [
                words["association"],
                words["mission"],
                words["volunteer"],
                words["day"],
                words["hours"],
            ],
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
        words["credentials"]: (
            [
                words["credential"],
                words["association"],
                words["issued"],
                words["revoked"],
                words["verify"],
            ],
            [
                [c.id, defuse(c.association), c.issued_at.date(), c.revoked, c.verify_url]
                for c in report.credentials
            ],
        ),
    }


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
