"""Notifications in a real browser, in French and in English: a member of an association sees
the count of new ones in the menu, reads the application that waits on them and follows it;
chooses what they are told; a refused address is shown with the way back; the unsubscribe
link of a real email works without signing in; the platform admin sends a failed email
again. axe-core checks each page (0 violations, also at 320 CSS pixels)."""

import re
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, create_engine, select

from api.mail import transport
from api.mail.worker import deliver_due
from config import Settings
from models import Account, DeliveryState, Notification, persisted_id, utcnow
from services import workflow
from services.actors import actor_of
from services.people import accounts
from tests import factories
from tests.browser.conftest import new_page
from tests.browser.test_journeys import check, sign_in, submit
from tests.webforms import PASSWORD

TEXTS = {
    "fr": {
        "count": "(1 nouvelle)",
        "subject": "Camille Martin se propose pour « Un site pour la troupe »",
        "follow": "Voir la candidature",
        "saved": "Vos choix sont enregistrés.",
        "refused": "Nos e-mails à",
        "again": "M'envoyer de nouveau des e-mails",
        "stop": "Ne plus recevoir ces e-mails",
        "stopped": "C'est fait",
        "resend": "Renvoyer",
    },
    "en": {
        "count": "(1 new)",
        "subject": "Camille Martin applied to “Un site pour la troupe”",
        "follow": "See the application",
        "saved": "Your choices are saved.",
        "refused": "Our emails to",
        "again": "Send me emails again",
        "stop": "Stop these emails",
        "stopped": "Done",
        "resend": "Send again",
    },
}


@dataclass(frozen=True)
class People:
    member_email: str
    admin_email: str
    slug: str
    mission_id: int


@pytest.fixture(scope="module")
def people(live_server: str, live_settings: Settings) -> dict[str, People]:
    """For each language, an application waiting on an association's member."""
    engine = create_engine(live_settings.resolved_database_url)
    found = {}
    with Session(engine, expire_on_commit=False) as session:
        for locale in TEXTS:
            slug = f"troupe-du-canal-{locale}"
            association = factories.make_organisation(session, slug=slug, name="Troupe du Canal")
            member = factories.make_member(
                session, persisted_id(association.id), display_name="Inès Roux", locale=locale
            )
            admin = factories.make_account(session, is_platform_admin=True, locale=locale)
            volunteer = factories.make_account(session, display_name="Camille Martin")
            factories.make_profile(session, account_id=volunteer.id)
            need = factories.make_need(
                session, organisation_id=association.id, title="Un site pour la troupe"
            )
            accounts.set_password(session, [member, admin, volunteer], PASSWORD)
            mission = workflow.propose(session, actor_of(session, volunteer), persisted_id(need.id))
            found[locale] = People(member.email, admin.email, slug, persisted_id(mission.id))
    engine.dispose()
    return found


def _signed_in(browser: Browser, base: str, locale: str, email: str) -> Page:
    page = new_page(browser, base, locale)
    sign_in(page, email)
    return page


def _emailed(settings: Settings, email: str) -> str:
    """The worker sends what waits (as files: no mail server here); the unsubscribe address
    of the newest email to this person."""
    engine = create_engine(settings.resolved_database_url)
    deliver_due(engine, settings, transport.FileTransport(settings.var_dir / "mail"))
    engine.dispose()
    newest = None
    for path in sorted((settings.var_dir / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime):
        message = message_from_bytes(path.read_bytes(), policy=default)
        if email in str(message["To"]):
            newest = message
    assert newest is not None, f"no email to {email}"
    link = urlsplit(str(newest["List-Unsubscribe"]).strip("<>"))
    return f"{link.path}?{link.query}"


def _change(settings: Settings, email: str, **values: object) -> None:
    engine = create_engine(settings.resolved_database_url)
    with Session(engine) as session:
        account = session.exec(select(Account).where(col(Account.email) == email)).one()
        for name, value in values.items():
            setattr(account, name, value)
        session.add(account)
        session.commit()
    engine.dispose()


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_member_is_told_chooses_and_unsubscribes(
    live_server: str,
    live_settings: Settings,
    browser: Browser,
    people: dict[str, People],
    locale: str,
) -> None:
    texts, cast = TEXTS[locale], people[locale]
    unsubscribe = _emailed(live_settings, cast.member_email)

    member = _signed_in(browser, live_server, locale, cast.member_email)
    menu = member.locator("header nav a[href='/notifications']")
    expect(menu).to_contain_text(texts["count"])
    member.goto("/notifications")
    card = member.locator("main .card").first
    expect(card.locator("h2")).to_contain_text(texts["subject"])
    check(member, locale, "notifications")
    card.get_by_role("link", name=texts["follow"]).click()
    expect(member).to_have_url(re.compile(rf"/org/{cast.slug}/missions/{cast.mission_id}$"))
    expect(menu).not_to_contain_text(texts["count"])  # seen

    member.goto("/notifications/settings")
    check(member, locale, "notification-settings")
    member.locator("input[name=message][value=in_app]").check()  # messages: here only
    expect(member.locator("input[name=message][value=in_app]")).to_be_checked()
    submit(member, "/notifications/settings")
    expect(member.locator("main .notice").first).to_contain_text(texts["saved"])
    expect(member.locator("input[name=message][value=in_app]")).to_be_checked()

    _change(
        live_settings, cast.member_email, bounced_at=utcnow(), bounce_detail="550 5.1.1 unknown"
    )
    member.goto("/notifications")
    expect(member.locator("main [role=alert]")).to_contain_text(texts["refused"])
    check(member, locale, "notifications-refused")
    member.get_by_role("button", name=texts["again"]).click()
    expect(member.locator("main [role=alert]")).to_have_count(0)
    member.context.close()

    stranger = new_page(browser, live_server, locale)  # from the email, not signed in
    stranger.goto(unsubscribe)
    check(stranger, locale, "unsubscribe")
    stranger.get_by_role("button", name=texts["stop"]).click()
    expect(stranger.locator("main [role=status]")).to_contain_text(texts["stopped"])
    check(stranger, locale, "unsubscribed")
    stranger.goto(unsubscribe)  # again, later: it says so, with nothing to click
    expect(stranger.locator("main [role=status]")).to_contain_text(texts["stopped"])
    stranger.goto(unsubscribe.replace("application_received", "accepted"))
    expect(stranger.locator("main [role=alert]")).to_be_visible()  # a link we never signed
    check(stranger, locale, "unsubscribe-invalid")
    stranger.context.close()

    engine = create_engine(live_settings.resolved_database_url)
    with Session(engine) as session:
        failed = session.exec(
            select(Notification).where(col(Notification.mission_id) == cast.mission_id)
        ).first()
        assert failed is not None
        failed.state, failed.last_error = DeliveryState.FAILED, "451 4.3.0 try again later"
        failed.sent_at = None
        session.add(failed)
        session.commit()
    engine.dispose()
    admin = _signed_in(browser, live_server, locale, cast.admin_email)
    admin.goto("/admin/mail")
    check(admin, locale, "admin-mail")
    admin.get_by_role("button", name=texts["resend"]).first.click()
    expect(admin.locator("main .notice").first).to_be_visible()
    admin.context.close()
