"""A volunteer as the association of their mission sees them before answering: their profile
in their own words, the competences they state, and why they fit the need."""

from dataclasses import dataclass

from sqlmodel import Session

from matching.constraints import Nearby
from matching.embedders import Embedder
from models import Mission, Need, NotFound, Organisation, VolunteerProfile, queries
from services import workflow
from services.actors import Actor
from services.people.profiles import STATED
from services.ranking.rank import RankedVolunteer, fit_volunteer


@dataclass(frozen=True)
class Applicant:
    mission: Mission
    need: Need
    association: Organisation
    profile: VolunteerProfile
    name: str
    languages: list[str]
    competences: list[queries.profiles.CompetenceKey]  # stated: declared or confirmed
    fit: RankedVolunteer | None  # None while the profile's text is not encoded


def read(
    session: Session,
    actor: Actor,
    mission_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
) -> Applicant:
    """The volunteer of a mission, for a member of its association (or an admin).

    Raises:
        NotFound: no such mission, or one the actor is not of the association of.
    """
    mission = workflow.visible_mission(session, actor, mission_id)
    need = queries.profiles.get_need(session, mission.need_id)
    if not (actor.is_admin or need.organisation_id in actor.associations):
        raise NotFound(f"no mission {mission_id}")
    profile = queries.profiles.get_profile(session, mission.volunteer_id)
    account = queries.organisations.account_by_id(session, profile.account_id)
    return Applicant(
        mission,
        need,
        queries.credentials.organisations_by_id(session, [need.organisation_id])[
            need.organisation_id
        ],
        profile,
        account.display_name if account else "—",
        queries.profiles.profile_languages(session, [mission.volunteer_id])[mission.volunteer_id],
        queries.profiles.profile_claims(session, [mission.volunteer_id], STATED).get(
            mission.volunteer_id, []
        ),
        fit_volunteer(
            session,
            actor,
            mission.need_id,
            mission.volunteer_id,
            embedder=embedder,
            nearby=nearby,
        ),
    )
