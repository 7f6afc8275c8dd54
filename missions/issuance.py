"""Issuing a completed mission's credential (both Open Badges versions, from one record),
revoking it, endorsing it, and rotating an issuer's keys.

`issue` runs inside the transaction that completes the mission and does not commit; the
others are use-cases of their own and commit once.
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from badges import ob2, ob3, signing
from badges.ob3 import STATUS_LIST_SIZE, level_label
from badges.record import (
    BadgeRecord,
    Competence,
    Creator,
    Recipient,
    Urls,
    hash_identity,
    iso,
    new_salt,
    whole_seconds,
)
from config import Settings
from missions import issuers
from missions.actors import Actor
from missions.urls import PublicUrls
from models import Competence as CompetenceRow
from models import (
    Conflict,
    Credential,
    Endorsement,
    Framework,
    InvalidData,
    Issuer,
    KeyAlgorithm,
    KeyStatus,
    Mission,
    Need,
    NotAllowed,
    Organisation,
    SigningKey,
    persisted_id,
    queries,
    utcnow,
)

MAX_REASON = 2000
# A list is left for a new one before it is full, so that a random index is rarely taken.
_LIST_FILL = int(STATUS_LIST_SIZE * 0.8)


def ob2_signed_id(credential_id: str) -> str:
    """The id of a credential's signed OB 2.0 assertion: another id than the OB 3.0
    credential's (they are two documents), derived from it so that it never changes."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id)}"


def _status_entry(session: Session, issuer_id: int) -> tuple[int, int]:
    """A random index of the issuer's current status list (herd privacy: neighbours in a list
    say nothing about when or to whom a credential was issued). An index already taken is
    refused by the database's unique key and the completion is tried again."""
    number, filled = queries.credentials.status_list_fill(session, issuer_id)
    if filled >= _LIST_FILL:
        number += 1
    return number, secrets.randbelow(STATUS_LIST_SIZE)


def _competence(
    urls: PublicUrls, competence: CompetenceRow, framework: Framework, level: int | None
) -> Competence:
    if framework.hosted_path is None:  # ESCO: its own dereferenceable URIs
        url, level_url = competence.uri or "", None
    else:
        url = urls.competence(framework.hosted_path, competence.code)
        level_url = (
            None
            if level is None
            else urls.competence(
                framework.hosted_path, competence.code, level_label(framework.kind.value, level)
            )
        )
    return Competence(
        framework=framework.kind.value,
        framework_name=framework.name,
        code=competence.code,
        title=competence.title_en,
        url=url,
        description=competence.description_en or "",
        level=level,
        level_min=competence.level_min,
        level_max=competence.level_max,
        level_url=level_url,
    )


def badge_record(
    session: Session,
    settings: Settings,
    mission: Mission,
    *,
    need: Need,
    association: Organisation,
    credential_id: str,
    issuer: Issuer,
    on_behalf: Organisation | None,
    status: tuple[int, int],
    recipient: Recipient,
    completed_at: datetime,
) -> BadgeRecord:
    urls = PublicUrls.of(settings.public_base_url)
    mission_id = persisted_id(mission.id)
    assessed = [
        _competence(urls, competence, framework, assessment.level)
        for assessment, competence, framework in queries.missions.assessments_of(
            session, mission_id
        )
    ]
    hours = queries.missions.approved_hours(session, mission_id)
    listed = ", ".join(
        f"{c.code} {c.title}"
        + ("" if c.level is None else f" at {level_label(c.framework, c.level)}")
        for c in assessed
    )
    issuer_id = persisted_id(issuer.id)
    valid_from = whole_seconds(completed_at)
    valid_until = (
        None
        if settings.credential_validity_years is None
        else valid_from.replace(year=valid_from.year + settings.credential_validity_years)
    )
    return BadgeRecord(
        issuer=issuers.profile(issuer, urls, settings),
        recipient=recipient,
        urls=Urls(
            credential=f"urn:uuid:{credential_id}",
            achievement=urls.achievement(credential_id),
            mission=urls.mission(mission_id),
            image=urls.image(credential_id),
            ob2_assertion=urls.ob2_assertion(credential_id),
            ob2_badge_class=urls.ob2_badge_class(credential_id),
            ob2_signed_id=ob2_signed_id(credential_id),
            status_list=urls.status_list(issuer_id, status[0]),
            status_index=status[1],
            revocation_list=urls.revocation_list(issuer_id),
            verify_page=urls.verify_page(),
        ),
        name=f"Pro bono mission: {need.title}",
        description=(
            f"Skills-based volunteering for {association.name}: {_hours(hours)} hours of work "
            f"approved by the association, which assessed the competences exercised."
        ),
        criteria=(
            f'Carried out the pro bono mission "{need.title}" for {association.name}, '
            f"confirmed as completed by both sides. Competences exercised, as assessed by the "
            f"association: {listed or 'none stated'}."
        ),
        mission_title=need.title,
        association_name=association.name,
        hours=hours,
        competences=tuple(assessed),
        valid_from=valid_from,
        awarded=valid_from,
        valid_until=valid_until,
        creator=None
        if on_behalf is None
        else Creator(
            urls.organisation(on_behalf.slug),
            on_behalf.name,
            on_behalf.website or urls.organisation(on_behalf.slug),
        ),
    )


def _hours(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def issue(
    session: Session, settings: Settings, mission: Mission, *, completed_at: datetime
) -> Credential:
    """The mission's credential, signed and stored (flushed, not committed)."""
    need, association, account, own = queries.credentials.issuance_facts(session, mission)
    issuer = own or issuers.platform_issuer(session, settings)
    ob3_key, ob2_key = issuers.signing_keys(
        session, settings, issuer, KeyAlgorithm(settings.badge_algorithm), KeyAlgorithm.RS256
    )
    credential_id = str(uuid.uuid4())
    salt = new_salt()
    recipient = Recipient(
        f"urn:uuid:{uuid.uuid4()}", hash_identity(account.email, salt), salt, account.display_name
    )
    status = _status_entry(session, persisted_id(issuer.id))
    record = badge_record(
        session,
        settings,
        mission,
        need=need,
        association=association,
        credential_id=credential_id,
        issuer=issuer,
        on_behalf=None if own else association,
        status=status,
        recipient=recipient,
        completed_at=completed_at,
    )
    signed = sign_documents(record, settings, ob3_key, ob2_key)
    credential = Credential(
        id=credential_id,
        mission_id=persisted_id(mission.id),
        issuer_id=persisted_id(issuer.id),
        on_behalf_of_id=None if own else association.id,
        signing_key_id=persisted_id(ob3_key.id),
        ob2_signing_key_id=persisted_id(ob2_key.id),
        subject_id=recipient.subject_id,
        recipient_hash=recipient.identity_hash,
        recipient_salt=salt,
        issued_at=utcnow(),
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        ob3_jwt=signed.ob3_jwt,
        ob2_assertion=signed.hosted,
        ob2_badge_class=signed.badge_class,
        ob2_jws=signed.ob2_jws,
        status_list=status[0],
        status_list_index=status[1],
    )
    session.add(credential)
    session.flush()
    return credential


@dataclass(frozen=True)
class Signed:
    """Every document of one credential, as issued."""

    ob3_jwt: str
    hosted: dict[str, Any]  # the OB 2.0 hosted assertion
    badge_class: dict[str, Any]
    ob2_jws: str


def sign_documents(
    record: BadgeRecord, settings: Settings, ob3_key: SigningKey, ob2_key: SigningKey
) -> Signed:
    """Both Open Badges versions of the record, signed: no database work."""
    urls = PublicUrls.of(settings.public_base_url)
    hosted = ob2.assertion(record)
    return Signed(
        signing.sign_credential(ob3.credential(record), issuers.private_key(settings, ob3_key)),
        hosted,
        ob2.badge_class(record),
        _signed_ob2(hosted, record.urls.ob2_signed_id, ob2_key, urls, settings),
    )


def _signed_ob2(
    hosted: dict[str, Any], signed_id: str, key: SigningKey, urls: PublicUrls, settings: Settings
) -> str:
    assertion = ob2.signed_form(
        dict(hosted), signed_id=signed_id, key_url=urls.ob2_key(issuers.key_uuid(key))
    )
    return signing.sign_assertion(assertion, issuers.private_key(settings, key))


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
    key = issuers.signing_key(session, settings, issuer, KeyAlgorithm(settings.badge_algorithm))
    urls = PublicUrls.of(settings.public_base_url)
    endorsement_id = str(uuid.uuid4())
    document = ob3.endorsement(
        endorsement_id=f"urn:uuid:{endorsement_id}",
        endorser=issuers.profile(issuer, urls, settings),
        endorsed_id=f"urn:uuid:{credential_id}",
        comment=comment,
        valid_from=iso(utcnow()),
    )
    endorsement = Endorsement(
        id=endorsement_id,
        credential_id=credential_id,
        issuer_id=persisted_id(issuer.id),
        signing_key_id=persisted_id(key.id),
        comment=comment,
        jwt=signing.sign_credential(document, issuers.private_key(settings, key)),
    )
    session.add(endorsement)
    try:
        session.commit()
    except IntegrityError:  # endorsed at the same moment by another member: keep theirs
        session.rollback()
        return queries.credentials.get_endorsement(session, endorsement_id)
    return endorsement


def rotate_keys(
    session: Session, settings: Settings, actor: Actor, issuer_id: int
) -> list[SigningKey]:
    """Retires the issuer's active keys and makes new ones. Retired keys stay published, so
    every credential they signed still verifies; the signed OB 2.0 assertions, whose
    verifiers read only the issuer's one current key, are signed again with the new one."""
    issuer = queries.credentials.get_issuer(session, issuer_id)
    if not actor.is_admin and (
        issuer.organisation_id is None or issuer.organisation_id not in actor.associations
    ):
        raise NotAllowed("only a platform admin or a member of the association can rotate keys")
    wanted = {KeyAlgorithm.RS256, KeyAlgorithm(settings.badge_algorithm)}
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
    session.commit()
    return made
