"""A need's own page, public while the need is published, read before applying; and an
association's public page, with the needs it has published."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import EmbedderDep, Id, SessionDep
from api.web import words
from api.web.deps import ViewerDep
from api.web.pages import render
from models import Verification
from services import runtime
from services.credentials.urls import PATHS
from services.people import associations, need_page

router = APIRouter(include_in_schema=False)


@router.get("/needs/{need_id}")
def need(
    need_id: Id, request: Request, session: SessionDep, viewer: ViewerDep, embedder: EmbedderDep
) -> HTMLResponse:
    page = need_page.read(
        session, viewer.actor, need_id, embedder=embedder, nearby=runtime.get_nearby()
    )
    competences = words.Competences(session)
    view = page.view
    return render(
        request,
        "need_public.html",
        viewer,
        {
            "need": view.need,
            "association": view.association,
            "verified": view.association.verification is Verification.VERIFIED,
            "languages": view.languages,
            "work_mode": words.work_mode(view.need.work_mode.value),
            "competences": [
                (competences.title(framework, code), competences.level(framework, level))
                for framework, code, level in view.competences
            ],
            "fit": page.fit,
            "why": None
            if page.fit is None
            else words.reasons(competences, page.fit.explanation, you=True),
            "mission": page.mission,
            "volunteer": viewer.actor is not None and viewer.actor.profile_id is not None,
        },
    )


@router.get(PATHS["organisation"])
def association(
    slug: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """The association's public page: badges name it as the one that vouched for a mission."""
    page = associations.public_page(session, slug)
    cause = page.association.cause
    return render(
        request,
        "organisation_public.html",
        viewer,
        {
            "association": page.association,
            "verified": page.verified,
            "cause": dict(words.causes()).get(cause.value) if cause else None,
            "needs": page.needs,
        },
    )
