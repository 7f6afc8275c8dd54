"""The first call in a real browser, in French and in English: on an accepted mission, the
association proposes times (a time already past first: the reason comes back in the page's
language, with what was typed), then two good ones; the volunteer, in another time zone,
reads them in theirs and picks one with the radio buttons; both see the booked call and
download its calendar file. axe-core checks every page, at 1280 and 320 pixels."""

import uuid
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from icalendar import Calendar
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from models import persisted_id, utcnow
from services import workflow
from services.actors import actor_of
from tests import factories
from tests.browser.conftest import new_page
from tests.browser.test_journeys import check, sign_in, submit

ZONES = {"fr": "America/Toronto", "en": "Europe/London"}  # the volunteer's
SAID = {
    "fr": {"passed": "ce créneau est passé", "zone": "heure : Canada (Toronto)", "on": "a lieu le"},
    "en": {"passed": "this time has passed", "zone": "(United Kingdom Time)", "on": "is on"},
}


def _accepted_mission(session: Session, locale: str, run: str) -> tuple[str, str, str, int]:
    """An association's member and a volunteer (who reads `locale`, in another zone) on an
    accepted mission: their emails, the association's slug and the mission."""
    organisation = factories.make_organisation(session, name=f"Les Amis {run}", slug=f"amis-{run}")
    organisation_id = persisted_id(organisation.id)
    member = factories.make_member(
        session, organisation_id, email=f"camille-{run}@example.org", display_name="Camille"
    )
    account = factories.make_account(
        session, email=f"dominique-{run}@example.org", display_name="Dominique", locale=locale
    )
    factories.make_profile(session, account_id=account.id, timezone=ZONES[locale])
    need = factories.make_need(session, organisation_id=organisation_id, title=f"Site {run}")
    for person in (member, account):
        person.password_hash = PasswordHasher().hash("a long enough password")
    session.commit()
    mission = workflow.propose(session, actor_of(session, account), persisted_id(need.id))
    workflow.accept(session, actor_of(session, member), persisted_id(mission.id))
    return member.email, account.email, organisation.slug, persisted_id(mission.id)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_association_proposes_times_and_the_volunteer_picks_one(
    live_server: str, live_session: Session, browser: Browser, locale: str
) -> None:
    run = uuid.uuid4().hex[:6]
    said = SAID[locale]
    member_email, volunteer_email, slug, mission_id = _accepted_mission(live_session, locale, run)
    association = new_page(browser, live_server, locale)
    sign_in(association, member_email)
    page = f"/org/{slug}/missions/{mission_id}"
    association.goto(f"{page}#call")
    check(association, locale, "call-propose")

    paris = ZoneInfo("Europe/Paris")
    yesterday = (utcnow() - timedelta(days=1)).astimezone(paris).strftime("%Y-%m-%dT10:00")
    association.fill("#call_1", yesterday)
    submit(association, f"{page}/call/slots")
    expect(association.locator("#call .field-error")).to_contain_text(said["passed"])
    expect(association.locator("#call_1")).to_have_value(yesterday)
    check(association, locale, "call-refused")

    days = [(utcnow() + timedelta(days=n)).astimezone(paris) for n in (2, 3)]
    association.fill("#call_1", days[0].strftime("%Y-%m-%dT10:00"))
    association.fill("#call_2", days[1].strftime("%Y-%m-%dT16:30"))
    association.select_option("#call_minutes", "30")
    submit(association, f"{page}/call/slots")
    expect(association.locator("#call li")).to_have_count(2)
    check(association, locale, "call-proposed")

    volunteer = new_page(browser, live_server, locale)
    sign_in(volunteer, volunteer_email)
    mine = f"/me/missions/{mission_id}"
    volunteer.goto(f"{mine}#call")
    times = volunteer.locator("#call input[type=radio]")
    expect(times).to_have_count(2)
    expect(volunteer.locator("#call fieldset")).to_contain_text(said["zone"])
    check(volunteer, locale, "call-choose")
    volunteer.locator("#call .choice label").nth(1).click()
    submit(volunteer, f"{mine}/call/choice")
    expect(volunteer.locator("#call")).to_contain_text(said["on"])
    check(volunteer, locale, "call-booked")
    with volunteer.expect_download() as download:
        volunteer.locator(f'a[href="{mine}/call.ics"]').click()
    [event] = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert event["dtstart"].params["TZID"] == ZONES[locale]
    start = event.decoded("dtstart").astimezone(paris)
    assert (start.day, start.hour, start.minute) == (days[1].day, 16, 30)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=30)

    association.goto(page)  # a new load (the same address with #call only scrolls)
    expect(association.locator(f'#call a[href="{page}/call.ics"]')).to_be_visible()
    check(association, locale, "call-booked-association")
