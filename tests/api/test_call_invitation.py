"""The "call booked" email: each person's copy says the time in their own zone and language
and carries the calendar invitation (.ics) that icalendar reads back, its start in the
recipient's zone, the same instant and the same event for both sides."""

from datetime import timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import Session, select

from api.mail import calendar
from api.mail.compose import ATTACHMENTS, compose
from config import Settings
from models import Account, Notification, NotificationKind, VolunteerProfile, persisted_id
from services.notifications import calls
from tests.factories import cast
from tests.services.test_calls import PARIS, accepted, local

MONTREAL = "America/Montreal"


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _invitation(message: EmailMessage) -> Calendar:
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invitation.ics"
    return Calendar.from_ical(part.get_content())


def test_each_side_gets_the_invitation_in_their_zone_and_language(
    session: Session, settings: Settings
) -> None:
    assert ATTACHMENTS[NotificationKind.CALL_BOOKED] is calendar.attachments  # what the worker uses
    people = cast(session)
    volunteer = session.get(Account, people.volunteer.account_id)
    profile = session.get(VolunteerProfile, people.volunteer.profile_id)
    member = session.get(Account, people.member.account_id)
    assert volunteer is not None
    assert profile is not None
    assert member is not None
    profile.timezone = MONTREAL  # the volunteer reads French, in Montréal
    member.locale = "en"  # the member reads English, with no zone of their own: Paris
    session.commit()
    mission_id = accepted(session, people)
    [slot] = calls.propose(session, people.member, mission_id, [(local(3, 15), PARIS)])
    calls.choose(session, people.volunteer, mission_id, persisted_id(slot.id))
    found = session.exec(
        select(Notification).where(Notification.kind == NotificationKind.CALL_BOOKED)
    ).all()
    expected = {
        persisted_id(volunteer.id): (MONTREAL, "fr"),
        persisted_id(member.id): (PARIS, "en"),
    }
    assert sorted(n.account_id for n in found) == sorted(expected)
    uids = set()
    for notification in found:
        account = session.get(Account, notification.account_id)
        assert account is not None
        zone, language = expected[notification.account_id]
        message = compose(session, settings, notification, account)
        ics = _invitation(message)
        assert str(ics["method"]) == "REQUEST"
        assert [str(tz["tzid"]) for tz in ics.walk("VTIMEZONE")] == [zone]
        [event] = ics.walk("VEVENT")
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert event["dtstart"].params["TZID"] == zone
        assert start.utcoffset() == slot.starts_at.astimezone(ZoneInfo(zone)).utcoffset()
        assert start == slot.starts_at  # the same instant, read in each zone
        assert end - start == timedelta(minutes=45)
        assert str(event["organizer"]) == f"mailto:{settings.platform_email}"
        uids.add(str(event["uid"]))
        others = {volunteer.email, member.email} - {account.email}
        assert not any(address in message.as_string() for address in others)
        text = _text(message)
        hour = start.strftime("%H:%M")
        assert hour in text
        if language == "fr":
            assert str(event["summary"]).startswith("Premier appel : « Un site pour la troupe »")
            assert "heure : Canada (Toronto)" in text
            assert f"/me/missions/{mission_id}#call" in str(event["description"])
        else:
            assert str(event["summary"]).startswith("First call: “Un site pour la troupe”")
            assert "France Time" in text
            assert f"/missions/{mission_id}#call" in str(event["description"])
    assert len(uids) == 1  # one event in both calendars


def test_the_email_of_a_call_erased_since_carries_nothing(
    session: Session, settings: Settings
) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    [slot] = calls.propose(session, people.member, mission_id, [(local(3), PARIS)])
    calls.choose(session, people.volunteer, mission_id, persisted_id(slot.id))
    notification = session.exec(
        select(Notification).where(Notification.kind == NotificationKind.CALL_BOOKED)
    ).first()
    assert notification is not None
    account = session.get(Account, notification.account_id)
    assert account is not None
    notification.params = {**notification.params, "slot_id": 999_999}
    assert calendar.attachments(session, settings, notification, account) == []
