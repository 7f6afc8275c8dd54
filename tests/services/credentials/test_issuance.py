"""Issuing: who signs (the association's own issuer profile with its own keys, else the
platform on its behalf, saying so), and status lists: each credential takes an entry of its
issuer's current list, counted on the issuer's row; a list that has given its share of
entries gives way to the next one, which is served, signed, and holds that credential's
revocation."""

import json

from sqlmodel import Session

from badges import signing, status
from config import Settings
from models import Credential, Issuer, KeyAlgorithm, Organisation, queries
from services.credentials import issuance, issuers, publication, verification
from services.credentials.urls import PublicUrls
from tests.factories import cast, completed


def _issuer(session: Session, credential: Credential) -> Issuer:
    # As the pages read it: the session's own copy, if it holds one.
    return queries.credentials.get_issuer(session, credential.issuer_id)


def _served_list(session: Session, settings: Settings, issuer_id: int, number: int) -> str:
    token = publication.serve(session, settings, f"/status/{issuer_id}/{number}").body.decode()
    return str(signing.unverified_payload(token)["credentialSubject"]["encodedList"])


def _achievement(credential: Credential) -> dict[str, object]:
    subject = signing.unverified_payload(credential.ob3_jwt)["credentialSubject"]
    return dict(subject["achievement"])


def test_an_association_with_its_own_profile_signs_with_its_own_keys(
    session: Session, settings: Settings
) -> None:
    people = cast(session)
    organisation = session.get(Organisation, people.organisation_id)
    assert organisation is not None
    own = issuers.own_issuer(session, organisation, settings)
    session.commit()
    assert queries.credentials.keys_of(session, own.id or 0) == []  # made on first use

    credential = completed(session, settings, people)
    assert (credential.issuer_id, credential.on_behalf_of_id) == (own.id, None)
    key, proof_key = queries.credentials.keys_of(session, own.id or 0)
    assert (key.algorithm, proof_key.algorithm) == (KeyAlgorithm.RS256, KeyAlgorithm.EDDSA)
    assert credential.signing_key_id == credential.ob2_signing_key_id == key.id
    claims = signing.unverified_payload(credential.ob3_jwt)
    assert claims["iss"] == PublicUrls.of(settings.public_base_url).issuer_did(own.id or 0)
    assert claims["proof"][0]["verificationMethod"].startswith(claims["iss"] + "#")
    assert "creator" not in _achievement(credential)
    assert verification.verify_badge(session, settings, credential.ob3_jwt).valid


def test_the_platform_signs_on_behalf_of_an_association_and_says_so(
    session: Session, settings: Settings
) -> None:
    people = cast(session)
    credential = completed(session, settings, people)
    platform = issuers.platform_issuer(session, settings)
    assert (credential.issuer_id, credential.on_behalf_of_id) == (
        platform.id,
        people.organisation_id,
    )
    organisation = session.get(Organisation, people.organisation_id)
    assert organisation is not None
    creator = _achievement(credential)["creator"]
    assert isinstance(creator, dict)
    assert creator["name"] == organisation.name
    assert verification.verify_badge(session, settings, credential.ob3_jwt).valid


def test_each_credential_is_counted_in_the_current_list(
    session: Session, settings: Settings
) -> None:
    made = [completed(session, settings, cast(session)) for _ in range(3)]
    assert {c.issuer_id for c in made} == {made[0].issuer_id}  # the platform's, for all
    issuer = _issuer(session, made[0])
    assert (issuer.status_list, issuer.status_list_used) == (1, 3)
    assert [c.status_list for c in made] == [1, 1, 1]
    assert len({c.status_list_index for c in made}) == 3


def test_a_full_list_gives_way_to_the_next(session: Session, settings: Settings) -> None:
    first = completed(session, settings, cast(session))
    issuer = _issuer(session, first)
    issuer.status_list_used = issuance._LIST_FILL  # the share of list 1 is given
    session.commit()

    people = cast(session)
    second = completed(session, settings, people)
    assert (first.status_list, second.status_list) == (1, 2)
    assert _issuer(session, second) is issuer  # the copy the session held all along
    assert (issuer.status_list, issuer.status_list_used) == (2, 1)

    issuance.revoke(session, people.member, second.id, "issued in error")
    index = second.status_list_index
    assert status.is_set(_served_list(session, settings, second.issuer_id, 2), index)
    assert not status.is_set(_served_list(session, settings, second.issuer_id, 1), index)
    beyond = publication.serve(session, settings, f"/status/{second.issuer_id}/3")
    assert beyond.status == 404
    assert "no status list 3" in json.loads(beyond.body)["detail"]


def test_a_badge_speaks_its_recipients_language(session: Session, settings: Settings) -> None:
    said = {}
    for locale in ("fr", "en"):
        people = cast(session)
        account = queries.organisations.get_account(session, people.volunteer_email)
        account.locale = locale
        session.commit()
        credential = completed(session, settings, people)
        achievement = _achievement(credential)
        said[locale] = achievement
        assert achievement["inLanguage"] == locale
        assert verification.verify_badge(session, settings, credential.ob3_jwt).valid
        context = publication.Context(session, settings, settings.public_base_url)
        assert publication.image(context, credential.id).status == 200
    assert str(said["fr"]["name"]).startswith("Mission pro bono : ")
    assert "heures de travail approuvées" in str(said["fr"]["description"])
    assert "Développement d'applications" in json.dumps(said["fr"], ensure_ascii=False)
    assert str(said["en"]["name"]).startswith("Pro bono mission: ")
    assert "Application Development" in json.dumps(said["en"])


def test_a_badge_issued_at_an_http_address_verifies_in_both_forms(
    session: Session, settings: Settings
) -> None:
    """Development serves http: the issuer's did:web still names its DID document over
    HTTPS (the method's rule), and the service finds it as its own."""
    development = settings.model_copy(update={"public_base_url": "http://localhost:8000"})
    credential = completed(session, development, cast(session))
    claims = signing.unverified_payload(credential.ob3_jwt)
    assert claims["iss"].startswith("did:web:localhost%3A8000:issuers:")
    document = {k: v for k, v in claims.items() if k not in signing.REGISTERED_CLAIMS}
    for form in (credential.ob3_jwt, json.dumps(document)):
        report = verification.verify_badge(session, development, form)
        assert report.valid, [c for c in report.checks if c.outcome == "failed"]
