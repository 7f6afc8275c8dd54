"""Demo credentials: a few demo missions walked to completion through the real workflow, so
that a new user sees real badges and the verifier at once — some issued by associations of
their own, some by the platform on an association's behalf, one endorsed, one revoked, and one
signed with a key that has since been retired.
"""

import random
from dataclasses import dataclass

from sqlmodel import Session

from config import Settings
from models import (
    Account,
    Conflict,
    Credential,
    Need,
    NeedStatus,
    Organisation,
    VolunteerProfile,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.actors import Actor, actor_by_email, actor_of
from services.credentials import issuance, issuers
from services.people.profiles import STATED
from services.records import CompetenceRef

COMPLETED = 5
_ENDORSEMENT = (
    "Merci pour ce travail soigné : l'équipe s'en sert chaque semaine. "
    "Thank you for careful work the team now uses every week."
)
_REVOCATION = "Démo : mission enregistrée par erreur (demo: recorded by mistake)"


@dataclass(frozen=True)
class DemoBadges:
    credentials: list[Credential]
    revoked: str | None
    retired_key: str | None
    endorsed: str | None

    def __str__(self) -> str:
        return (
            f"demo badges: {len(self.credentials)} credentials (revoked {self.revoked}, "
            f"signed with a retired key {self.retired_key}, endorsed {self.endorsed})"
        )


def _admin(session: Session) -> Actor:
    admins = queries.organisations.platform_admins(session)
    if not admins:
        raise Conflict("the demo data has no platform admin: load the demo first")
    return actor_of(session, admins[0])


def _pairs(session: Session, rng: random.Random) -> list[tuple[Need, VolunteerProfile]]:
    """Open needs nobody works on yet, one per association (more issuers to see), each with a
    volunteer who speaks one of its languages."""
    needs = queries.missions.needs_without_missions(session, NeedStatus.OPEN)
    volunteers = [profile for profile, _ in queries.profiles.iter_profiles(session)]
    languages = queries.profiles.profile_languages(
        session, [persisted_id(v.id) for v in volunteers]
    )
    wanted = queries.profiles.need_languages(session, [persisted_id(n.id) for n in needs])
    rng.shuffle(needs)
    pairs: list[tuple[Need, VolunteerProfile]] = []
    used: set[int] = set()
    for need in needs:
        fits = [
            v
            for v in volunteers
            if set(wanted[persisted_id(need.id)]) & set(languages[persisted_id(v.id)])
        ]
        if need.organisation_id in used or not fits:
            continue
        pairs.append((need, rng.choice(fits)))
        used.add(need.organisation_id)
        if len(pairs) == COMPLETED:
            break
    return pairs


def _assessments(session: Session, need: Need) -> list[workflow.Assessment]:
    """The need's stated e-CF requirements, observed at the level asked for."""
    stated = queries.profiles.need_requirements(session, [persisted_id(need.id)], STATED)
    found = [
        workflow.Assessment(CompetenceRef(framework="ecf", code=code, level=level))
        for framework, code, level in stated[persisted_id(need.id)]
        if framework == "ecf-4.0" and level is not None
    ]
    return found or [workflow.Assessment(CompetenceRef(framework="ecf", code="B.1", level=3))]


def load_demo_badges(session: Session, settings: Settings, *, seed: int) -> DemoBadges:
    """Commits as the workflow does, once per step."""
    rng = random.Random(seed)
    made: list[Credential] = []
    for number, (need, volunteer) in enumerate(_pairs(session, rng)):
        association = session.get(Organisation, need.organisation_id)
        if association is None:
            raise Conflict(f"need {need.id} has lost its association")
        if number % 2 == 0:  # every other association issues in its own name
            issuers.own_issuer(session, association, settings)
            session.commit()
        member = actor_by_email(session, f"{association.slug}.1@example.org")
        account = session.get(Account, volunteer.account_id)
        if account is None:
            raise Conflict(f"volunteer {volunteer.id} has lost its account")
        person = actor_of(session, account)
        mission = workflow.propose(session, person, persisted_id(need.id))
        mission_id = persisted_id(mission.id)
        workflow.accept(session, member, mission_id)
        workflow.start(session, person, mission_id)
        for hours in ("3", "2.5"):
            entry = workflow.log_hours(
                session,
                person,
                mission_id,
                utcnow().date(),
                hours,
                "Atelier avec l'équipe / working session",
            )
            workflow.review_hours(session, member, mission_id, persisted_id(entry.id), approve=True)
        workflow.confirm_completion(session, settings, person, mission_id)
        done = workflow.confirm_completion(
            session, settings, member, mission_id, _assessments(session, need)
        )
        if done.credential is None:
            raise Conflict(f"demo mission {mission_id} completed without its credential")
        made.append(done.credential)
    if len(made) < 3:
        return DemoBadges(made, None, None, None)
    first_member = _member_of(session, made[0])
    issuance.endorse(session, settings, first_member, made[0].id, _ENDORSEMENT)
    issuance.revoke(session, _member_of(session, made[1]), made[1].id, _REVOCATION)
    # The third badge's issuer rotates its keys: the badge stays valid, signed by a key that
    # is now retired.
    issuance.rotate_keys(session, settings, _admin(session), made[2].issuer_id)
    # The demo's missions happened before anyone was there to read about them: their
    # notifications wait in their people's spaces, and no email goes to the demo addresses.
    queries.notifications.keep_in_app(session)
    session.commit()
    return DemoBadges(made, made[1].id, made[2].id, made[0].id)


def _member_of(session: Session, credential: Credential) -> Actor:
    mission = queries.missions.get_mission(session, credential.mission_id)
    need = queries.profiles.get_need(session, mission.need_id)
    association = session.get(Organisation, need.organisation_id)
    if association is None:
        raise Conflict(f"need {need.id} has lost its association")
    return actor_by_email(session, f"{association.slug}.1@example.org")
