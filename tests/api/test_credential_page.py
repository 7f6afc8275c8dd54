"""A credential's public page and the holder's list of badges, in French and in English: who
endorsed the badge, when and in what words; which form is for which tool; and that a signed
OB 2.0 copy is signed again when the issuer changes its keys, with the day it was."""

import dataclasses
import re
from datetime import datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.web import i18n
from config import Settings
from models import Credential, KeyAlgorithm, queries
from services.credentials import issuance
from services.credentials.urls import PublicUrls
from tests.factories import Cast, cast, completed
from tests.webforms import sign_in

COMMENT = "Un site livré à temps, et une équipe formée pour le tenir à jour."
SAID = {
    "fr": {
        "endorsed": "Recommandé par {name}",
        "since": "{name} a recommandé ce badge le {day}\u00a0:",
        "wallet": "Pour le Learner Credential Wallet et les autres portefeuilles",
        "jwt": "Pour les vérificateurs qui lisent les VC-JWT.",
        "ob2": "Elle est signée à nouveau chaque fois que l'émetteur change ses clés de signature",
        "again": "Cette copie signée a été signée à nouveau le {day}",
        "mine": "Téléchargez à nouveau votre copie signée OB 2.0.",
        "mine_on": "L'émetteur a changé ses clés de signature le {day}",
    },
    "en": {
        "endorsed": "Endorsed by {name}",
        "since": "{name} endorsed this badge on {day}:",
        "wallet": "For the Learner Credential Wallet and other wallets",
        "jwt": "For verifiers that read VC-JWTs.",
        "ob2": "It is signed again whenever the issuer changes its signing keys",
        "again": "This signed copy was signed again on {day}",
        "mine": "Download your OB 2.0 signed copy again.",
        "mine_on": "The issuer changed its signing keys on {day}",
    },
}
LOCALES = list(SAID)


def _day(locale: str, moment: datetime) -> str:
    """The day as the page writes it to an anonymous reader (Paris) in `locale`."""
    token = i18n.current.set(locale)
    try:
        return i18n.day(moment)
    finally:
        i18n.current.reset(token)


def _text(client: TestClient, path: str, locale: str) -> str:
    page = client.get(path, headers={"Accept-Language": locale})
    assert page.status_code == 200
    assert f'<html lang="{locale}">' in page.text
    return unescape(re.sub(r"[ \t\r\n]+", " ", page.text))  # keeps no-break spaces


def _rotated(
    session: Session, settings: Settings, people: Cast, credential: Credential
) -> datetime:
    """`probono keys rotate` on the credential's issuer: when its new RS256 key was made."""
    admin = dataclasses.replace(people.member, is_admin=True)
    made = issuance.rotate_keys(session, settings, admin, credential.issuer_id)
    return next(k.created_at for k in made if k.algorithm is KeyAlgorithm.RS256)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_page_says_who_endorsed_the_badge_when_and_in_what_words(
    client: TestClient, session: Session, settings: Settings, locale: str
) -> None:
    said = SAID[locale]
    people = cast(session, name="Les Amis du Théâtre")
    credential = completed(session, settings, people)
    plain = _text(client, f"/credentials/{credential.id}", locale)
    assert said["endorsed"].format(name="") not in plain
    endorsement = issuance.endorse(session, settings, people.member, credential.id, COMMENT)
    name = queries.credentials.get_issuer(session, endorsement.issuer_id).name
    assert "Les Amis du Théâtre" in name
    page = client.get(f"/credentials/{credential.id}", headers={"Accept-Language": locale})
    text = _text(client, f"/credentials/{credential.id}", locale)
    assert said["endorsed"].format(name=name) in text
    assert said["since"].format(name=name, day=_day(locale, endorsement.created_at)) in text
    assert COMMENT in text
    urls = PublicUrls.of(settings.public_base_url)
    for suffix in (".json", ".jwt"):
        assert f'href="{urls.endorsement(endorsement.id, suffix)}"' in page.text
    for form in ("wallet", "jwt", "ob2"):
        assert said[form] in text, form
    assert said["again"].format(day="") not in text  # the keys never changed
    links = re.findall(r'href="([^"]+)" download', page.text)
    assert {urls.credential(credential.id, s) for s in (".json", ".jwt", ".png", ".svg")} <= set(
        links
    )
    assert {urls.ob2_assertion(credential.id, s) for s in (".jws", ".png")} <= set(links)
    assert f'href="{urls.ob2_assertion(credential.id)}"' in page.text  # hosted, a link


@pytest.mark.parametrize("locale", LOCALES)
def test_after_the_keys_change_the_pages_say_when_the_ob2_copy_was_signed_again(
    client: TestClient, session: Session, settings: Settings, locale: str
) -> None:
    said = SAID[locale]
    people = cast(session)
    credential = completed(session, settings, people)
    before = _text(client, f"/credentials/{credential.id}", locale)
    assert said["ob2"] in before
    assert said["again"].format(day="") not in before
    jws = credential.ob2_jws
    rotated = _rotated(session, settings, people, credential)
    session.refresh(credential)
    assert credential.ob2_jws != jws  # the same assertion, signed again
    day = _day(locale, rotated)
    after = _text(client, f"/credentials/{credential.id}", locale)
    assert said["again"].format(day=day) in after
    sign_in(client, session, people.volunteer_email)
    mine = _text(client, "/me/credentials", locale)
    assert said["mine_on"].format(day=day) in mine
    assert said["mine"] in mine
    assert said["wallet"] in mine


def test_a_badge_issued_after_the_keys_changed_is_not_said_to_be_signed_again(
    client: TestClient, session: Session, settings: Settings
) -> None:
    people = cast(session)
    first = completed(session, settings, people)
    _rotated(session, settings, people, first)
    later = completed(session, settings, cast(session))  # the platform's issuer, new key
    assert later.issuer_id == first.issuer_id
    text = _text(client, f"/credentials/{later.id}", "en")
    assert SAID["en"]["again"].format(day="") not in text
    assert SAID["en"]["ob2"] in text


def test_a_revoked_badge_is_not_offered_for_a_profile(
    client: TestClient, session: Session, settings: Settings
) -> None:
    people = cast(session)
    credential = completed(session, settings, people)
    sign_in(client, session, people.volunteer_email)
    assert "linkedin.com" in client.get("/me/credentials").text
    issuance.revoke(session, people.member, credential.id, "issued in error")
    page = client.get("/me/credentials").text
    assert "linkedin.com" not in page
    assert "issued in error" in page
