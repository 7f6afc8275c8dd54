"""Who is told of each step, in the step's own transaction; the answer deadlines; the weekly
digest."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from config import Settings
from models import (
    ClaimSource,
    CompetenceClaim,
    Conflict,
    DeliveryState,
    EndReason,
    MissionStatus,
    NeedRequirement,
    Notification,
    NotificationKind,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.credentials import issuance
from services.notifications import deadlines, digest, outbox
from tests.factories import (
    ASSESSED,
    cast,
    competence_id,
    completed,
    make_account,
    make_member,
    make_need,
    make_profile,
)

K = NotificationKind


def _told(session: Session, mission_id: int | None = None) -> list[tuple[int, NotificationKind]]:
    statement = select(Notification).order_by(col(Notification.id))
    if mission_id is not None:
        statement = statement.where(col(Notification.mission_id) == mission_id)
    return [(n.account_id, n.kind) for n in session.exec(statement)]


def test_each_step_tells_the_people_it_waits_on(session: Session, settings: Settings) -> None:
    people = cast(session)
    second = make_member(session, people.organisation_id)
    session.commit()
    volunteer, member = people.volunteer.account_id, people.member.account_id
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    assert _told(session, mission_id) == [
        (member, K.APPLICATION_RECEIVED),
        (persisted_id(second.id), K.APPLICATION_RECEIVED),
    ]
    workflow.propose(session, people.volunteer, people.need_id)  # a double click: no more
    assert len(_told(session, mission_id)) == 2
    workflow.accept(session, people.member, mission_id)
    workflow.start(session, people.member, mission_id)
    entry = workflow.log_hours(session, people.volunteer, mission_id, utcnow().date(), "3")
    workflow.review_hours(session, people.member, mission_id, persisted_id(entry.id), approve=True)
    workflow.confirm_completion(session, settings, people.volunteer, mission_id)
    workflow.confirm_completion(session, settings, people.volunteer, mission_id)  # again
    done = workflow.confirm_completion(session, settings, people.member, mission_id, ASSESSED)
    assert done.credential is not None
    told = _told(session, mission_id)[2:]
    assert told == [
        (volunteer, K.ACCEPTED),  # the side that proposed
        (volunteer, K.STARTED),  # the other side; the member who started is not told
        (member, K.HOURS_LOGGED),
        (persisted_id(second.id), K.HOURS_LOGGED),
        (volunteer, K.HOURS_REVIEWED),
        (member, K.COMPLETION_TO_CONFIRM),  # once, though the volunteer confirmed twice
        (persisted_id(second.id), K.COMPLETION_TO_CONFIRM),
        (volunteer, K.BADGE_ISSUED),
    ]
    assert all(
        n.state is DeliveryState.PENDING
        for n in session.exec(
            select(Notification).where(col(Notification.mission_id) == mission_id)
        )
    )


def test_a_decline_tells_its_reason_and_a_refused_step_tells_nobody(session: Session) -> None:
    people = cast(session)
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    workflow.end(
        session, people.member, mission_id, EndReason.SKILLS_MISMATCH, "Merci !", decline=True
    )
    [declined] = session.exec(
        select(Notification).where(col(Notification.kind) == K.DECLINED)
    ).all()
    assert declined.account_id == people.volunteer.account_id
    assert declined.params["reason"] == "skills_mismatch"
    assert declined.params["note"] == "Merci !"
    # A step refused tells nobody: its notifications go with its transaction.
    before = _told(session)
    with pytest.raises(Conflict):
        workflow.start(session, people.member, mission_id)
    session.rollback()
    assert _told(session) == before


def test_applications_are_recalled_then_expire_kindly(session: Session, settings: Settings) -> None:
    people = cast(session)
    need = queries.profiles.get_need(session, people.need_id)
    b1 = competence_id(session, "ecf-4.0", "B.1")
    session.add(
        NeedRequirement(
            need_id=people.need_id, competence_id=b1, level=3, source=ClaimSource.DECLARED
        )
    )
    other = make_need(session, organisation_id=people.organisation_id, title="Refaire le site")
    session.add(
        NeedRequirement(
            need_id=persisted_id(other.id), competence_id=b1, level=2, source=ClaimSource.DECLARED
        )
    )
    session.commit()
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    start = mission.proposed_at

    assert deadlines.sweep(session, settings, start + timedelta(days=2)) == 0
    assert deadlines.sweep(session, settings, start + timedelta(days=3, hours=1)) == 1
    assert deadlines.sweep(session, settings, start + timedelta(days=5)) == 0  # once
    assert _told(session, mission_id)[-1] == (people.member.account_id, K.APPLICATION_REMINDER)

    deadlines.sweep(session, settings, start + timedelta(days=10, hours=1))
    session.refresh(mission)
    assert mission.status is MissionStatus.DECLINED
    assert mission.end_reason is EndReason.EXPIRED
    [expired] = [
        n
        for n in session.exec(
            select(Notification).where(col(Notification.kind) == K.APPLICATION_EXPIRED)
        )
        if n.account_id == people.volunteer.account_id
    ]
    assert expired.params["suggested"] == [{"id": other.id, "title": "Refaire le site"}]
    assert deadlines.sweep(session, settings, start + timedelta(days=11)) == 0
    assert need.title  # the need itself stays open for others
    assert queries.profiles.get_need(session, people.need_id).status.value == "open"


def test_hours_and_completions_waiting_are_recalled(session: Session, settings: Settings) -> None:
    people = cast(session)
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    workflow.accept(session, people.member, mission_id)
    workflow.start(session, people.volunteer, mission_id)
    workflow.log_hours(session, people.volunteer, mission_id, utcnow().date(), "2")
    now = utcnow()
    assert deadlines.sweep(session, settings, now + timedelta(days=1)) == 0
    assert deadlines.sweep(session, settings, now + timedelta(days=4)) == 1
    [reminder] = list(
        session.exec(select(Notification).where(col(Notification.kind) == K.CONFIRMATION_REMINDER))
    )
    assert (reminder.account_id, reminder.params["waiting"]) == (people.member.account_id, "hours")
    assert deadlines.sweep(session, settings, now + timedelta(days=5)) == 0  # not before a period
    assert deadlines.sweep(session, settings, now + timedelta(days=8)) == 1  # then again


def test_the_weekly_digest_goes_to_those_who_want_it_when_there_is_news(
    session: Session, settings: Settings
) -> None:
    b1 = competence_id(session, "ecf-4.0", "B.1")
    people = cast(session)
    session.add(
        NeedRequirement(
            need_id=people.need_id, competence_id=b1, level=3, source=ClaimSource.DECLARED
        )
    )
    reader = make_profile(session)
    session.add(
        CompetenceClaim(
            profile_id=persisted_id(reader.id),
            competence_id=b1,
            level=3,
            source=ClaimSource.DECLARED,
        )
    )
    quiet = make_account(session)  # wants nothing
    account = queries.organisations.account_by_id(session, reader.account_id)
    assert account is not None
    account.weekly_digest = True
    member = queries.organisations.account_by_id(session, people.member.account_id)
    assert member is not None
    member.weekly_digest = True
    session.commit()
    now = utcnow()
    assert digest.send(session, now) == 2
    digests = {
        n.account_id: n.params
        for n in session.exec(select(Notification).where(col(Notification.kind) == K.DIGEST))
    }
    assert digests[reader.account_id]["items"] == [
        {"title": "Un site pour la troupe", "path": f"/needs/{people.need_id}"}
    ]
    association = digests[people.member.account_id]
    assert association["organisation_id"] == people.organisation_id
    assert [item["path"] for item in association["items"]] == [
        f"/org/{queries.organisations.organisation_by_id(session, people.organisation_id).slug}"
        f"/needs/{people.need_id}"
    ]
    assert quiet.id not in digests
    assert digest.send(session, now + timedelta(days=3)) == 0  # a week apart
    assert K.DIGEST not in outbox.REQUIRED


def test_a_key_rotation_tells_each_holder_to_download_their_ob2_copy_again(
    session: Session, settings: Settings
) -> None:
    """Their OB 2.0 signed copy no longer verifies (OB 2.0 allows one key): each holder of a
    badge still valid is told, in their language, with the way to their badges."""
    people, other = cast(session), cast(session)
    kept = completed(session, settings, people)
    withdrawn = completed(session, settings, other)
    assert kept.issuer_id == withdrawn.issuer_id  # the platform's issuer, for both
    issuance.revoke(session, other.member, withdrawn.id, "issued in error")
    admin = people.member.__class__(**{**people.member.__dict__, "is_admin": True})
    issuance.rotate_keys(session, settings, admin, kept.issuer_id)
    told = session.exec(
        select(Notification).where(col(Notification.kind) == K.BADGE_SIGNED_AGAIN)
    ).all()
    assert [(n.account_id, n.mission_id) for n in told] == [
        (people.volunteer.account_id, kept.mission_id)
    ]
    assert K.BADGE_SIGNED_AGAIN in outbox.kinds_for(volunteer=True, member=False)
    assert K.BADGE_SIGNED_AGAIN not in outbox.kinds_for(volunteer=False, member=True)
