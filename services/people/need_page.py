"""What a need's page shows to whoever reads it: the need in its association's words, and for a
volunteer, why it fits them and where their application stands."""

from dataclasses import dataclass

from sqlmodel import Session

from matching.constraints import Nearby
from matching.embedders import Embedder
from models import Mission, queries
from services.actors import Actor
from services.people.profiles import NeedView, need_view
from services.ranking.rank import RankedNeed, fit


@dataclass(frozen=True)
class NeedPage:
    view: NeedView
    fit: RankedNeed | None  # for a volunteer: the explanation their ranking gives
    mission: Mission | None  # a volunteer's application or mission on this need


def read(
    session: Session,
    actor: Actor | None,
    need_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
) -> NeedPage:
    """Raises:
    NotFound: no such need, or one the actor may not see (a draft, a closed need)."""
    view = need_view(session, actor, need_id)
    if actor is None or actor.profile_id is None:
        return NeedPage(view, None, None)
    return NeedPage(
        view,
        fit(session, actor, need_id, embedder=embedder, nearby=nearby),
        queries.missions.unended_mission(session, need_id, actor.profile_id),
    )
