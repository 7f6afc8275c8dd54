"""The volunteer's space: the profile in plain words and the competences it shows, the needs
that fit, missions, credentials, and the person's own data."""

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import EmbedderDep, Id, SessionDep, settings_of
from api.web import i18n, security, words
from api.web.deps import ViewerDep
from api.web.forms import Form, read_form, validation_errors
from api.web.i18n import _
from api.web.pages import redirect, render
from api.web.routes.missions_web import mission_view
from api.web.routes.verifier import ob2_signed_again
from models import Account, Conflict, InvalidData, Mission, MissionStatus, persisted_id, queries
from services import runtime, workflow
from services.actors import Actor
from services.credentials import publication
from services.credentials.urls import PublicUrls
from services.people import accounts, editing, profiles
from services.ranking.rank import rank_needs
from services.records import CompetenceRef, VolunteerRecord

router = APIRouter(include_in_schema=False)

SUGGESTED = 8  # competences proposed on the profile page


def _profile_id(actor: Actor) -> int | None:
    return actor.profile_id


def _account(session: Session, actor: Actor) -> Account:
    account = session.get(Account, actor.account_id)
    if account is None:
        raise Conflict("the account no longer exists")
    return account


@router.get("/me")
def overview(
    request: Request, session: SessionDep, viewer: ViewerDep, embedder: EmbedderDep
) -> HTMLResponse:
    actor = security.require(viewer, request)
    if actor.profile_id is None:
        return render(request, "me.html", viewer, {"profile": None})
    profile_id = actor.profile_id
    found = rank_needs(
        session, actor, profile_id, embedder=embedder, nearby=runtime.get_nearby(), top_k=5
    )
    competences = words.Competences(session)
    missions = queries.missions.missions_of(session, volunteer_id=profile_id, organisation_ids=[])
    return render(
        request,
        "me.html",
        viewer,
        {
            "profile": queries.profiles.get_profile(session, profile_id),
            "suggested": [(n, words.reasons(competences, n.explanation, you=True)) for n in found],
            "missions": [mission_view(session, m) for m in missions],
            "applied": _applied(missions),
        },
    )


def _applied(missions: list[Mission]) -> dict[int, int]:
    """need → the volunteer's mission on it, for the needs whose place it holds: their cards
    link to it instead of offering to apply again."""
    return {
        m.need_id: persisted_id(m.id)
        for m in missions
        if m.status not in (MissionStatus.CANCELLED, MissionStatus.DECLINED)
    }


def _profile_values(session: Session, actor: Actor) -> dict[str, Any]:
    if actor.profile_id is None:
        return {
            "languages": [i18n.current.get()],
            "remote_ok": "on",
            "onsite_ok": "on",
            "hours_per_month": "8",
            "country": "FR",
        }
    profile = queries.profiles.get_profile(session, actor.profile_id)
    values: dict[str, Any] = profile.model_dump(mode="json")
    values["languages"] = queries.profiles.profile_languages(session, [actor.profile_id]).get(
        actor.profile_id, []
    )
    values["remote_ok"] = "on" if profile.remote_ok else None
    values["onsite_ok"] = "on" if profile.onsite_ok else None
    return values


def _suggestions(session: Session, text: str) -> list[dict[str, Any]]:
    """The engine's reading of the profile: e-CF competences with a level, for the person to
    confirm or correct."""
    if not text.strip():
        return []
    [found] = runtime.get_suggester().suggest([text], role="profile")
    competences = words.Competences(session)
    return [
        {
            "code": s.code,
            "title": competences.title("ecf", s.code),
            "level": s.level,
            "level_text": competences.level("ecf", s.level),
            "score": s.score,
            "levels": _levels(session, s.code),
        }
        for s in found.ecf[:SUGGESTED]
    ]


def _levels(session: Session, code: str) -> list[tuple[int, str]]:
    found = queries.reference.find_competence(session, "ecf-4.0", code)
    if found is None or found.level_min is None or found.level_max is None:
        return []
    competences = words.Competences(session)
    return [(n, competences.level("ecf", n)) for n in range(found.level_min, found.level_max + 1)]


def _stated(session: Session, profile_id: int | None) -> list[dict[str, Any]]:
    if profile_id is None:
        return []
    competences = words.Competences(session)
    return [
        {
            "ref": str(ref),
            "framework": ref.framework,
            "code": ref.code,
            "title": competences.title(ref.framework, ref.code),
            "level": ref.level,
            "levels": _levels(session, ref.code) if ref.framework == "ecf" else [],
        }
        for ref in profiles.stated_competences(session, profile_id)
    ]


@router.get("/me/profile")
def profile_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    actor = security.require(viewer, request)
    values = _profile_values(session, actor)
    text = f"{values.get('headline', '')}. {values.get('about', '')}" if actor.profile_id else ""
    return render(
        request,
        "profile.html",
        viewer,
        {
            "values": values,
            "errors": {},
            "stated": _stated(session, actor.profile_id),
            "suggestions": _suggestions(session, text) if actor.profile_id else [],
        },
    )


def _record(form: Form, account: Account, current: list[CompetenceRef]) -> VolunteerRecord:
    return VolunteerRecord(
        email=account.email,
        display_name=form.text("display_name") or account.display_name,
        headline=form.text("headline"),
        about=form.text("about"),
        languages=form.many("languages"),
        city=form.text("city"),
        country=i18n.typed_country(form.text("country")),
        timezone=form.text("timezone") or "Europe/Paris",
        remote_ok=form.flag("remote_ok"),
        onsite_ok=form.flag("onsite_ok"),
        hours_per_month=form.integer("hours_per_month", low=0, high=200) or 0,
        available_from=form.day("available_from"),
        available_until=form.day("available_until"),
        locale=account.locale if account.locale in ("fr", "en") else "fr",
        competences=current,
    )


@router.post("/me/profile")
async def save_profile(
    request: Request, session: SessionDep, viewer: ViewerDep, embedder: EmbedderDep
) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    account = _account(session, actor)
    for name in ("headline", "about", "city", "country"):
        form.text(name, required=True)
    if not form.many("languages"):
        form.errors["languages"] = _("Choose at least one language you can work in.")
    if not (form.flag("remote_ok") or form.flag("onsite_ok")):
        form.errors["remote_ok"] = _("Choose remote work, work on site, or both.")
    record = None
    if form.ok:
        try:
            current = (
                profiles.stated_competences(session, actor.profile_id) if actor.profile_id else []
            )
            record = _record(form, account, current)
        except ValidationError as exc:
            form.errors.update(validation_errors(exc))
    if record is None or not form.ok:
        return render(
            request,
            "profile.html",
            viewer,
            {
                "values": {**form.values, "languages": form.many("languages")},
                "errors": form.errors,
                "stated": _stated(session, actor.profile_id),
                "suggestions": [],
            },
            status=422,
        )
    try:
        editing.save_profile(session, embedder, record)
    except InvalidData as exc:
        form.errors[exc.field or "form"] = str(exc)
        return render(
            request,
            "profile.html",
            viewer,
            {
                "values": form.values,
                "errors": form.errors,
                "stated": _stated(session, actor.profile_id),
                "suggestions": [],
            },
            status=422,
        )
    return redirect(
        request,
        "/me/profile#competences",
        ("ok", _("Your profile is saved. Check the competences it shows below.")),
    )


@router.post("/me/competences")
async def save_competences(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """The person's competences: the suggestions they tick, and those they keep, each at the
    level they choose."""
    actor = security.require(viewer, request)
    if actor.profile_id is None:
        return redirect(request, "/me/profile", ("error", _("Write your profile first.")))
    form = await read_form(request)
    refs: list[CompetenceRef] = []
    for code in form.many("keep"):
        framework, _sep, rest = code.partition(":")
        level = form.integer(f"level-{rest}", low=1, high=8, required=False)
        try:
            refs.append(
                CompetenceRef.model_validate({"framework": framework, "code": rest, "level": level})
            )
        except ValidationError:
            continue
    try:
        profiles.set_stated_competences(session, actor.profile_id, refs)
    except InvalidData as exc:
        session.rollback()
        return redirect(request, "/me/profile#competences", ("error", str(exc)))
    return redirect(request, "/me", ("ok", _("Your competences are saved.")))


@router.get("/me/needs")
def needs_page(
    request: Request, session: SessionDep, viewer: ViewerDep, embedder: EmbedderDep
) -> HTMLResponse:
    actor = security.require(viewer, request)
    if actor.profile_id is None:
        return render(request, "me.html", viewer, {"profile": None})
    competences = words.Competences(session)
    found = rank_needs(
        session, actor, actor.profile_id, embedder=embedder, nearby=runtime.get_nearby(), top_k=20
    )
    missions = queries.missions.missions_of(
        session, volunteer_id=actor.profile_id, organisation_ids=[]
    )
    return render(
        request,
        "needs.html",
        viewer,
        {
            "needs": [(n, words.reasons(competences, n.explanation, you=True)) for n in found],
            "applied": _applied(missions),
        },
    )


@router.post("/me/needs/{need_id}/apply")
async def apply(need_id: Id, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = security.require(viewer, request)
    await read_form(request)
    try:
        mission = workflow.propose(session, actor, need_id)
    except (Conflict, InvalidData) as exc:
        return redirect(request, "/me/needs", ("error", str(exc)))
    return redirect(
        request,
        f"/me/missions/{mission.id}",
        ("ok", _("You applied: the association will answer here.")),
    )


@router.get("/me/credentials")
def credentials_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    actor = security.require(viewer, request)
    settings = settings_of(request)
    found, waiting = [], []
    if actor.profile_id is not None:
        for mission in queries.missions.missions_of(
            session, volunteer_id=actor.profile_id, organisation_ids=[], limit=1000
        ):
            if mission.credential_waits:
                waiting.append(queries.profiles.get_need(session, mission.need_id).title)
            if mission.credential_id is None:
                continue
            credential = queries.credentials.get_credential(session, mission.credential_id)
            need = queries.profiles.get_need(session, mission.need_id)
            links = publication.credential_links(settings, credential)
            found.append(
                {
                    "credential": credential,
                    "need": need,
                    "links": links,
                    "page": PublicUrls.of(settings.public_base_url).credential(credential.id),
                    "linkedin": _linkedin(need.title, credential, links),
                    "ob2_signed_again": ob2_signed_again(session, credential),
                }
            )
    return render(request, "credentials.html", viewer, {"credentials": found, "waiting": waiting})


def _linkedin(title: str, credential: Any, links: dict[str, str]) -> str:
    """LinkedIn's "add to profile" link for a certification (no account data leaves here)."""
    from urllib.parse import urlencode

    issued: date = credential.valid_from.date()
    page = links["ob3_jwt"].removesuffix(".jwt")
    return "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": f"Pro bono: {title}",
            "organizationName": "probono",
            "issueYear": issued.year,
            "issueMonth": issued.month,
            "certUrl": page,
            "certId": credential.id,
        }
    )


@router.get("/me/data")
def download_data(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Everything the service holds about the person, as one JSON file."""
    actor = security.require(viewer, request)
    data = accounts.export_data(
        session, _account(session, actor), settings_of(request).public_base_url
    )
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="probono-my-data.json"'},
    )


@router.get("/me/delete")
def delete_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    security.require(viewer, request)
    return render(request, "delete.html", viewer, {"errors": {}})


@router.post("/me/delete")
async def delete_account(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    if not form.flag("confirm"):
        return render(
            request,
            "delete.html",
            viewer,
            {
                "errors": {
                    "confirm": _("Tick the box to confirm that you want to delete your account.")
                }
            },
            status=422,
        )
    accounts.erase_account(session, _account(session, actor))
    response = redirect(request, "/", ("ok", _("Your account and your personal data are deleted.")))
    security.end_session(response, settings_of(request))
    return response
