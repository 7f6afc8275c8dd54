"""The pages every alignment of a badge points at: one per competence and per competence at
a level, as HTML for people and as JSON (a CASE-like item) for machines."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse

from api.deps import SessionDep, SettingsDep
from api.web.pages import render
from api.web.security import Viewer
from services.credentials.urls import PATHS
from services.reference import catalogue

router = APIRouter(tags=["public badge documents"])


def _wants_json(accept: str | None) -> bool:
    kinds = [part.split(";")[0].strip() for part in (accept or "").split(",")]
    json_at = next((i for i, k in enumerate(kinds) if "json" in k), None)
    html_at = next((i for i, k in enumerate(kinds) if k in ("text/html", "*/*")), None)
    return json_at is not None and (html_at is None or json_at < html_at)


@router.get(PATHS["competence"])
@router.get(PATHS["competence_level"])
def competence_page(
    request: Request,
    name: str,
    version: str,
    code: str,
    session: SessionDep,
    settings: SettingsDep,
    accept: Annotated[str | None, Header()] = None,
    level: str | None = None,
) -> Response:
    """A competence (e.g. /frameworks/ecf/4.0/B.1) or a competence at a level (…/B.1/e-3):
    HTML, or JSON when asked with `Accept: application/json`."""
    page = catalogue.competence_page(
        session, f"{name}/{version}", code, level, base_url=settings.public_base_url
    )
    headers = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
    if _wants_json(accept):
        return JSONResponse(page.item(), headers=headers)
    viewer = getattr(request.state, "viewer", None) or Viewer(None, None)
    response = render(request, "competence.html", viewer, {"page": page, "item": page.item()})
    response.headers.update(headers)
    return response
