"""The calendar invitation of a booked first call (RFC 5545, written by the icalendar
library): attached to each person's "call booked" email, and downloaded from the mission's
page or the API. Each person's copy is in their language and their time zone (a VTIMEZONE
describes it, so that a calendar without the zone database places the call right); every
copy of one mission's call has the same UID, so that calendars hold it as one event."""

from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText
from sqlmodel import Session

from api.web import call_words, i18n
from api.web.i18n import _
from config import Settings
from models import Account, CallSlot, Notification, queries
from services.notifications.calls import zone_of

FILENAME = "invitation.ics"
# REQUEST: an invitation (mail clients offer to add it); PUBLISH: a file to import. The
# charset is said: a text part without one is read as ASCII (the « » and é of French).
MEDIA_TYPE = "text/calendar; charset=utf-8; method=REQUEST"
DOWNLOAD_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def uid(settings: Settings, mission_id: int) -> str:
    host = urlsplit(settings.public_base_url).hostname or "localhost"
    return f"first-call-{mission_id}@{host}"


def _organizer(settings: Settings) -> vCalAddress:
    """The platform's own address (a person's would be shown to everyone invited)."""
    name, address = parseaddr(settings.sender)
    organizer = vCalAddress(f"mailto:{address or settings.platform_email}")
    organizer.params["CN"] = vText(name or settings.platform_name)
    return organizer


def _attendee(account: Account) -> vCalAddress:
    """The person themselves, in their own copy only: mail clients show an invitation to
    whoever it names. No answer is asked for: the platform reads none."""
    attendee = vCalAddress(f"mailto:{account.email}")
    attendee.params.update(
        {"CN": vText(account.display_name), "ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"}
    )
    return attendee


def _words(session: Session, settings: Settings, slot: CallSlot, account: Account) -> list[str]:
    """The event's summary and description, in the current language."""
    mission = queries.missions.get_mission(session, slot.mission_id)
    need = queries.profiles.get_need(session, mission.need_id)
    association = queries.organisations.organisation_by_id(session, need.organisation_id)
    profile = queries.profiles.get_profile(session, mission.volunteer_id)
    base = settings.public_base_url.rstrip("/")
    if profile.account_id == account.id:
        other, page = association.name, f"{base}/me/missions/{mission.id}"
    else:
        volunteer = queries.organisations.account_by_id(session, profile.account_id)
        other = volunteer.display_name if volunteer else _("a former member")
        page = f"{base}/org/{association.slug}/missions/{mission.id}"
    page += "#call"
    return [call_words.summary(need.title, other), call_words.description(need.title, page)]


def invitation(
    session: Session,
    settings: Settings,
    slot: CallSlot,
    account: Account,
    *,
    method: str = "REQUEST",
) -> bytes:
    """The booked call as one person's calendar file: in their language and time zone."""
    zone = ZoneInfo(zone_of(session, account))
    start = slot.starts_at.astimezone(zone)
    token = i18n.current.set(account.locale)
    try:
        summary, description = _words(session, settings, slot, account)
    finally:
        i18n.current.reset(token)
    event = Event()
    event.add("uid", uid(settings, slot.mission_id))
    event.add("dtstamp", slot.chosen_at or slot.proposed_at)  # the same bytes at every try
    event.add("sequence", 0)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=slot.minutes))
    event.add("summary", summary)
    event.add("description", description)
    event.add("organizer", _organizer(settings))
    event.add("attendee", _attendee(account))
    event.add("status", "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.platform_name}//first call//{account.locale.upper()}")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    # The zone's rules around the call only: the default span (1970-2038) weighs kilobytes.
    calendar.add_missing_timezones(
        first_date=start.date() - timedelta(days=366), last_date=start.date() + timedelta(days=366)
    )
    return bytes(calendar.to_ical())


def attachments(
    session: Session, settings: Settings, notification: Notification, account: Account
) -> list[tuple[str, str, bytes]]:
    """The invitation a "call booked" email carries (api.mail.compose.ATTACHMENTS)."""
    slot = session.get(CallSlot, int(notification.params.get("slot_id", 0)))
    if slot is None or slot.chosen_at is None or slot.mission_id != notification.mission_id:
        return []  # the mission was erased since: the email says what it can
    return [(FILENAME, MEDIA_TYPE, invitation(session, settings, slot, account))]
