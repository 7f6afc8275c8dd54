"""Reference frameworks: e-CF 4.0, DigComp 2.2, the general-interest annex and ESCO."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Limit, Offset, SessionDep, SettingsDep
from api.schemas import CompetenceRead, CompetenceSummary, FrameworkRead
from models import queries
from services.reference import catalogue

router = APIRouter(prefix="/frameworks", tags=["frameworks"])


@router.get("")
def list_frameworks(session: SessionDep) -> list[FrameworkRead]:
    """The loaded frameworks with their licence, attribution and number of competences."""
    counts = queries.reference.count_competences(session)
    return [
        FrameworkRead.model_validate(f.model_dump() | {"competences": counts.get(f.id, 0)})
        for f in queries.reference.list_frameworks(session)
    ]


@router.get("/{framework_id}/competences")
def list_competences(
    framework_id: str,
    session: SessionDep,
    limit: Limit = 100,
    offset: Offset = 0,
    q: Annotated[
        str | None, Query(max_length=100, description="words in the title or code")
    ] = None,
) -> list[CompetenceSummary]:
    """Competences of one framework, by code; `q` filters by title (EN or FR) or code."""
    queries.reference.get_framework(session, framework_id)
    rows = queries.reference.list_competences(
        session, framework_id, search=q, limit=limit, offset=offset
    )
    return [
        CompetenceSummary.model_validate(c.model_dump() | {"framework": framework_id}) for c in rows
    ]


@router.get("/{framework_id}/competences/{code}")
def get_competence(
    framework_id: str, code: str, session: SessionDep, settings: SettingsDep
) -> CompetenceRead:
    """One competence with its levels and our descriptors in English and French."""
    view = catalogue.competence_view(session, framework_id, code, base_url=settings.public_base_url)
    return CompetenceRead.model_validate(view, from_attributes=True)
