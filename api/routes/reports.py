"""Engagement reports for the managers of a programme: JSON, CSV or XLSX, and the company's
cost entries for the valuation."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from api.deps import ActorDep, SessionDep, SettingsDep
from models import InvalidData, NotFound, utcnow
from reporting import access, costs, exports, figures

router = APIRouter(prefix="/reports", tags=["reports"])


def period(start: date | None, end: date | None) -> figures.Period:
    today = utcnow().date()
    try:
        return figures.Period(start or date(today.year, 1, 1), end or today)
    except ValueError as exc:
        raise InvalidData(str(exc), field="to") from None


@router.get("/programmes/{slug}")
def programme_report(
    slug: str,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    start: Annotated[date | None, Query(alias="from", description="first day")] = None,
    end: Annotated[date | None, Query(alias="to", description="last day, included")] = None,
    format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
    language: Annotated[Literal["en", "fr"], Query()] = "en",
) -> Response:
    """A programme's figures over a period, the competences the associations assessed, and
    the valuation of the time given (its managers only; salaries never appear)."""
    access.readable_programme(session, actor, slug)
    report = figures.build(session, settings, slug, period(start, end), language)
    return download(report, format, language)


def download(report: figures.Report, fmt: str, language: str) -> Response:
    return Response(
        exports.render(report, fmt, language),
        media_type=exports.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{exports.filename(report, fmt)}"'},
    )


@router.put("/companies/{slug}/costs")
def import_costs(
    slug: str,
    session: SessionDep,
    actor: ActorDep,
    csv_text: Annotated[str, Body(media_type="text/csv", max_length=2_000_000)],
) -> dict[str, object]:
    """A company's pay bands, employee costs and turnover, as CSV (its managers only): every
    bad row is reported with its line, every good row kept."""
    company = costs.company_of(session, slug)
    if not (actor.is_admin or company.id in actor.managed):
        raise NotFound(f"no company {slug!r}")
    found = costs.import_costs(session, company, csv_text)
    return {
        "saved": found.saved,
        "errors": [{"line": e.line, "reason": e.reason} for e in found.errors],
    }
