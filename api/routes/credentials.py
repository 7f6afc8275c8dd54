"""Credentials: read one, revoke it, endorse it; issuers' keys and their rotation; the
verifier for anyone holding a badge."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlmodel import Session

from api.deps import ActorDep, Id, SessionDep, SettingsDep
from api.request_limits import limit_verification
from api.schemas import (
    CheckRead,
    CredentialRead,
    EndorseIn,
    EndorsementRead,
    KeyRead,
    ReportRead,
    RevokeIn,
    VerifyIn,
)
from badges.report import Report
from badges.verify import MAX_INPUT
from config import Settings
from models import Credential, InvalidData, queries
from services.credentials import issuance, publication, verification
from services.credentials.urls import PublicUrls

router = APIRouter(tags=["credentials"])


def credential_read(session: Session, settings: Settings, credential: Credential) -> CredentialRead:
    issuer = queries.credentials.get_issuer(session, credential.issuer_id)
    behalf = (
        None
        if credential.on_behalf_of_id is None
        else queries.credentials.organisations_by_id(session, [credential.on_behalf_of_id])
    )
    return CredentialRead(
        id=credential.id,
        mission_id=credential.mission_id,
        issuer=issuer.name,
        on_behalf_of=None if not behalf else next(iter(behalf.values())).name,
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
        revoked=credential.revoked_at is not None,
        revocation_reason=credential.revocation_reason,
        links=publication.credential_links(settings, credential),
    )


@router.get("/credentials/{credential_id}")
def get_credential(
    credential_id: str, session: SessionDep, settings: SettingsDep
) -> CredentialRead:
    """A credential's state and the links to each of its forms (public, like the badge)."""
    return credential_read(
        session, settings, queries.credentials.get_credential(session, credential_id)
    )


@router.post("/credentials/{credential_id}/revoke")
def revoke_credential(
    credential_id: str, body: RevokeIn, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> CredentialRead:
    """The association (or a platform admin) withdraws a credential, with a reason: every
    form of it reports revoked from now on."""
    return credential_read(
        session, settings, issuance.revoke(session, actor, credential_id, body.reason)
    )


@router.post("/credentials/{credential_id}/endorse")
def endorse_credential(
    credential_id: str, body: EndorseIn, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> EndorsementRead:
    """The association vouches for the credential with a signed EndorsementCredential."""
    found = issuance.endorse(session, settings, actor, credential_id, body.comment)
    urls = PublicUrls.of(settings.public_base_url)
    return EndorsementRead(
        id=found.id,
        credential_id=found.credential_id,
        comment=found.comment,
        link=urls.endorsement(found.id),
    )


@router.post("/issuers/{issuer_id}/keys/rotate")
def rotate_keys(
    issuer_id: Id, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> list[KeyRead]:
    """Retires the issuer's keys and makes new ones; what the old keys signed still verifies."""
    made = issuance.rotate_keys(session, settings, actor, issuer_id)
    return [KeyRead.model_validate(k, from_attributes=True) for k in made]


def _read(report: Report) -> ReportRead:
    return ReportRead(
        valid=report.valid,
        version=report.version,
        form=report.form,
        revoked=report.revoked,
        summary=report.summary,
        source=report.source,
        checks=[
            CheckRead(name=c.name, outcome=c.outcome, message=c.message) for c in report.checks
        ],
        credential=report.credential,
    )


@router.post("/verify", dependencies=[Depends(limit_verification)])
def verify(body: VerifyIn, session: SessionDep, settings: SettingsDep) -> ReportRead:
    """Verifies a badge given as text: a VC-JWT, an OB 2.0 JWS, badge JSON or a URL. The
    report explains each check; it is a 200 whatever the badge's verdict, and a 422 for JSON
    nested far deeper than any badge (no check can be run on it)."""
    return _read(verification.verify_badge(session, settings, body.badge, email=body.email))


@router.post("/verify/upload", dependencies=[Depends(limit_verification)])
def verify_upload(
    file: Annotated[UploadFile, File(description="a baked PNG or SVG, or a .jwt/.json file")],
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str | None, Form(max_length=254)] = None,
) -> ReportRead:
    """Verifies an uploaded badge file (baked PNG or SVG, JWT or JSON)."""
    data = file.file.read(MAX_INPUT + 1)
    if len(data) > MAX_INPUT:
        raise InvalidData(f"the file is larger than {MAX_INPUT // 1024} KB", field="file")
    if not data:
        raise InvalidData("the file is empty", field="file")
    return _read(verification.verify_badge(session, settings, data, email=email or None))
