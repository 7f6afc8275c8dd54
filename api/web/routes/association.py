"""The association's space: its needs and missions, the guided scoping assistant that turns a
need told in plain words into a mission (competences and levels, hours, deliverable, way of
working, all editable), and the volunteers ranked for a need, to invite."""

import secrets
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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
from matching.scoping import CommonNeed, load_common_needs
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
from services.people import editing, scoping
from services.ranking.rank import rank_volunteers
from services.records import CompetenceRef, NeedRecord

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=2)
def _common(data_dir: Path) -> list[CommonNeed]:
    return load_common_needs(data_dir)


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


def _rows(
    session: Session, competences: Sequence[tuple[str, int | None]], common: frozenset[str]
) -> list[dict[str, Any]]:
    """The proposed competences as the form shows them: title, level and the levels allowed;
    those of the common need (or already chosen) ticked."""
    words_of = words.Competences(session)
    rows = []
    for code, level in competences:
        row = queries.reference.find_competence(session, "ecf-4.0", code)
        if row is None or row.level_min is None or row.level_max is None:
            continue
        rows.append(
            {
                "code": code,
                "title": words_of.title("ecf", code),
                "level": level,
                "levels": [
                    (n, words_of.level("ecf", n)) for n in range(row.level_min, row.level_max + 1)
                ],
                "from_template": code in common,
            }
        )
    return rows


@router.get("/org/{slug}/needs/new")
def scoping_start(
    slug: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    return _scoping_page(request, viewer, association, {}, {})


def _scoping_page(
    request: Request,
    viewer: security.Viewer,
    association: Organisation,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    vague: bool = False,
) -> HTMLResponse:
    lang = i18n.current.get()
    templates = [
        (n.key, n.title[lang], n.question[lang]) for n in _common(settings_of(request).data_dir)
    ]
    return render(
        request,
        "scoping.html",
        viewer,
        {
            "association": association,
            "templates": templates,
            "values": values,
            "errors": errors,
            "vague": vague,
        },
        status=422 if errors else 200,
    )


@router.post("/org/{slug}/needs/propose")
async def scoping_propose(
    slug: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """Step two: the proposal, every part of it editable before publishing; a text that asks
    for several things gets one proposal for each, published one after the other."""
    actor = security.require(viewer, request)
    association = _association(session, actor, slug)
    form = await read_form(request)
    lang = i18n.current.get()
    chosen = next(
        (n for n in _common(settings_of(request).data_dir) if n.key == form.text("template")),
        None,
    )
    story = form.text("story", max_length=10_000)
    if chosen is None and not story:
        form.errors["story"] = _("Choose a common need, or tell yours in your own words.")
        return _scoping_page(request, viewer, association, form.values, form.errors)
    proposals = (
        [scoping.from_common_need(chosen, story, lang)]
        if chosen is not None
        else scoping.propose(story, lang)
    )
    if not proposals:  # too vague for any common need: ask for what is missing
        return _scoping_page(request, viewer, association, form.values, {}, vague=True)
    if len(proposals) > 1:
        named = words.Competences(session)
        return render(
            request,
            "scoping_split.html",
            viewer,
            {
                "association": association,
                "proposals": [
                    (
                        p,
                        " ".join(o.description for o in proposals if o is not p),
                        [(named.title("ecf", c), named.level("ecf", n)) for c, n in p.competences],
                    )
                    for p in proposals
                ],
            },
        )
    return _need_form(
        request, session, viewer, association, proposals[0], form.text("rest", max_length=10_000)
    )


def _need_form(
    request: Request,
    session: Session,
    viewer: security.Viewer,
    association: Organisation,
    proposal: scoping.Proposal,
    rest: str,
) -> HTMLResponse:
    common = next(
        (n for n in _common(settings_of(request).data_dir) if n.key == proposal.key), None
    )
    values = {
        "title": proposal.title,
        "description": proposal.description,
        "deliverable": proposal.deliverable,
        "hours_estimate": str(proposal.hours_estimate),
        "work_mode": proposal.work_mode,
        "city": association.city,
        "country": association.country,
        "languages": [i18n.current.get()],
        "rest": rest,
    }
    own = frozenset(code for _, code, _ in common.competences) if common else frozenset()
    return render(
        request,
        "need_form.html",
        viewer,
        {
            "association": association,
            "values": values,
            "errors": {},
            "proposal": {"competences": _rows(session, proposal.competences, own)},
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
        country=i18n.typed_country(form.text("country")) or None,
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
                "proposal": {"competences": _rows(session, _chosen(form), _chosen_codes(form))},
                "work_modes": words.work_modes(),
            },
            status=422,
        )
    try:
        need = editing.publish_need(session, embedder, record)
    except InvalidData as exc:
        return redirect(request, f"/org/{slug}/needs/new", ("error", str(exc)))
    rest = form.text("rest", max_length=10_000)
    return redirect(
        request,
        f"/org/{slug}/needs/{need.id}" + (f"?{urlencode({'rest': rest})}" if rest else ""),
        ("ok", _("Your need is published. Here are the volunteers who fit it.")),
    )


def _chosen(form: Form) -> list[tuple[str, int | None]]:
    """The competences ticked in the form, with their levels (shown again after an error)."""
    return [
        (code, form.integer(f"level-{code}", low=1, high=8, required=False))
        for code in form.many("competence")
    ]


def _chosen_codes(form: Form) -> frozenset[str]:
    return frozenset(form.many("competence"))


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
    applications = queries.missions.applications(session, need_id)
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
            "applications": [
                (mission, name, words.mission_status(mission.status))
                for mission, name in applications
            ],
            "taken": {m.volunteer_id: persisted_id(m.id) for m, _name in applications},
            "rest": request.query_params.get("rest", "")[:10_000],  # a split text's other needs
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
