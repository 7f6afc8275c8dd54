"""The first call: a member of the association proposes one to three times once the mission
is accepted, the volunteer chooses one, each step tells the other side in its own
transaction; who may do what, the bounds of the times, and a choice made twice."""

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

import models
from models import (
    Account,
    CallSlot,
    Conflict,
    EndReason,
    InvalidData,
    NotFound,
    Notification,
    NotificationKind,
    VolunteerProfile,
    persisted_id,
    utcnow,
)
from services import schema, workflow
from services.actors import actor_of
from services.errors import NotAllowed
from services.notifications import calls
from tests import factories
from tests.databases import fresh_database
from tests.factories import Cast, cast

PARIS = "Europe/Paris"


def accepted(session: Session, people: Cast) -> int:
    """A mission the volunteer applied to and the association accepted."""
    mission = workflow.propose(session, people.volunteer, people.need_id)
    workflow.accept(session, people.member, persisted_id(mission.id))
    return persisted_id(mission.id)


def local(days: int, hour: int = 14, zone: str = PARIS) -> datetime:
    """A wall-clock time that many days ahead, in the zone (naive, as a form gives it)."""
    day = (utcnow() + timedelta(days=days)).astimezone(ZoneInfo(zone))
    return day.replace(hour=hour, minute=0, second=0, microsecond=0, tzinfo=None)


def told(session: Session, kind: NotificationKind, mission_id: int) -> list[Notification]:
    return list(
        session.exec(
            select(Notification).where(
                Notification.kind == kind, Notification.mission_id == mission_id
            )
        )
    )


def test_a_member_proposes_times_and_the_volunteer_is_told(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    slots = calls.propose(
        session, people.member, mission_id, [(local(3), PARIS), (local(4, 9), "Europe/London")], 30
    )
    assert [s.timezone for s in slots] == [PARIS, "Europe/London"]
    assert slots[0].starts_at == local(3).replace(tzinfo=ZoneInfo(PARIS)).astimezone(UTC)
    assert slots[1].starts_at.astimezone(ZoneInfo("Europe/London")).hour == 9
    assert all(s.minutes == 30 and s.proposed_by_id == people.member.account_id for s in slots)
    [notice] = told(session, NotificationKind.CALL_PROPOSED, mission_id)
    assert notice.account_id == people.volunteer.account_id  # not the member who proposed
    call = calls.call_of(session, people.volunteer, mission_id)
    assert [s.id for s in call.slots] == [s.id for s in slots]
    assert call.chosen is None


def test_proposing_again_replaces_the_times_not_chosen(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    first = calls.propose(session, people.member, mission_id, [(local(3), PARIS)])
    second = calls.propose(session, people.member, mission_id, [(local(5), PARIS)])
    found = calls.call_of(session, people.member, mission_id).slots
    assert [s.starts_at for s in found] == [second[0].starts_at]
    assert first[0].starts_at not in {s.starts_at for s in found}
    assert len(told(session, NotificationKind.CALL_PROPOSED, mission_id)) == 2


def _next_spring_gap(now: datetime) -> datetime:
    """02:30 on the next night Paris moves its clocks forward (that hour does not exist)."""
    for year in (now.year, now.year + 1):
        last = date(year, 3, 31)
        sunday = last - timedelta(days=(last.weekday() + 1) % 7)
        gap = datetime(sunday.year, sunday.month, sunday.day, 2, 30)  # noqa: DTZ001 (local)
        if gap.replace(tzinfo=ZoneInfo(PARIS)) > now:
            return gap
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    ("slots", "minutes", "field"),
    [
        ([], 45, "slots"),
        ([(local(d), PARIS) for d in range(2, 6)], 45, "slots"),
        ([(local(2), PARIS)], 10, "minutes"),
        ([(local(2), PARIS)], 181, "minutes"),
        ([(local(2), PARIS), (local(3), "Mars/Olympus_Mons")], 45, "slots.1.timezone"),
        ([(local(2), "../../etc/passwd")], 45, "slots.0.timezone"),
        ([(local(-1), PARIS)], 45, "slots.0.starts_at"),
        ([(local(2), PARIS), (local(400), PARIS)], 45, "slots.1.starts_at"),
        ([(datetime(1, 1, 1), PARIS)], 45, "slots.0.starts_at"),  # noqa: DTZ001
        ([(datetime(9999, 12, 31, 23), "Pacific/Kiritimati")], 45, "slots.0.starts_at"),  # noqa: DTZ001
        # 14:00 in Paris is 13:00 in London: the same time twice
        ([(local(2), PARIS), (local(2, 13, "Europe/London"), "Europe/London")], 45, "slots"),
        ([(_next_spring_gap(utcnow()), PARIS)], 45, "slots.0.starts_at"),
    ],
)
def test_times_out_of_bounds_are_refused_with_the_field(
    session: Session, slots: list[tuple[datetime, str]], minutes: int, field: str
) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    with pytest.raises(InvalidData) as refused:
        calls.propose(session, people.member, mission_id, slots, minutes)
    assert (refused.value.field or "").startswith(field), refused.value.field
    session.rollback()
    assert calls.call_of(session, people.member, mission_id).slots == []
    assert told(session, NotificationKind.CALL_PROPOSED, mission_id) == []


def test_the_same_time_twice_names_the_second(session: Session) -> None:
    refused = calls.refusal([(local(2), PARIS), (local(3), PARIS), (local(2), PARIS)], 45)
    assert refused == calls.Refusal("twice", 2)
    assert refused.field == "slots.2.starts_at"


def test_a_time_with_its_offset_is_read_as_that_instant(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    instant = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    [slot] = calls.propose(session, people.member, mission_id, [(instant, "America/Toronto")])
    assert slot.starts_at == instant


def test_only_a_member_of_the_association_proposes(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    stranger = cast(session)
    admin = factories.make_account(session, is_platform_admin=True)
    session.commit()
    slots = [(local(2), PARIS)]
    with pytest.raises(NotAllowed):
        calls.propose(session, people.volunteer, mission_id, slots)
    with pytest.raises(NotAllowed):  # admins read missions; they do not act for a side
        calls.propose(session, actor_of(session, admin), mission_id, slots)
    for outsider in (stranger.member, stranger.volunteer):
        with pytest.raises(NotFound):  # an id proves nothing
            calls.propose(session, outsider, mission_id, slots)
        with pytest.raises(NotFound):
            calls.call_of(session, outsider, mission_id)


def test_times_are_proposed_once_accepted_and_until_completion(session: Session) -> None:
    people = cast(session)
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    with pytest.raises(Conflict, match="proposed"):
        calls.propose(session, people.member, mission_id, [(local(2), PARIS)])
    session.rollback()
    workflow.accept(session, people.member, mission_id)
    workflow.start(session, people.volunteer, mission_id)
    assert calls.propose(session, people.member, mission_id, [(local(2), PARIS)])


def test_the_volunteer_chooses_and_both_sides_are_told(session: Session) -> None:
    people = cast(session)
    second = factories.make_member(session, people.organisation_id)
    session.commit()
    mission_id = accepted(session, people)
    slots = calls.propose(
        session, people.member, mission_id, [(local(2), PARIS), (local(3), PARIS)]
    )
    chosen = calls.choose(session, people.volunteer, mission_id, persisted_id(slots[1].id))
    assert chosen.chosen_at is not None
    booked = told(session, NotificationKind.CALL_BOOKED, mission_id)
    assert sorted(n.account_id for n in booked) == sorted(
        [people.volunteer.account_id, people.member.account_id, persisted_id(second.id)]
    )
    assert {n.params["slot_id"] for n in booked} == {slots[1].id}
    assert calls.booked(session, people.member, mission_id).id == slots[1].id
    assert calls.call_of(session, people.volunteer, mission_id).chosen == chosen


def test_choosing_again_changes_nothing_and_another_time_is_a_conflict(
    session: Session,
) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    first, other = calls.propose(
        session, people.member, mission_id, [(local(2), PARIS), (local(3), PARIS)]
    )
    chosen = calls.choose(session, people.volunteer, mission_id, persisted_id(first.id))
    at = chosen.chosen_at
    again = calls.choose(session, people.volunteer, mission_id, persisted_id(first.id))
    assert again.id == first.id
    assert again.chosen_at == at
    assert len(told(session, NotificationKind.CALL_BOOKED, mission_id)) == 2  # once each
    with pytest.raises(Conflict, match="booked already"):
        calls.choose(session, people.volunteer, mission_id, persisted_id(other.id))
    session.rollback()
    with pytest.raises(Conflict, match="booked already"):  # a booked call is final
        calls.propose(session, people.member, mission_id, [(local(4), PARIS)])


def test_only_the_volunteer_chooses_one_of_the_missions_times(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    [slot] = calls.propose(session, people.member, mission_id, [(local(2), PARIS)])
    elsewhere = cast(session)
    other_mission = accepted(session, elsewhere)
    [foreign] = calls.propose(session, elsewhere.member, other_mission, [(local(2), PARIS)])
    with pytest.raises(NotAllowed):
        calls.choose(session, people.member, mission_id, persisted_id(slot.id))
    with pytest.raises(NotFound):
        calls.choose(session, elsewhere.volunteer, mission_id, persisted_id(slot.id))
    with pytest.raises(InvalidData) as refused:
        calls.choose(session, people.volunteer, mission_id, persisted_id(foreign.id))
    assert refused.value.field == "slot_id"
    assert told(session, NotificationKind.CALL_BOOKED, mission_id) == []


def test_a_time_that_has_passed_cannot_be_chosen(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    [slot] = calls.propose(session, people.member, mission_id, [(local(2), PARIS)])
    slot.starts_at = utcnow() - timedelta(minutes=5)
    session.commit()
    with pytest.raises(Conflict, match="passed"):
        calls.choose(session, people.volunteer, mission_id, persisted_id(slot.id))
    with pytest.raises(Conflict, match="no first call is booked"):
        calls.booked(session, people.volunteer, mission_id)


def test_nothing_is_booked_on_a_cancelled_mission(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    [slot] = calls.propose(session, people.member, mission_id, [(local(2), PARIS)])
    workflow.end(session, people.volunteer, mission_id, EndReason.OTHER, decline=False)
    with pytest.raises(Conflict, match="cancelled"):
        calls.choose(session, people.volunteer, mission_id, persisted_id(slot.id))


def test_a_persons_zone_is_their_accounts_else_their_profiles_else_paris(
    session: Session,
) -> None:
    people = cast(session)
    volunteer = session.get(Account, people.volunteer.account_id)
    profile = session.get(VolunteerProfile, people.volunteer.profile_id)
    member = session.get(Account, people.member.account_id)
    assert volunteer is not None
    assert profile is not None
    assert member is not None
    profile.timezone = "America/Toronto"
    assert calls.zone_of(session, volunteer) == "America/Toronto"
    volunteer.timezone = "Europe/London"
    assert calls.zone_of(session, volunteer) == "Europe/London"
    assert calls.zone_of(session, member) == PARIS
    member.timezone = "Not/A_Zone"  # never trusted blindly
    assert calls.zone_of(session, member) == PARIS


def test_slots_are_stored_aware_in_utc(session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    calls.propose(session, people.member, mission_id, [(local(2), "Indian/Reunion")])
    session.expire_all()
    [stored] = session.exec(select(CallSlot).where(CallSlot.mission_id == mission_id)).all()
    assert stored.starts_at.tzinfo is not None
    assert stored.starts_at.astimezone(ZoneInfo("Indian/Reunion")).hour == 14


@pytest.fixture(scope="module")
def own_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database of its own: the race needs real commits, one connection per request."""
    with fresh_database(backend, tmp_path_factory.mktemp(f"calls-{backend}")) as url:
        engine = models.make_engine(url)
        schema.upgrade(engine)
        yield engine
        engine.dispose()


def _together(engine: Engine, acts: list[Callable[[Session], object]]) -> list[BaseException]:
    """Each act in its own thread and session, as requests are (a session on the writing
    engine: on SQLite, BEGIN IMMEDIATE), all released at the same moment; the refusals."""
    barrier = threading.Barrier(len(acts))
    refused: list[BaseException] = []

    def run(act: Callable[[Session], object]) -> None:
        with Session(models.writer(engine), expire_on_commit=False) as session:
            barrier.wait()
            try:
                act(session)
            except (Conflict, InvalidData) as exc:
                refused.append(exc)

    threads = [threading.Thread(target=run, args=(act,)) for act in acts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return refused


def _race(engine: Engine) -> tuple[Cast, int, list[BaseException]]:
    """The volunteer's double click on two times, and the association proposing others at
    the same moment."""
    with Session(engine, expire_on_commit=False) as session:
        people = cast(session)
        mission_id = accepted(session, people)
        slots = calls.propose(
            session, people.member, mission_id, [(local(2), PARIS), (local(3), PARIS)]
        )
    first, second = (persisted_id(s.id) for s in slots)
    refused = _together(
        engine,
        [
            lambda s: calls.choose(s, people.volunteer, mission_id, first),
            lambda s: calls.choose(s, people.volunteer, mission_id, second),
            lambda s: calls.propose(s, people.member, mission_id, [(local(4), PARIS)]),
        ],
    )
    return people, mission_id, refused


def test_two_times_chosen_at_once_book_one_call(own_engine: Engine) -> None:
    """One call at most is booked, told once to each side; the others lose with a conflict
    (or find their time gone), never with a broken database."""
    for _ in range(4):
        people, mission_id, refused = _race(own_engine)
        assert len(refused) >= 1  # three cannot all have their way
        with Session(own_engine) as session:
            found = calls.call_of(session, people.member, mission_id)
            chosen = [s for s in found.slots if s.chosen_at is not None]
            assert len(chosen) <= 1
            booked = told(session, NotificationKind.CALL_BOOKED, mission_id)
            assert len(booked) == 2 * len(chosen)
