"""The first call on the mission's pages: the association proposes times with the form (bad
input comes back with its reason in the page's language and what was typed), the volunteer
reads them in their own zone and language and picks one, and both download the calendar
file."""

import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from models import VolunteerProfile, queries
from services.notifications import calls
from tests.factories import cast
from tests.services.test_calls import PARIS, accepted, local
from tests.webforms import post, sign_in

FR = {"Accept-Language": "fr", "Accept": "text/html"}
EN = {"Accept-Language": "en", "Accept": "text/html"}


def _typed(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_the_association_proposes_and_the_volunteer_books(
    client: TestClient, session: Session
) -> None:
    people = cast(session)
    profile = session.get(VolunteerProfile, people.volunteer.profile_id)
    assert profile is not None
    profile.timezone = "America/Toronto"
    session.commit()
    mission_id = accepted(session, people)
    slug = queries.organisations.organisation_by_id(session, people.organisation_id).slug
    page = f"/org/{slug}/missions/{mission_id}"

    sign_in(client, session, people.member.email)
    shown = client.get(page, headers=FR).text
    assert 'id="call"' in shown
    assert '<label for="call_1">Premier créneau' in shown
    assert 'type="datetime-local" id="call_1" name="call_1"' in shown
    assert '<option value="Europe/Paris" selected>heure : France</option>' in shown

    past = local(-1, 9).isoformat(timespec="minutes")
    refused = post(
        client,
        f"{page}/call/slots",
        {"call_1": past, "call_minutes": "30", "call_zone": PARIS},
        headers=FR,
    )
    assert refused.status_code == 303
    assert _typed(refused.headers["location"])["call_field"] == "call_1"
    again = client.get(refused.headers["location"], headers=FR).text
    assert "Premier créneau : ce créneau est passé. Proposez un créneau à venir." in again
    assert f'value="{past}" required aria-invalid="true"' in again
    assert '<option value="30" selected>30 minutes</option>' in again

    unreadable = post(client, f"{page}/call/slots", {"call_2": "demain"}, headers=FR)
    assert _typed(unreadable.headers["location"])["call_field"] == "call_2"

    first, second = local(2, 10), local(3, 15)
    done = post(
        client,
        f"{page}/call/slots",
        {
            "call_1": first.isoformat(timespec="minutes"),
            "call_3": second.isoformat(timespec="minutes"),
            "call_minutes": "45",
            "call_zone": PARIS,
        },
        headers=FR,
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith("#call")
    slots = calls.call_of(session, people.member, mission_id).slots
    assert [s.starts_at.astimezone(ZoneInfo(PARIS)).hour for s in slots] == [10, 15]
    member_page = client.get(page, headers=EN).text
    assert "Times proposed, waiting for the volunteer" in member_page
    assert "(Canada (Toronto) Time)" in member_page  # the volunteer's time beside

    client.cookies.clear()
    sign_in(client, session, people.volunteer_email)
    mine = f"/me/missions/{mission_id}"
    shown = client.get(mine, headers=FR).text
    toronto = [s.starts_at.astimezone(ZoneInfo("America/Toronto")) for s in slots]
    assert f"à {toronto[0]:%H:%M} (heure : Canada (Toronto))" in shown
    radios = re.findall(r'type="radio" id="slot-(\d+)" name="slot_id"', shown)
    assert [int(r) for r in radios] == [s.id for s in slots]
    assert "Choisissez le créneau qui vous convient" in shown

    nothing = post(client, f"{mine}/call/choice", {}, headers=FR)
    assert "Choisissez un des créneaux." in client.get(nothing.headers["location"], headers=FR).text
    booked = post(client, f"{mine}/call/choice", {"slot_id": str(slots[1].id)}, headers=FR)
    assert booked.status_code == 303
    shown = client.get(mine, headers=FR).text
    assert "Le premier appel a lieu le" in shown
    assert f"à {toronto[1]:%H:%M} (heure : Canada (Toronto)), pendant 45 minutes." in shown
    assert f'href="{mine}/call.ics" download' in shown
    download = client.get(f"{mine}/call.ics")
    assert download.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(download.text).walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "America/Toronto"
    assert str(event["summary"]).startswith("Premier appel")

    client.cookies.clear()
    sign_in(client, session, people.member.email)
    shown = client.get(page, headers=EN).text
    assert "The first call is on" in shown
    assert f'href="{page}/call.ics" download' in shown
    assert 'action="' + page + '/call/slots"' not in shown  # booked: no more times
    assert client.get(f"{page}/call.ics").status_code == 200


def test_the_call_is_reached_only_from_ones_own_space(client: TestClient, session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    slug = queries.organisations.organisation_by_id(session, people.organisation_id).slug
    sign_in(client, session, people.volunteer_email)
    slots = {"call_1": local(2).isoformat(timespec="minutes"), "call_zone": PARIS}
    assert post(client, f"/org/{slug}/missions/{mission_id}/call/slots", slots).status_code == 404
    client.cookies.clear()
    sign_in(client, session, people.member.email)
    assert post(client, f"/me/missions/{mission_id}/call/choice", {"slot_id": "1"}).status_code == (
        404
    )
    assert client.get(f"/org/{slug}/missions/{mission_id}/call.ics").status_code == 409
