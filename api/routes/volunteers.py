"""Volunteers: the needs that fit them."""

from fastapi import APIRouter

from api.deps import (
    ActorDep,
    EmbedderDep,
    FiltersDep,
    Id,
    IncludeExcluded,
    NearbyDep,
    SessionDep,
    TopK,
)
from api.schemas import NeedMatchRead
from services.ranking.rank import rank_needs

router = APIRouter(prefix="/volunteers", tags=["volunteers"])


@router.get("/{profile_id}/matches")
def volunteer_matches(
    profile_id: Id,
    session: SessionDep,
    actor: ActorDep,
    embedder: EmbedderDep,
    nearby: NearbyDep,
    filters: FiltersDep,
    top_k: TopK = 10,
    include_excluded: IncludeExcluded = False,
) -> list[NeedMatchRead]:
    """Open needs ranked for one volunteer, each with the reasons for its score: the same
    explanation the association sees for this pair."""
    ranked = rank_needs(
        session,
        actor,
        profile_id,
        embedder=embedder,
        nearby=nearby,
        top_k=top_k,
        filters=filters,
        include_excluded=include_excluded,
    )
    return [NeedMatchRead.model_validate(r, from_attributes=True) for r in ranked]
