"""One mission's page, for its volunteer and for its association: the state, the hours, and
the actions each side can take now (accept or decline with a reason, start, log or review
hours, confirm completion with the assessment of each competence, endorse, revoke)."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import EmbedderDep, Id, SessionDep, settings_of
from api.web import security, words
from api.web.deps import ViewerDep
from api.web.forms import read_form
from api.web.i18n import _, day, number, typed_number
from api.web.pages import redirect, render
from api.web.routes import call_web
from models import (
    MESSAGE_LENGTH,
    ClaimSource,
    Conflict,
    DataError,
    EndReason,
    HoursStatus,
    InvalidData,
    Mission,
    MissionStatus,
    Need,
    NotFound,
    Organisation,
    TooManyHours,
    persisted_id,
    queries,
    utcnow,
)
from services import runtime, workflow
from services.actors import Actor
from services.credentials import issuance
from services.errors import AccessError
from services.notifications import conversation
from services.people import applicant, profiles
from services.records import CompetenceRef

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class MissionView:
    mission: Mission
    need: Need
    association: Organisation
    volunteer_name: str
    status: str


def mission_view(session: Session, mission: Mission) -> MissionView:
    need = queries.profiles.get_need(session, mission.need_id)
    association = queries.credentials.organisations_by_id(session, [need.organisation_id])
    profile = queries.profiles.get_profile(session, mission.volunteer_id)
    account = queries.organisations.account_by_id(session, profile.account_id)
    return MissionView(
        mission,
        need,
        association[need.organisation_id],
        account.display_name if account else "—",
        words.mission_status(mission.status),
    )


def _side(view: MissionView, actor: Actor) -> str:
    if actor.profile_id == view.mission.volunteer_id:
        return "volunteer"
    if view.need.organisation_id in actor.associations:
        return "association"
    return "other"


def _assessment_rows(session: Session, view: MissionView) -> list[dict[str, Any]]:
    """The competences to assess: those the association stated for the need (else those read
    from its text), at the level asked; the association changes what it observed."""
    competences = words.Competences(session)
    need_id = persisted_id(view.need.id)
    rows = []
    stated = queries.profiles.need_requirements(session, [need_id], profiles.STATED).get(need_id)
    inferred = queries.profiles.need_requirements(session, [need_id], [ClaimSource.INFERRED])
    for framework_id, code, level in stated or inferred.get(need_id, []):
        if framework_id != "ecf-4.0":
            continue
        found = queries.reference.find_competence(session, framework_id, code)
        if found is None or found.level_min is None or found.level_max is None:
            continue
        rows.append(
            {
                "code": code,
                "title": competences.title("ecf", code),
                "level": level,
                "levels": [
                    (n, competences.level("ecf", n))
                    for n in range(found.level_min, found.level_max + 1)
                ],
            }
        )
    return rows


def mission_url(view: MissionView, side: str) -> str:
    """Each side opens the mission in its own space."""
    if side == "association":
        return f"/org/{view.association.slug}/missions/{view.mission.id}"
    return f"/me/missions/{view.mission.id}"


def _visible(
    session: Session, actor: Actor, mission_id: int, slug: str | None, *, reading: bool
) -> MissionView:
    """The mission, seen from the space it is opened in (the volunteer's, or the association's
    with its slug, where admins may read it too); anyone else is told it does not exist."""
    view = mission_view(session, workflow.visible_mission(session, actor, mission_id))
    side = _side(view, actor)
    if reading and side == "other" and slug == view.association.slug:
        return view  # an admin, in the association's space: reads, does not act
    if (slug is None and side != "volunteer") or (
        slug is not None and (side != "association" or view.association.slug != slug)
    ):
        raise NotFound(f"no mission {mission_id}")
    return view


@router.get("/me/missions/{mission_id}")
def volunteer_mission_page(
    mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    return _page(mission_id, None, request, session, viewer)


@router.get("/org/{slug}/missions/{mission_id}")
def association_mission_page(
    slug: str, mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    return _page(mission_id, slug, request, session, viewer)


def _page(
    mission_id: int,
    slug: str | None,
    request: Request,
    session: Session,
    viewer: security.Viewer,
) -> HTMLResponse:
    actor = security.require(viewer, request)
    view = _visible(session, actor, mission_id, slug, reading=True)
    mission = view.mission
    side = _side(view, actor)
    hours = queries.missions.hours_of(session, mission_id)
    credential = (
        queries.credentials.get_credential(session, mission.credential_id)
        if mission.credential_id
        else None
    )
    return render(
        request,
        "mission.html",
        viewer,
        {
            "view": view,
            "side": side,
            "base": mission_url(view, side),
            "hours": [(h, words.hours_status(h.status)) for h in hours],
            "approved": sum(h.hours for h in hours if h.status is HoursStatus.APPROVED),
            "reasons": words.end_reasons(),
            "assess": _assessment_rows(session, view),
            "credential": credential,
            "endorsement": (
                queries.credentials.endorsement_of(session, credential.id) if credential else None
            ),
            "messages": conversation.messages(session, actor, mission_id),
            "MESSAGE_LENGTH": MESSAGE_LENGTH,
            "call": call_web.section(session, viewer.account, mission, side),
            "today": utcnow().date().isoformat(),
            "typed": dict(request.query_params),  # a refused hours form, as it was typed
            "end_reason": words.end_reason(mission.end_reason),
            "MissionStatus": MissionStatus,
        },
    )


@router.get("/org/{slug}/missions/{mission_id}/volunteer")
def applicant_page(
    slug: str,
    mission_id: Id,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    embedder: EmbedderDep,
) -> HTMLResponse:
    """The mission's volunteer as their association sees them before answering."""
    actor = security.require(viewer, request)
    found = applicant.read(
        session, actor, mission_id, embedder=embedder, nearby=runtime.get_nearby()
    )
    if found.association.slug != slug:
        raise NotFound(f"no mission {mission_id}")
    competences = words.Competences(session)
    return render(
        request,
        "applicant.html",
        viewer,
        {
            "applicant": found,
            "base": f"/org/{slug}/missions/{mission_id}",
            "competences": [
                (competences.title(framework, code), competences.level(framework, level))
                for framework, code, level in found.competences
            ],
            "why": None if found.fit is None else words.reasons(competences, found.fit.explanation),
            "reasons": words.end_reasons(),
            "waiting": found.mission.status is MissionStatus.PROPOSED
            and found.mission.association_accepted_at is None
            and found.need.organisation_id in actor.associations,
        },
    )


@router.post("/me/missions/{mission_id}/{action}")
async def volunteer_action(
    mission_id: Id, action: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    return await _action(mission_id, None, action, request, session, viewer)


@router.post("/org/{slug}/missions/{mission_id}/{action}")
async def association_action(
    slug: str,
    mission_id: Id,
    action: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> Response:
    return await _action(mission_id, slug, action, request, session, viewer)


async def _action(
    mission_id: int,
    slug: str | None,
    action: str,
    request: Request,
    session: Session,
    viewer: security.Viewer,
) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    view = _visible(session, actor, mission_id, slug, reading=False)
    back = mission_url(view, _side(view, actor))
    settings = settings_of(request)
    try:
        message = _act(session, settings, actor, mission_id, action, form.values, form.lists)
    except (DataError, AccessError) as exc:
        session.rollback()
        if action == "hours":  # the form comes back as it was typed, with the reason
            kept = {k: str(form.values.get(k, "")) for k in ("work_date", "hours", "description")}
            back = f"{back}?{urlencode(kept)}#log-hours"
        return redirect(request, back, ("error", _explain(exc)))
    return redirect(request, back, ("ok", message))


def _explain(exc: DataError | AccessError) -> str:
    """The use-case's reason, in the person's language where the page knows it (else
    introduced in it)."""
    if isinstance(exc, TooManyHours):
        return _(
            "A day holds 24 hours at most: %(logged)s h are already logged on %(day)s, so "
            "%(left)s h at most can be added."
        ) % {"logged": number(exc.logged), "day": day(exc.day), "left": number(exc.left)}
    if isinstance(exc, InvalidData) and exc.field == "hours":
        return _("Write the hours as a number above 0 and at most 24, such as 3.5.")
    return _("That could not be done: %(why)s") % {"why": exc}


def _reason(values: dict[str, Any]) -> EndReason:
    try:
        return EndReason(str(values.get("reason", "")))
    except ValueError:
        raise Conflict("choose a reason") from None


def _complete(
    session: Session,
    settings: Any,
    actor: Actor,
    mission_id: int,
    values: dict[str, Any],
    lists: dict[str, list[str]],
) -> str:
    assessed = [
        workflow.Assessment(
            CompetenceRef(
                framework="ecf", code=code, level=int(str(values.get(f"level-{code}", "0")))
            )
        )
        for code in lists.get("assess", [])
    ]
    done = workflow.confirm_completion(session, settings, actor, mission_id, assessed)
    if done.credential is not None:
        return _("The mission is complete: its badge is issued.")
    if done.credential_waits:
        return _(
            "The mission is complete. Its badge is issued as soon as the platform has "
            "verified the association."
        )
    return _("Your confirmation is recorded: waiting for the other side.")


def _act(
    session: Session,
    settings: Any,
    actor: Actor,
    mission_id: int,
    action: str,
    values: dict[str, Any],
    lists: dict[str, list[str]],
) -> str:
    note = str(values.get("note", "")).strip()
    if action == "accept":
        workflow.accept(session, actor, mission_id)
        return _("Accepted.")
    if action in ("decline", "cancel"):
        workflow.end(session, actor, mission_id, _reason(values), note, decline=action == "decline")
        return _("Declined.") if action == "decline" else _("Cancelled.")
    if action == "start":
        workflow.start(session, actor, mission_id)
        return _("The mission has started.")
    if action == "hours":
        day = date.fromisoformat(str(values.get("work_date") or utcnow().date().isoformat()))
        workflow.log_hours(
            session,
            actor,
            mission_id,
            day,
            typed_number(str(values.get("hours", ""))),
            str(values.get("description", "")),
        )
        return _("Your hours are logged: the association will review them.")
    if action in ("approve", "reject"):
        workflow.review_hours(
            session,
            actor,
            mission_id,
            int(str(values.get("hours_id", "0"))),
            approve=action == "approve",
        )
        return _("Hours approved.") if action == "approve" else _("Hours rejected.")
    if action == "complete":
        return _complete(session, settings, actor, mission_id, values, lists)
    if action == "endorse":
        credential = workflow.credential_of(session, actor, mission_id)
        issuance.endorse(session, settings, actor, credential.id, str(values.get("comment", "")))
        return _("Your endorsement is added to the badge.")
    if action == "revoke":
        credential = workflow.credential_of(session, actor, mission_id)
        issuance.revoke(session, actor, credential.id, str(values.get("reason_text", "")))
        return _("The badge is revoked.")
    raise Conflict(f"unknown action {action!r}")
