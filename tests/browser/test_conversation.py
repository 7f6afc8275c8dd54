"""A mission's conversation in a real browser, in French and in English: a volunteer writes on
their application's page, a member of the association reads it on the association's page and
answers, the volunteer reads the answer; a message that is only spaces comes back with its
reason beside the box. axe-core checks each page (0 violations, also at 320 CSS pixels)."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, create_engine

from config import Settings
from models import persisted_id
from services import workflow
from services.actors import actor_of
from services.people import accounts
from tests import factories
from tests.browser.conftest import new_page
from tests.browser.test_journeys import check, sign_in, submit
from tests.webforms import PASSWORD

TEXTS = {
    "fr": {
        "asked": "Bonjour ! Je peux commencer lundi.\nQuand pouvons-nous nous appeler ?",
        "answer": "Merci Camille, mardi à 18 h ?",
        "sent": "Votre message est envoyé.",
        "refused": "Écrivez un message de 1 à",
    },
    "en": {
        "asked": "Hello! I can start on Monday.\nWhen can we have a call?",
        "answer": "Thank you Camille, Tuesday at 6 pm?",
        "sent": "Your message is sent.",
        "refused": "Write a message of 1 to",
    },
}


@dataclass(frozen=True)
class Parties:
    volunteer_email: str
    member_email: str
    mission_id: int
    slug: str


@pytest.fixture(scope="module")
def parties(live_server: str, live_settings: Settings) -> dict[str, Parties]:
    """For each language, a volunteer's application to an association's need, written into
    the served app's database."""
    engine = create_engine(live_settings.resolved_database_url)
    found = {}
    with Session(engine, expire_on_commit=False) as session:
        for locale in TEXTS:
            slug = f"amis-du-quartier-{locale}"
            association = factories.make_organisation(
                session, slug=slug, name="Les Amis du Quartier"
            )
            member = factories.make_member(
                session, persisted_id(association.id), display_name="Inès Roux", locale=locale
            )
            volunteer = factories.make_account(session, display_name="Camille Martin")
            factories.make_profile(session, account_id=volunteer.id)
            need = factories.make_need(
                session, organisation_id=association.id, title="Un site pour la troupe"
            )
            accounts.set_password(session, [member, volunteer], PASSWORD)
            mission = workflow.propose(session, actor_of(session, volunteer), persisted_id(need.id))
            found[locale] = Parties(volunteer.email, member.email, persisted_id(mission.id), slug)
    engine.dispose()
    return found


def _signed_in(browser: Browser, base: str, locale: str, email: str) -> Page:
    page = new_page(browser, base, locale)
    sign_in(page, email)
    return page


def _write(page: Page, path: str, text: str) -> None:
    page.fill("#message-body", text)
    submit(page, f"{path}/messages")
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}#conversation$"))


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_volunteer_and_an_association_exchange_messages(
    live_server: str, browser: Browser, parties: dict[str, Parties], locale: str
) -> None:
    texts, cast = TEXTS[locale], parties[locale]
    mine = f"/me/missions/{cast.mission_id}"
    theirs = f"/org/{cast.slug}/missions/{cast.mission_id}"

    volunteer = _signed_in(browser, live_server, locale, cast.volunteer_email)
    volunteer.goto(mine)
    check(volunteer, locale, "conversation-empty")
    volunteer.fill("#message-body", "   ")
    volunteer.locator("#message-body").evaluate("box => box.removeAttribute('required')")
    submit(volunteer, f"{mine}/messages")
    expect(volunteer.locator("#message-error")).to_contain_text(texts["refused"])
    expect(volunteer.locator("#message-body")).to_have_attribute("aria-invalid", "true")
    check(volunteer, locale, "conversation-refused")
    _write(volunteer, mine, texts["asked"])
    expect(volunteer.locator("main .notice").first).to_contain_text(texts["sent"])
    expect(volunteer.locator("#conversation .message.own .said")).to_have_text(texts["asked"])

    member = _signed_in(browser, live_server, locale, cast.member_email)
    member.goto(theirs)
    said = member.locator("#conversation .message")
    expect(said).to_have_count(1)
    expect(said.first.locator(".said")).to_have_text(texts["asked"])
    expect(said.first.locator(".said-by")).to_contain_text("Camille Martin")
    _write(member, theirs, texts["answer"])
    expect(said).to_have_count(2)
    expect(said.nth(1)).to_have_class("message own")
    check(member, locale, "conversation-association")

    volunteer.goto(mine)
    said = volunteer.locator("#conversation .message")
    expect(said).to_have_count(2)
    expect(said.nth(1).locator(".said")).to_have_text(texts["answer"])
    expect(said.nth(1).locator(".said-by")).to_contain_text("Inès Roux")
    expect(said.nth(1).locator(".said-by")).to_contain_text("Les Amis du Quartier")
    check(volunteer, locale, "conversation-volunteer")
    volunteer.context.close()
    member.context.close()
