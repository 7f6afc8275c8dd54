"""Issuing a completed mission's credential (both Open Badges versions, from one record),
revoking it, endorsing it, and rotating an issuer's keys.

`issue` runs inside the transaction that completes the mission and does not commit; the
others are use-cases of their own and commit once.
"""

import dataclasses
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from badges import did, ob2, ob3, signing, wording
from badges.ob3 import STATUS_LIST_SIZE
from badges.record import (
    BadgeRecord,
    Competence,
    Creator,
    Recipient,
    Urls,
    Verified,
    hash_identity,
    iso,
    level_label,
    new_salt,
    whole_seconds,
)
from config import Settings
from models import (
    Conflict,
    Credential,
    Endorsement,
    InvalidData,
    KeyAlgorithm,
    KeyStatus,
    Mission,
    Organisation,
    SigningKey,
    persisted_id,
    queries,
    utcnow,
)
from models.queries.issuance import AssessedRow, Facts, IssuerRow
from services.actors import Actor
from services.credentials import issuers
from services.credentials.issuers import StoredKey
from services.credentials.urls import PublicUrls
from services.errors import NotAllowed
from services.notifications import events

MAX_REASON = 2000
# A list is left for a new one before it is full, so that a random index is rarely taken.
_LIST_FILL = int(STATUS_LIST_SIZE * 0.8)


def ob2_signed_id(credential_id: str) -> str:
    """The id of a credential's signed OB 2.0 assertion: another id than the OB 3.0
    credential's (they are two documents), derived from it so that it never changes."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id)}"


def _language_of(credential: Credential) -> str:
    """The language the credential's words are in (English for those issued before
    badges spoke their recipient's language)."""
    achievement = signing.unverified_payload(credential.ob3_jwt)["credentialSubject"]["achievement"]
    return str(achievement.get("inLanguage") or "en")


def _competence(urls: PublicUrls, row: AssessedRow, language: str) -> Competence:
    framework = row.framework.value
    if row.hosted_path is None:  # ESCO: its own dereferenceable URIs
        url, level_url = row.uri or "", None
    else:
        url = urls.competence(row.hosted_path, row.code)
        level_url = (
            None
            if row.level is None
            else urls.competence(row.hosted_path, row.code, level_label(framework, row.level))
        )
    return Competence(
        framework=framework,
        framework_name=row.framework_name,
        code=row.code,
        title=(row.title_fr if language == "fr" else None) or row.title_en,
        url=url,
        description=(row.description_fr if language == "fr" else None) or row.description_en or "",
        level=row.level,
        level_min=row.level_min,
        level_max=row.level_max,
        level_url=level_url,
    )


def _verified(settings: Settings, facts: Facts, language: str) -> Verified | None:
    """Who verified the association, said in the badge: nobody yet, or the platform."""
    if facts.association_verified_at is None:
        return None
    return wording.verified(
        settings.platform_name,
        facts.association_verified_at.date(),
        facts.association_identifier,
        language,
    )


def badge_record(
    settings: Settings,
    mission_id: int,
    facts: Facts,
    *,
    issuer: IssuerRow,
    credential_id: str,
    status: tuple[int, int],
    recipient: Recipient,
    completed_at: datetime,
) -> BadgeRecord:
    urls = PublicUrls.of(settings.public_base_url)
    language = facts.locale if facts.locale in wording.LANGUAGES else "en"
    competences = tuple(_competence(urls, row, language) for row in facts.assessed)
    valid_from = whole_seconds(completed_at)
    valid_until = (
        None
        if settings.credential_validity_years is None
        else valid_from.replace(year=valid_from.year + settings.credential_validity_years)
    )
    association = facts.association_name
    verified = _verified(settings, facts, language)
    profile = issuers.profile(issuer, urls, settings)
    return BadgeRecord(
        issuer=profile if issuer.on_behalf else dataclasses.replace(profile, verified=verified),
        recipient=recipient,
        urls=Urls(
            credential=f"urn:uuid:{credential_id}",
            achievement=urls.achievement(credential_id),
            mission=urls.mission(mission_id),
            image=urls.image(credential_id),
            ob2_assertion=urls.ob2_assertion(credential_id),
            ob2_badge_class=urls.ob2_badge_class(credential_id),
            ob2_signed_id=ob2_signed_id(credential_id),
            status_list=urls.status_list(issuer.id, status[0]),
            status_index=status[1],
            verify_page=urls.verify_page(),
        ),
        name=wording.name(facts.need_title, language),
        description=wording.description(association, facts.hours, language),
        criteria=wording.criteria(facts.need_title, association, competences, language),
        language=language,
        mission_title=facts.need_title,
        association_name=association,
        hours=facts.hours,
        competences=competences,
        valid_from=valid_from,
        awarded=valid_from,
        valid_until=valid_until,
        creator=None
        if not issuer.on_behalf
        else Creator(
            urls.organisation(facts.association_slug),
            association,
            facts.association_website or urls.organisation(facts.association_slug),
            verified,
        ),
    )


@dataclass(frozen=True)
class Keys:
    """The keys one credential is signed with."""

    jwt: StoredKey  # its OB 3.0 VC-JWT (RS256 or ES256)
    ob2: StoredKey  # its signed OB 2.0 assertion (RS256)
    proof: StoredKey  # its Data Integrity proof (Ed25519)


def _issuer_and_facts(
    session: Session, settings: Settings, mission_id: int
) -> tuple[IssuerRow, int, Facts, Keys]:
    """The issuer, the status list of the new credential's entry, the facts it names and the
    issuer's keys. The platform's issuer profile and an issuer's keys are made on first use."""
    taken = queries.issuance.take_status_entry(session, mission_id, _LIST_FILL)
    if taken is None:
        issuers.platform_issuer(session, settings)
        taken = queries.issuance.take_status_entry(session, mission_id, _LIST_FILL)
        assert taken is not None  # made just above
    issuer, status_list = taken
    ob3_algorithm, ob2_algorithm = KeyAlgorithm(settings.badge_algorithm), KeyAlgorithm.RS256
    facts = queries.issuance.facts(session, mission_id, issuer.id, ob3_algorithm, ob2_algorithm)
    if facts.ob3_key is None or facts.ob2_key is None or facts.proof_key is None:
        row = queries.credentials.get_issuer(session, issuer.id)
        issuers.signing_keys(
            session, settings, row, ob3_algorithm, ob2_algorithm, KeyAlgorithm.EDDSA
        )
        facts = queries.issuance.facts(session, mission_id, issuer.id, ob3_algorithm, ob2_algorithm)
    assert facts.ob3_key is not None  # made just above
    assert facts.ob2_key is not None
    assert facts.proof_key is not None
    return issuer, status_list, facts, Keys(facts.ob3_key, facts.ob2_key, facts.proof_key)


def issue(
    session: Session, settings: Settings, mission: Mission, *, completed_at: datetime
) -> Credential:
    """The mission's credential, signed and stored (not committed).

    Its status entry is a random index of the issuer's current list (herd privacy:
    neighbours in a list say nothing about when or to whom a credential was issued); an
    index already taken is refused by the database's unique key and the completion is tried
    again."""
    # The mission's row is written (and on PostgreSQL locked) before the issuer's, so that
    # two completions always take the two locks in the same order.
    session.flush()
    mission_id = persisted_id(mission.id)
    issuer, status_list, facts, signers = _issuer_and_facts(session, settings, mission_id)
    status = (status_list, secrets.randbelow(STATUS_LIST_SIZE))
    credential_id = str(uuid.uuid4())
    salt = new_salt()
    recipient = Recipient(
        f"urn:uuid:{uuid.uuid4()}", hash_identity(facts.email, salt), salt, facts.display_name
    )
    record = badge_record(
        settings,
        mission_id,
        facts,
        issuer=issuer,
        credential_id=credential_id,
        status=status,
        recipient=recipient,
        completed_at=completed_at,
    )
    signed = sign_documents(record, settings, signers)
    values: dict[str, Any] = {
        "id": credential_id,
        "mission_id": mission_id,
        "issuer_id": issuer.id,
        "on_behalf_of_id": facts.association_id if issuer.on_behalf else None,
        "signing_key_id": signers.jwt.id,
        "ob2_signing_key_id": signers.ob2.id,
        "subject_id": recipient.subject_id,
        "recipient_hash": recipient.identity_hash,
        "recipient_salt": salt,
        "issued_at": utcnow(),
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "ob3_jwt": signed.ob3_jwt,
        "ob2_assertion": signed.hosted,
        "ob2_badge_class": signed.badge_class,
        "ob2_jws": signed.ob2_jws,
        "status_list": status[0],
        "status_list_index": status[1],
    }
    return queries.issuance.insert_credential(session, values)


@dataclass(frozen=True)
class Signed:
    """Every document of one credential, as issued."""

    ob3_jwt: str
    hosted: dict[str, Any]  # the OB 2.0 hosted assertion
    badge_class: dict[str, Any]
    ob2_jws: str


def sign_documents(record: BadgeRecord, settings: Settings, signers: Keys) -> Signed:
    """Both Open Badges versions of the record, signed: no database work."""
    urls = PublicUrls.of(settings.public_base_url)
    hosted = ob2.assertion(record)
    _, token = issuers.secure(
        ob3.credential(record), settings, urls, jwt_key=signers.jwt, proof_key=signers.proof
    )
    return Signed(
        token,
        hosted,
        ob2.badge_class(record),
        _signed_ob2(hosted, record.urls.ob2_signed_id, signers.ob2, urls, settings),
    )


def _signed_ob2(
    hosted: dict[str, Any], signed_id: str, key: StoredKey, urls: PublicUrls, settings: Settings
) -> str:
    assertion = ob2.signed_form(
        dict(hosted), signed_id=signed_id, key_url=urls.ob2_key(issuers.key_uuid(key))
    )
    return signing.sign_assertion(assertion, issuers.private_key(settings, key, urls))


def _association_id(session: Session, credential: Credential) -> int:
    mission = queries.missions.get_mission(session, credential.mission_id)
    return queries.profiles.get_need(session, mission.need_id).organisation_id


def revoke(session: Session, actor: Actor, credential_id: str, reason: str) -> Credential:
    """Withdraws a credential. Every form reads the same row, so this one change updates them
    all: the status list bit, both revocation lists and the hosted assertion's HTTP 410."""
    credential = queries.credentials.get_credential(session, credential_id)
    if not actor.is_admin:
        actor.require_member(_association_id(session, credential))
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidData(
            f"give a reason for revoking (1 to {MAX_REASON} characters)", field="reason"
        )
    if credential.revoked_at is not None:
        return credential  # revoked already: a retry changes nothing
    credential.revoked_at, credential.revocation_reason = utcnow(), reason
    events.badge_revoked(session, credential)
    session.commit()
    return credential


def endorse(
    session: Session, settings: Settings, actor: Actor, credential_id: str, comment: str
) -> Endorsement:
    """The association vouches for the mission's credential, with an EndorsementCredential
    signed by its own issuer profile (made now if it has none: an endorsement must come from
    the association itself, never from the platform in its name)."""
    credential = queries.credentials.get_credential(session, credential_id)
    organisation_id = _association_id(session, credential)
    actor.require_member(organisation_id)
    comment = comment.strip()
    if not comment or len(comment) > MAX_REASON:
        raise InvalidData(f"write the endorsement (1 to {MAX_REASON} characters)", field="comment")
    found = queries.credentials.endorsement_of(session, credential_id)
    if found is not None:
        return found
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise Conflict("the association no longer exists")
    issuer = issuers.own_issuer(session, organisation, settings)
    jwt_key, proof_key = issuers.signing_keys(
        session, settings, issuer, KeyAlgorithm(settings.badge_algorithm), KeyAlgorithm.EDDSA
    )
    urls = PublicUrls.of(settings.public_base_url)
    endorsement_id = str(uuid.uuid4())
    document = ob3.endorsement(
        endorsement_id=f"urn:uuid:{endorsement_id}",
        endorser=issuers.profile(issuer, urls, settings),
        endorsed_id=f"urn:uuid:{credential_id}",
        comment=comment,
        valid_from=iso(utcnow()),
        language=_language_of(credential),
    )
    proved, token = issuers.secure(document, settings, urls, jwt_key=jwt_key, proof_key=proof_key)
    endorsement = Endorsement(
        id=endorsement_id,
        credential_id=credential_id,
        issuer_id=persisted_id(issuer.id),
        signing_key_id=persisted_id(jwt_key.id),
        comment=comment,
        jwt=token,
    )
    session.add(endorsement)
    _carry_endorsement(session, settings, credential, proved)
    try:
        session.commit()
    except IntegrityError:  # endorsed at the same moment by another member: keep theirs
        session.rollback()
        theirs = queries.credentials.endorsement_of(session, credential_id)
        if theirs is None:
            raise
        return theirs
    return endorsement


def _carry_endorsement(
    session: Session,
    settings: Settings,
    credential: Credential,
    endorsement: dict[str, Any],
) -> None:
    """The credential signed again by its issuer (same id, same status entry) with the
    endorsement inside, as OB 3.0 carries endorsements: a wallet holding the credential holds
    what vouches for it. It goes in `endorsement`, with its Data Integrity proof: the OB 3.0
    context DCC and others ship does not define `endorsementJwt`, so a credential carrying
    one fails their JSON-LD checks (the VC-JWT stays linked from the badge's page). Copies
    downloaded before stay valid. A credential issued before issuers were DIDs is left as it
    is (its page links the endorsement)."""
    payload = signing.unverified_payload(credential.ob3_jwt)
    if not str(ob3.issuer_id(payload)).startswith(did.PREFIX):
        return
    issuer = queries.credentials.get_issuer(session, credential.issuer_id)
    document = {
        k: v for k, v in payload.items() if k not in signing.REGISTERED_CLAIMS and k != "proof"
    }
    document["endorsement"] = [endorsement]
    jwt_key, proof_key = issuers.signing_keys(
        session, settings, issuer, KeyAlgorithm(settings.badge_algorithm), KeyAlgorithm.EDDSA
    )
    urls = PublicUrls.of(settings.public_base_url)
    _, credential.ob3_jwt = issuers.secure(
        document, settings, urls, jwt_key=jwt_key, proof_key=proof_key
    )
    credential.signing_key_id = persisted_id(jwt_key.id)
    session.add(credential)


def rotate_keys(
    session: Session, settings: Settings, actor: Actor, issuer_id: int
) -> list[SigningKey]:
    """Retires the issuer's active keys and makes new ones. Retired keys stay published, so
    every credential they signed still verifies; the signed OB 2.0 assertions, whose
    verifiers read only the issuer's one current key, are signed again with the new one, and
    each holder is told to download theirs again."""
    issuer = queries.credentials.get_issuer(session, issuer_id)
    if not actor.is_admin and (
        issuer.organisation_id is None or issuer.organisation_id not in actor.associations
    ):
        raise NotAllowed("only a platform admin or a member of the association can rotate keys")
    wanted = {KeyAlgorithm.RS256, KeyAlgorithm(settings.badge_algorithm), KeyAlgorithm.EDDSA}
    for key in queries.credentials.keys_of(session, issuer_id):
        if key.status is KeyStatus.ACTIVE:
            wanted.add(key.algorithm)
            issuers.retire(key)
    made = [
        issuers.create_key(session, settings, issuer, algorithm) for algorithm in sorted(wanted)
    ]
    rs256 = next(k for k in made if k.algorithm is KeyAlgorithm.RS256)
    urls = PublicUrls.of(settings.public_base_url)
    for credential in queries.credentials.credentials_of_issuer(session, issuer_id):
        credential.ob2_jws = _signed_ob2(
            credential.ob2_assertion, ob2_signed_id(credential.id), rs256, urls, settings
        )
        credential.ob2_signing_key_id = persisted_id(rs256.id)
        if credential.revoked_at is None:  # its holder's OB 2.0 copy must be downloaded again
            events.badge_signed_again(session, credential)
    session.commit()
    return made
