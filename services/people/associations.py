"""Verifying associations: a badge is worth the trust in who vouches for it.

An association gives an identifier at sign-up (a French RNA or SIREN number, a Belgian
enterprise number, a UK charity number, or another proof as a document). A platform admin
checks it against the public register and verifies or rejects the association. Until it is
verified, its completed missions record the transfer but issue no credential; verifying it
issues each of those credentials, exactly once.
"""

import re
from dataclasses import dataclass

from sqlmodel import Session
from stdnum.be import vat as belgian_enterprise
from stdnum.exceptions import ValidationError
from stdnum.fr import siren

from config import Settings
from models import (
    AssociationDocument,
    Conflict,
    IdentifierKind,
    InvalidData,
    Need,
    NotFound,
    Organisation,
    OrganisationKind,
    Verification,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.actors import Actor
from services.errors import NotAllowed
from services.notifications import events
from services.people.profiles import PUBLISHED

_RNA = re.compile(r"^W\d{9}$")
# England and Wales: 6 or 7 digits; Scotland: SC and 6 digits; Northern Ireland: NIC (or NI)
# and 6 digits.
_UK_CHARITY = re.compile(r"^(?:\d{6,7}|SC\d{6}|NIC?\d{6})$")
# What a proof may be: a PDF or a photo of it, up to 2 MB.
DOCUMENT_TYPES = {"application/pdf": b"%PDF", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8"}
MAX_DOCUMENT = 2 * 1024 * 1024


def normalised_identifier(kind: IdentifierKind, value: str) -> str:
    """The identifier as registers write it, once its form and check digits are right.

    Raises:
        InvalidData: not an identifier of that kind (field "identifier")."""
    compact = re.sub(r"[\s.\-/]", "", value).upper()
    if kind is IdentifierKind.RNA:
        if not _RNA.match(compact):
            raise InvalidData(
                "an RNA number is W followed by 9 digits, such as W751234567", field="identifier"
            )
        return compact
    if kind is IdentifierKind.SIREN:
        try:
            return str(siren.validate(compact))
        except ValidationError:
            raise InvalidData(
                "a SIREN number has 9 digits and a valid check digit (see your INSEE notice)",
                field="identifier",
            ) from None
    if kind is IdentifierKind.BCE:
        try:
            return str(belgian_enterprise.validate(compact))
        except ValidationError:
            raise InvalidData(
                "a Belgian enterprise number has 10 digits, such as 0403.170.701, and a valid "
                "check number",
                field="identifier",
            ) from None
    if kind is IdentifierKind.UK_CHARITY:
        if not _UK_CHARITY.match(compact):
            raise InvalidData(
                "a UK charity number has 6 or 7 digits (England and Wales), or SC or NIC and "
                "6 digits (Scotland, Northern Ireland)",
                field="identifier",
            )
        return compact
    return value.strip()[:40]  # other: a free reference; the document is the proof


@dataclass(frozen=True)
class Proof:
    """What an association gives at sign-up to be verified."""

    kind: IdentifierKind
    identifier: str = ""
    filename: str = ""
    media_type: str = ""
    content: bytes = b""


def check_proof(proof: Proof) -> str:
    """The identifier, normalised, once the proof is complete (before anything is saved).

    Raises:
        InvalidData: a malformed identifier, or "other" without a readable document."""
    if proof.kind is IdentifierKind.OTHER:
        expected = DOCUMENT_TYPES.get(proof.media_type)
        if not proof.content:
            raise InvalidData(
                "send a document that shows the association exists (its statutes, the "
                "receipt of its declaration)",
                field="document",
            )
        if len(proof.content) > MAX_DOCUMENT:
            raise InvalidData("the document is larger than 2 MB", field="document")
        if expected is None or not proof.content.startswith(expected):
            raise InvalidData("send the document as a PDF, PNG or JPEG file", field="document")
    return normalised_identifier(proof.kind, proof.identifier)


def record_proof(session: Session, organisation: Organisation, proof: Proof) -> None:
    """Checks and stores the association's identifier (and document); not committed.

    Raises:
        InvalidData: see `check_proof`."""
    identifier = check_proof(proof)
    if proof.kind is IdentifierKind.OTHER:
        session.add(
            AssociationDocument(
                organisation_id=persisted_id(organisation.id),
                filename=proof.filename[-200:] or "document",
                media_type=proof.media_type,
                content=proof.content,
            )
        )
    organisation.identifier_kind = proof.kind
    organisation.identifier = identifier or None
    organisation.verification = Verification.PENDING
    session.add(organisation)


def _association(session: Session, actor: Actor, slug: str) -> Organisation:
    if not actor.is_admin:
        raise NotAllowed("only a platform admin verifies associations")
    found = queries.organisations.find_organisation(session, slug)
    if found is None or found.kind is not OrganisationKind.ASSOCIATION:
        raise NotFound(f"no association {slug!r}")
    return found


def verify(session: Session, settings: Settings, actor: Actor, slug: str) -> int:
    """Verifies the association, then issues the credentials its completed missions were
    waiting for; returns how many. Verifying again changes nothing.

    Raises:
        NotAllowed: the actor is not a platform admin."""
    association = _association(session, actor, slug)
    if association.verification is not Verification.VERIFIED:
        association.verification = Verification.VERIFIED
        association.verified_at, association.verified_by_id = utcnow(), actor.account_id
        association.verification_note = ""
        session.add(association)
        events.association_verified(session, association)
        session.commit()
    return issue_waiting(session, settings, persisted_id(association.id))


def reject(session: Session, actor: Actor, slug: str, reason: str) -> None:
    """Raises:
    InvalidData: no reason given (the association is told it).
    Conflict: the association is verified already (its badges are out)."""
    association = _association(session, actor, slug)
    reason = reason.strip()
    if not 1 <= len(reason) <= 500:
        raise InvalidData("say why, in 500 characters at most", field="reason")
    if association.verification is Verification.VERIFIED:
        raise Conflict(f"{association.name} is verified already: its badges are issued")
    association.verification, association.verification_note = Verification.REJECTED, reason
    association.verified_at, association.verified_by_id = utcnow(), actor.account_id
    session.add(association)
    session.commit()


def issue_waiting(session: Session, settings: Settings, association_id: int) -> int:
    """Issues each credential waiting for this (verified) association, one mission per
    transaction: the database's unique key on the credential's mission keeps it to one,
    whoever else issues at the same time."""
    issued = 0
    for mission_id in queries.missions.waiting_credentials(session, association_id):
        if workflow.issue_waiting(session, settings, mission_id):
            issued += 1
    return issued


@dataclass(frozen=True)
class PublicPage:
    """What anyone may read of an association: who it is, and the needs it has published."""

    association: Organisation
    verified: bool
    needs: list[Need]


def public_page(session: Session, slug: str) -> PublicPage:
    """The page a badge links to as the association that vouched for the mission.

    Raises:
        NotFound: no association of that address (companies have no such page).
    """
    found = queries.organisations.find_organisation(session, slug)
    if found is None or found.kind is not OrganisationKind.ASSOCIATION:
        raise NotFound(f"no association {slug!r}")
    needs = queries.profiles.needs_of(session, persisted_id(found.id))
    return PublicPage(
        found,
        found.verification is Verification.VERIFIED,
        [n for n in needs if n.status in PUBLISHED],
    )
