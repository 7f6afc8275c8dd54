"""A badge's public page in a real browser, in French and in English: the association that
endorsed it, when and in its words; each download saying which tool it is for; and, after the
association changed its signing keys, the day the OB 2.0 signed copy was signed again, on the
public page and in the volunteer's own list. axe-core checks both, at 1280 and 320 pixels."""

import uuid

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from config import Settings
from models import Account, Organisation, persisted_id
from services.actors import actor_of
from services.credentials import issuance, issuers
from tests import factories
from tests.browser.conftest import new_page
from tests.browser.test_journeys import check, sign_in

COMMENT = "Un site livré à temps, et une équipe formée pour le tenir à jour."
SAID = {
    "fr": {
        "endorsed": "Recommandé par",
        "wallet": "Learner Credential Wallet",
        "again": "Cette copie signée a été signée à nouveau le",
        "mine": "Téléchargez à nouveau votre copie signée OB 2.0.",
    },
    "en": {
        "endorsed": "Endorsed by",
        "wallet": "Learner Credential Wallet",
        "again": "This signed copy was signed again on",
        "mine": "Download your OB 2.0 signed copy again.",
    },
}


def _endorsed_and_rotated(session: Session, settings: Settings, locale: str, run: str) -> str:
    """A badge issued by an association's own issuer, which endorsed it and then changed its
    signing keys; its volunteer reads `locale`. The badge's id."""
    organisation = factories.make_organisation(
        session, name=f"Les Amis du Théâtre {run}", slug=f"theatre-{run}"
    )
    organisation_id = persisted_id(organisation.id)
    member = factories.make_member(session, organisation_id, email=f"membre-{run}@example.org")
    volunteer = factories.make_account(
        session, email=f"dominique-{run}@example.org", display_name="Dominique", locale=locale
    )
    profile = factories.make_profile(session, account_id=volunteer.id)
    need = factories.make_need(session, organisation_id=organisation_id, title=f"Site {run}")
    volunteer.password_hash = PasswordHasher().hash("a long enough password")
    found = session.get(Organisation, organisation_id)
    assert found is not None
    issuer = issuers.own_issuer(session, found, settings)
    session.commit()
    account = session.get(Account, profile.account_id)
    assert account is not None
    people = factories.Cast(
        actor_of(session, account),
        actor_of(session, member),
        account.email,
        persisted_id(need.id),
        organisation_id,
    )
    credential = factories.completed(session, settings, people)
    assert credential.issuer_id == issuer.id
    issuance.endorse(session, settings, people.member, credential.id, COMMENT)
    issuance.rotate_keys(session, settings, people.member, credential.issuer_id)
    return credential.id


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_verifier_reads_the_endorsement_and_which_download_is_for_which_tool(
    live_server: str,
    live_settings: Settings,
    live_session: Session,
    browser: Browser,
    locale: str,
) -> None:
    run = uuid.uuid4().hex[:6]
    said = SAID[locale]
    credential_id = _endorsed_and_rotated(live_session, live_settings, locale, run)
    verifier = new_page(browser, live_server, locale)
    verifier.goto(f"/credentials/{credential_id}")
    section = verifier.locator("section[aria-labelledby=endorsement-title]")
    expect(section.locator("h2")).to_contain_text(f"{said['endorsed']} Les Amis du Théâtre {run}")
    expect(section.locator("blockquote")).to_have_text(COMMENT)
    expect(section.locator('a[href*="/endorsements/"]')).to_have_count(2)
    expect(verifier.locator("main")).to_contain_text(said["wallet"])
    expect(verifier.locator("#ob2-signed .notice")).to_contain_text(said["again"])
    check(verifier, locale, "credential-endorsed")

    volunteer = new_page(browser, live_server, locale)
    sign_in(volunteer, f"dominique-{run}@example.org")
    volunteer.goto("/me/credentials")
    expect(volunteer.locator("main .card .notice")).to_contain_text(said["mine"])
    check(volunteer, locale, "credentials-signed-again")
    for page in (verifier, volunteer):
        page.context.close()
