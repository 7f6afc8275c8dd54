"""Association needs open to volunteers."""

from fastapi import APIRouter

from api.deps import Limit, Offset, SessionDep
from api.schemas import NeedRead
from missions import people
from missions.records import NeedRecord
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
