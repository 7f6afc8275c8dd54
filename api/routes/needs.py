"""Association needs open to volunteers."""

from fastapi import APIRouter

from api.deps import (
    ActorDep,
    EmbedderDep,
    FiltersDep,
    Id,
    IncludeExcluded,
    Limit,
    NearbyDep,
    Offset,
    SessionDep,
    TopK,
)
from api.schemas import NeedRead, VolunteerMatchRead
from services.people import profiles
from services.ranking.rank import rank_volunteers
from services.records import NeedRecord

router = APIRouter(prefix="/needs", tags=["needs"])


@router.get("")
def list_needs(session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> list[NeedRead]:
    """Published needs (open or in progress), oldest first."""
    return [_read(pair) for pair in profiles.public_needs(session, limit=limit, offset=offset)]


@router.get("/{need_id}")
def get_need(need_id: Id, session: SessionDep) -> NeedRead:
    """One published need."""
    return _read(profiles.public_need(session, need_id))


def _read(pair: tuple[int, NeedRecord]) -> NeedRead:
    need_id, record = pair
    return NeedRead.model_validate(
        record.model_dump() | {"id": need_id, "competences": [str(c) for c in record.competences]}
    )


@router.get("/{need_id}/matches")
def need_matches(
    need_id: Id,
    session: SessionDep,
    actor: ActorDep,
    embedder: EmbedderDep,
    nearby: NearbyDep,
    filters: FiltersDep,
    top_k: TopK = 10,
    include_excluded: IncludeExcluded = False,
) -> list[VolunteerMatchRead]:
    """Volunteers ranked for one published need, each with the reasons for its score
    (`work_mode` does not apply: it is the need's own)."""
    ranked = rank_volunteers(
        session,
        actor,
        need_id,
        embedder=embedder,
        nearby=nearby,
        top_k=top_k,
        filters=filters,
        include_excluded=include_excluded,
    )
    return [VolunteerMatchRead.model_validate(r, from_attributes=True) for r in ranked]
