"""Who may read a programme's report: the managers of its company or of the foundation that
runs it, and platform admins. Anyone else is told the programme does not exist."""

from sqlmodel import Session

from models import NotFound, Programme, queries
from services.actors import Actor


def readable_programme(session: Session, actor: Actor, slug: str) -> Programme:
    programme = queries.reporting.get_programme(session, slug)
    if programme is None or not (
        actor.is_admin or {programme.company_id, programme.run_by_id} & actor.managed
    ):
        raise NotFound(f"no programme {slug!r}")
    return programme


def programmes_of(session: Session, actor: Actor) -> list[Programme]:
    return [
        p
        for p in queries.reporting.programmes(session)
        if actor.is_admin or {p.company_id, p.run_by_id} & actor.managed
    ]
