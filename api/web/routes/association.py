"""The association's space: its needs and missions, the guided scoping assistant that turns a
need told in plain words into a mission (competences and levels, hours, deliverable, way of
working, all editable), and the volunteers ranked for a need, to invite."""

import json
import secrets
from functools import lru_cache
from pathlib import Path
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
from models import (
    DataError,
    InvalidData,
    NotFound,
    Organisation,
    OrganisationKind,
    WorkMode,
    persisted_id,
    queries,
)
from services import runtime, workflow
from services.actors import Actor
from services.errors import AccessError
from services.people import editing
from services.ranking.rank import rank_volunteers
from services.records import CompetenceRef, NeedRecord

router = APIRouter(include_in_schema=False)
SUGGESTED = 6


@lru_cache(maxsize=2)
def _templates(data_dir: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(
        (data_dir / "scoping" / "templates.json").read_text(encoding="utf-8")
    )["templates"]
    return found


def _localised(template: dict[str, Any], name: str) -> str:
    return str(template.get(f"{name}_{i18n.current.get()}") or template.get(f"{name}_en") or "")


def _association(session: Session, actor: Actor, slug: str) -> Organisation:
    """The association, if the actor is one of its members (others are told it is not there)."""
    found = queries.organisations.find_organisation(session, slug)
    if (
        found is None
        or found.kind is not OrganisationKind.ASSOCIATION
        or (found.id not in actor.associations and not actor.is_admin)
    ):
        raise NotFound(f"no association {slug!r}")
    return found


@router.get("/org/{slug}")
def dashboard(slug: str, request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    organisation_id = persisted_id(association.id)
    needs = queries.profiles.needs_of(session, organisation_id)
    missions = queries.missions.missions_of(
        session, volunteer_id=None, organisation_ids=[organisation_id]
    )
    return render(
        request,
        "association.html",
        viewer,
        {
            "association": association,
            "needs": needs,
            "missions": [mission_view(session, m) for m in missions],
            "platform_email": settings_of(request).platform_email,
        },
    )


def _proposal(session: Session, template: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """What the assistant proposes: the template's competences and figures, and the
    competences the engine reads in the association's own words."""
    competences = words.Competences(session)
    proposed: dict[str, int | None] = {}
    if template is not None:
        for c in template["competences"]:
            if c["framework"] == "ecf":
                proposed[c["code"]] = c["level"]
    if text.strip():
        [found] = runtime.get_suggester().suggest([text], role="need")
        for s in found.ecf[:SUGGESTED]:
            proposed.setdefault(s.code, s.level)
    rows = []
    for code, level in proposed.items():
        row = queries.reference.find_competence(session, "ecf-4.0", code)
        if row is None or row.level_min is None or row.level_max is None:
            continue
        rows.append(
            {
                "code": code,
                "title": competences.title("ecf", code),
                "level": level,
                "levels": [
                    (n, competences.level("ecf", n))
                    for n in range(row.level_min, row.level_max + 1)
                ],
                "from_template": template is not None
                and any(c["code"] == code for c in template["competences"]),
            }
        )
    return {"competences": rows}


@router.get("/org/{slug}/needs/new")
def scoping_start(
    slug: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    templates = [
        (t["key"], _localised(t, "title"), _localised(t, "question"))
        for t in _templates(settings_of(request).data_dir)
    ]
    return render(
        request,
        "scoping.html",
        viewer,
        {"association": association, "templates": templates, "values": {}, "errors": {}},
    )


@router.post("/org/{slug}/needs/propose")
async def scoping_propose(
    slug: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """Step two: the proposal, every part of it editable before publishing."""
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    form = await read_form(request)
    key = form.text("template")
    template = next((t for t in _templates(settings_of(request).data_dir) if t["key"] == key), None)
    story = form.text("story", max_length=10_000)
    if template is None and not story:
        form.errors["story"] = _("Choose a common need, or tell yours in your own words.")
        templates = [
            (t["key"], _localised(t, "title"), _localised(t, "question"))
            for t in _templates(settings_of(request).data_dir)
        ]
        return render(
            request,
            "scoping.html",
            viewer,
            {
                "association": association,
                "templates": templates,
                "values": form.values,
                "errors": form.errors,
            },
            status=422,
        )
    title = _localised(template, "title") if template else story.split(".")[0][:120]
    values = {
        "title": title,
        "description": story,
        "deliverable": _localised(template, "deliverable") if template else "",
        "hours_estimate": str(template["hours_estimate"]) if template else "20",
        "work_mode": template["work_mode"] if template else "remote",
        "city": association.city,
        "country": association.country,
        "languages": [i18n.current.get()],
    }
    return render(
        request,
        "need_form.html",
        viewer,
        {
            "association": association,
            "values": values,
            "errors": {},
            "proposal": _proposal(session, template, f"{title}. {story}"),
            "work_modes": words.work_modes(),
        },
    )


def _need_record(form: Form, association: Organisation) -> NeedRecord:
    refs = []
    for code in form.many("competence"):
        level = form.integer(f"level-{code}", low=1, high=8, required=False)
        refs.append(CompetenceRef(framework="ecf", code=code, level=level))
    mode = form.text("work_mode") or "remote"
    return NeedRecord(
        association=association.slug,
        ref=f"web-{secrets.token_hex(6)}",
        title=form.text("title"),
        description=form.text("description"),
        deliverable=form.text("deliverable", max_length=2000),
        hours_estimate=form.integer("hours_estimate", low=1, high=2000) or 1,
        work_mode=WorkMode(mode) if mode in {m.value for m in WorkMode} else WorkMode.REMOTE,
        city=form.text("city") or None,
        country=(form.text("country") or None) and form.text("country").upper(),
        languages=form.many("languages"),
        deadline=form.day("deadline"),
        competences=refs,
    )


@router.post("/org/{slug}/needs")
async def publish_need(
    slug: str, request: Request, session: SessionDep, viewer: ViewerDep, embedder: EmbedderDep
) -> Response:
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    form = await read_form(request)
    for name in ("title", "description"):
        form.text(name, required=True)
    if not form.many("languages"):
        form.errors["languages"] = _("Choose at least one language the mission can be done in.")
    record = None
    if form.ok:
        try:
            record = _need_record(form, association)
        except ValidationError as exc:
            form.errors.update(validation_errors(exc))
    if record is None or not form.ok:
        return render(
            request,
            "need_form.html",
            viewer,
            {
                "association": association,
                "values": {**form.values, "languages": form.many("languages")},
                "errors": form.errors,
                "proposal": {"competences": []},
                "work_modes": words.work_modes(),
            },
            status=422,
        )
    try:
        need = editing.publish_need(session, embedder, record)
    except InvalidData as exc:
        return redirect(request, f"/org/{slug}/needs/new", ("error", str(exc)))
    return redirect(
        request,
        f"/org/{slug}/needs/{need.id}",
        ("ok", _("Your need is published. Here are the volunteers who fit it.")),
    )


@router.get("/org/{slug}/needs/{need_id}")
def need_page(
    slug: str,
    need_id: Id,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    embedder: EmbedderDep,
) -> HTMLResponse:
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    need = queries.profiles.get_need(session, need_id)
    if need.organisation_id != association.id:
        raise NotFound(f"no need {need_id}")
    competences = words.Competences(session)
    ranked = rank_volunteers(
        session, actor, need_id, embedder=embedder, nearby=runtime.get_nearby(), top_k=10
    )
    return render(
        request,
        "need.html",
        viewer,
        {
            "association": association,
            "need": need,
            "volunteers": [(v, words.reasons(competences, v.explanation)) for v in ranked],
            "work_mode": words.work_mode(need.work_mode.value),
        },
    )


@router.post("/org/{slug}/needs/{need_id}/invite/{profile_id}")
async def invite(
    slug: str,
    need_id: Id,
    profile_id: Id,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
) -> Response:
    actor = security.require(viewer, request)
    _association(session, actor, slug)
    await read_form(request)
    try:
        mission = workflow.propose(session, actor, need_id, profile_id)
    except (DataError, AccessError) as exc:
        return redirect(request, f"/org/{slug}/needs/{need_id}", ("error", str(exc)))
    return redirect(
        request,
        f"/org/{slug}/missions/{mission.id}",
        ("ok", _("Invitation sent: the volunteer will answer here.")),
    )
