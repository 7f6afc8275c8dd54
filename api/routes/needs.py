"""Association needs open to volunteers."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import Limit, Offset, SessionDep
from api.schemas import NeedRead, VolunteerMatchRead
from matching.embedders import Embedder
from missions import people
from missions.ranking import rank_volunteers
from missions.records import NeedRecord
from missions.runtime import get_embedder
from models import NeedStatus

router = APIRouter(prefix="/needs", tags=["needs"])

PUBLIC = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)


@router.get("")
def list_needs(session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> list[NeedRead]:
    """Published needs (open or in progress), oldest first."""
    return [
        _read(pair) for pair in people.public_needs(session, PUBLIC, limit=limit, offset=offset)
    ]


@router.get("/{need_id}")
def get_need(need_id: int, session: SessionDep) -> NeedRead:
    """One published need."""
    return _read(people.public_need(session, need_id, PUBLIC))


def _read(pair: tuple[int, NeedRecord]) -> NeedRead:
    need_id, record = pair
    return NeedRead.model_validate(
        record.model_dump() | {"id": need_id, "competences": [str(c) for c in record.competences]}
    )


EmbedderDep = Annotated[Embedder, Depends(get_embedder)]


@router.get("/{need_id}/matches")
def need_matches(
    need_id: int,
    session: SessionDep,
    embedder: EmbedderDep,
    top_k: Annotated[int, Query(ge=1, le=100, description="how many volunteers")] = 10,
    include_excluded: Annotated[
        bool, Query(description="also list volunteers a hard constraint excludes, with why")
    ] = False,
) -> list[VolunteerMatchRead]:
    """Volunteers ranked for one published need, each with the reasons for its score."""
    people.public_need(session, need_id, PUBLIC)  # drafts and closed needs: 404
    ranked = rank_volunteers(
        session, need_id, embedder=embedder, top_k=top_k, include_excluded=include_excluded
    )
    return [
        VolunteerMatchRead.model_validate(
            {**r.__dict__, "score": r.explanation.score, "explanation": r.explanation},
            from_attributes=True,
        )
        for r in ranked
    ]
