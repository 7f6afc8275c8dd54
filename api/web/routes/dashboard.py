"""The engagement dashboard of a company's or foundation's managers: the programme's figures
over a period, with charts, breakdowns, competences transferred, the valuation, and the
exports — the same report the API and `probono report` give."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from api.deps import SessionDep, settings_of
from api.routes.reports import download
from api.routes.reports import period as report_period
from api.web import i18n, security
from api.web.deps import ViewerDep
from api.web.i18n import _
from api.web.pages import redirect, render
from models import InvalidData
from reporting import access, charts, exports, figures, labels

router = APIRouter(include_in_schema=False)
Day = Annotated[date | None, Query()]
_CHARTS = {
    "hours": (charts.hours_by_association, "chart_hours", "unit_hours"),
    "competences": (charts.competences_by_area, "chart_competences", "unit_assessments"),
    "months": (charts.hours_by_month, "chart_months", "unit_hours"),
}


def _report(
    request: Request,
    session: Session,
    viewer: security.Viewer,
    slug: str,
    start: date | None,
    end: date | None,
) -> figures.Report:
    actor = security.require(viewer, request)
    access.readable_programme(session, actor, slug)
    return figures.build(
        session, settings_of(request), slug, report_period(start, end), i18n.current.get()
    )


@router.get("/programmes")
def programmes(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = security.require(viewer, request)
    found = access.programmes_of(session, actor)
    if len(found) == 1:
        return RedirectResponse(f"/programme/{found[0].slug}", status_code=303)
    return render(request, "programmes.html", viewer, {"programmes": found})


def _for_people(tables: dict[str, exports.Table], words: dict[str, str]) -> dict[str, Any]:
    """The report's tables as a page shows them: months by their names ("novembre 2026"),
    frameworks by theirs, e-CF levels as their codes (the files keep the raw values)."""
    header, rows = tables[words["by_month"]]
    tables[words["by_month"]] = (header, [[i18n.month(m), *rest] for m, *rest in rows])
    header, rows = tables[words["competences"]]
    tables[words["competences"]] = (
        header,
        [
            [
                _FRAMEWORK_NAMES.get(f, f),
                code,
                title,
                area,
                f"e-{lv}" if lv and f == "ecf-4.0" else lv,
                n,
            ]
            for f, code, title, area, lv, n in rows
        ],
    )
    return tables


_FRAMEWORK_NAMES = {"ecf-4.0": "e-CF 4.0", "digcomp-2.2": "DigComp 2.2"}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@router.get("/programme/{slug}")
def dashboard(
    slug: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> Response:
    # A period typed wrong brings the manager back to the dashboard, told why in their
    # language, rather than to an error page.
    try:
        first, last = _day(start), _day(end)
    except ValueError:
        return redirect(
            request,
            f"/programme/{slug}",
            ("error", _("Write each date as a day, such as 2026-01-31.")),
        )
    try:
        report = _report(request, session, viewer, slug, first, last)
    except InvalidData:
        return redirect(
            request,
            f"/programme/{slug}",
            ("error", _("The period ends before it starts: choose a last day after the first.")),
        )
    words = labels.LABELS[i18n.current.get()]
    query = f"from={report.period.start.isoformat()}&to={report.period.end.isoformat()}"
    return render(
        request,
        "dashboard.html",
        viewer,
        {
            "report": report,
            "words": words,
            "summary": exports.summary(report, words),
            "notes": exports.notes(report, words),
            "query": query,
            "tables": _for_people(exports.tables(report, words, spreadsheet=False), words),
            "money": exports.money_columns(words),
            "valuation_sources": sorted(
                {(y.rule.name, y.rule.source) for y in report.valuation.years.values()}
            ),
            "others": access.programmes_of(session, security.require(viewer, request)),
        },
    )


@router.get("/programme/{slug}/chart/{name}.png")
def chart(
    slug: str,
    name: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    if name not in _CHARTS:
        return Response(status_code=404)
    report = _report(request, session, viewer, slug, start, end)
    draw, title, unit = _CHARTS[name]
    words = labels.LABELS[i18n.current.get()]
    return Response(draw(report, words[title], words[unit]), media_type="image/png")


@router.get("/programme/{slug}/export.{fmt}")
def export(
    slug: str,
    fmt: Literal["csv", "json", "xlsx"],
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    report = _report(request, session, viewer, slug, start, end)
    return download(report, fmt, i18n.current.get())
