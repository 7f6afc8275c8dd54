"""Open Badges 2.0 from the same record as the 3.0 credential: the hosted and the signed
assertion, the BadgeClass, the issuer Profile, its CryptographicKey and RevocationList.

Shapes follow the OB 2.0 verification checklist (docs/openbadges.md in the notes of the spec):
http(s) ids, date-times with a time zone, a hashed and salted email identity, criteria with a
narrative, an issuer that links its key (and the key its owner) both ways.
"""

from typing import Any

from badges import wording
from badges.record import BadgeRecord, IssuerProfile, iso

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
# OB 2.0 verifiers compact a one-entry list into a scalar and miss the revocation: a list is
# never published with exactly one entry (this id is never issued).
SENTINEL = "urn:uuid:00000000-0000-4000-8000-000000000000"


def issuer_profile(
    issuer: IssuerProfile, *, key_url: str | None, revocation_list_url: str
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "id": issuer.ob2_id,
        "type": "Issuer",
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "revocationList": revocation_list_url,
    }
    if key_url is not None:
        # One key only: OB 2.0 verifiers read a single publicKey (rotation re-signs).
        found["publicKey"] = key_url
    if issuer.image_url:
        found["image"] = issuer.image_url
    return found


def cryptographic_key(*, key_url: str, owner: str, public_key_pem: str) -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "id": key_url,
        "type": "CryptographicKey",
        "owner": owner,
        "publicKeyPem": public_key_pem,
    }


def badge_class(record: BadgeRecord) -> dict[str, Any]:
    alignments = []
    for c in record.competences:
        label = f"e-{c.level}" if c.framework == "ecf" else str(c.level)
        at_level = c.level is not None and c.level_url is not None
        alignments.append(
            {
                "targetName": f"{c.code} {c.title}",
                "targetUrl": c.level_url if at_level else c.url,
                "targetFramework": c.framework_name,
                "targetCode": f"{c.code}/{label}" if at_level else c.code,
                "targetDescription": (
                    wording.phrase(
                        record.language,
                        "observed in short",
                        description=c.description or c.title,
                        level=label,
                    )
                    if c.level is not None
                    else c.description or c.title
                ),
            }
        )
    return {
        "@context": OB2_CONTEXT,
        "id": record.urls.ob2_badge_class,
        "type": "BadgeClass",
        "name": record.name,
        "description": record.description,
        "image": record.urls.image,
        "criteria": {"id": record.urls.mission, "narrative": record.criteria},
        "issuer": record.issuer.ob2_id,
        "alignment": alignments,
        "tags": ["pro bono", "skills-based volunteering", *(c.code for c in record.competences)],
        "related": [record.urls.achievement],  # the same badge in OB 3.0
    }


def signed_form(hosted: dict[str, Any], *, signed_id: str, key_url: str) -> dict[str, Any]:
    """The signed assertion of a hosted one: the same claims under a `urn:uuid:` id, verified
    by the key instead of by its URL (re-made when the issuer's key rotates)."""
    return {**hosted, "id": signed_id, "verification": {"type": "SignedBadge", "creator": key_url}}


def assertion(record: BadgeRecord, *, key_url: str | None = None) -> dict[str, Any]:
    """Hosted (its id is its URL) without a key, signed (`urn:uuid:` id) with one."""
    if key_url is not None:
        return signed_form(assertion(record), signed_id=record.urls.ob2_signed_id, key_url=key_url)
    found: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "id": record.urls.ob2_assertion,
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "identity": record.recipient.identity_hash,
            "salt": record.recipient.salt,
        },
        "badge": record.urls.ob2_badge_class,
        "verification": {"type": "HostedBadge"},
        "issuedOn": iso(record.awarded),
        "image": record.urls.image,
        "evidence": [
            {
                "id": record.urls.mission,
                "name": record.mission_title,
                "genre": wording.phrase(record.language, "genre"),
                "narrative": wording.narrative(
                    record.association_name, record.hours, record.language
                ),
            }
        ],
        "narrative": record.criteria,
    }
    if record.valid_until is not None:
        found["expires"] = iso(record.valid_until)
    return found


def revoked(assertion_id: str, reason: str) -> dict[str, Any]:
    """The body of a revoked hosted assertion (served with HTTP 410)."""
    return {
        "@context": OB2_CONTEXT,
        "id": assertion_id,
        "type": "Assertion",
        "revoked": True,
        "revocationReason": reason,
    }


def revocation_list(
    *, list_id: str, issuer_id: str, revoked: list[tuple[str, str]]
) -> dict[str, Any]:
    entries = [{"id": i, "revocationReason": reason} for i, reason in revoked]
    if len(entries) == 1:
        entries.append({"id": SENTINEL, "revocationReason": "placeholder, never issued"})
    return {
        "@context": OB2_CONTEXT,
        "id": list_id,
        "type": "RevocationList",
        "issuer": issuer_id,
        "revokedAssertions": entries,
    }
