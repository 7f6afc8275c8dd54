"""Organisations: associations, companies and foundations (public information only)."""

from fastapi import APIRouter

from api.deps import Limit, Offset, SessionDep
from api.schemas import OrganisationRead
from models import OrganisationKind, queries

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("")
def list_organisations(
    session: SessionDep,
    kind: OrganisationKind | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[OrganisationRead]:
    """Organisations by name, optionally of one kind."""
    rows = queries.organisations.list_organisations(session, kind=kind, limit=limit, offset=offset)
    return [OrganisationRead.model_validate(o, from_attributes=True) for o in rows]


@router.get("/{slug}")
def get_organisation(slug: str, session: SessionDep) -> OrganisationRead:
    """One organisation by its slug."""
    organisation = queries.organisations.get_organisation(session, slug)
    return OrganisationRead.model_validate(organisation, from_attributes=True)
