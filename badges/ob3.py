"""Open Badges 3.0: the OpenBadgeCredential of a completed mission, and the credentials that
go with it (endorsement, Bitstring Status List), as JSON ready to be signed as VC-JWTs.

Shapes follow the 1EdTech JSON schema (arrays for `type`, `identifier`, `alignment`,
`evidence`, `credentialSchema`; one object for `credentialStatus`) and use only terms the
published contexts define, so JSON-LD processors drop nothing (tests check both).
"""

from typing import Any

from badges import wording
from badges.record import BadgeRecord, Competence, IssuerProfile, Verified, iso, level_label

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines the type of `credentialSchema` (1EdTechJsonSchemaValidator2019): without it, that
# type is a relative IRI, which Data Integrity verifiers refuse (JSON-LD safe mode).
EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
STATUS_LIST_SIZE = 131_072  # Bitstring Status List: at least 16 KB of entries (herd privacy)


def issuer_id(credential: dict[str, Any]) -> str | None:
    """The credential's issuer id, whether the issuer is a Profile or a bare id."""
    issuer = credential.get("issuer")
    found = issuer.get("id") if isinstance(issuer, dict) else issuer
    return found if isinstance(found, str) else None


def profile(issuer: IssuerProfile) -> dict[str, Any]:
    """The issuer as an OB 3.0 Profile (embedded in credentials and served at its id)."""
    found: dict[str, Any] = {
        "id": issuer.ob3_id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
    }
    if issuer.image_url:
        found["image"] = {"id": issuer.image_url, "type": "Image"}
    return _with_verification(found, issuer.verified)


def _with_verification(profile: dict[str, Any], verified: Verified | None) -> dict[str, Any]:
    """The profile saying who verified the association and from which identifiers (OB 3.0
    IdentifierEntry, with extension types such as "ext:RNA")."""
    if verified is None:
        return profile
    described = " ".join(filter(None, (profile.get("description"), verified.statement)))
    found = {**profile, "description": described}
    if verified.identifiers:
        found["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": value, "identifierType": f"ext:{kind}"}
            for kind, value in verified.identifiers
        ]
    return found


def _result_id(record: BadgeRecord, competence: Competence) -> str:
    return f"{record.urls.achievement}#result-{competence.framework}-{competence.code}"


def _alignment(competence: Competence, language: str, *, at_level: bool = False) -> dict[str, Any]:
    level = at_level and competence.level_url is not None
    name = f"{competence.code} {competence.title}"
    label = level_label(competence.framework, competence.level)
    return {
        "type": ["Alignment"],
        "targetName": wording.phrase(language, "at level", competence=name, level=label)
        if level
        else name,
        "targetUrl": competence.level_url if level else competence.url,
        "targetFramework": competence.framework_name,
        "targetCode": f"{competence.code}/{label}" if level else competence.code,
        "targetType": "ext:eCFProficiencyLevel"
        if level and competence.framework == "ecf"
        else competence.target_type,
        "targetDescription": competence.description or name,
    }


def _levels(record: BadgeRecord, competence: Competence) -> dict[str, Any]:
    """The levels the competence allows, as a rubric; the observed one is the result."""
    low, high = competence.level_min or 1, competence.level_max or 1
    base = _result_id(record, competence)
    return {
        "id": base,
        "type": ["ResultDescription"],
        "name": wording.phrase(
            record.language, "observed", competence=f"{competence.code} {competence.title}"
        ),
        "resultType": "RubricCriterionLevel",
        "alignment": [_alignment(competence, record.language)],
        "rubricCriterionLevel": [
            {
                "id": f"{base}-{level_label(competence.framework, level)}",
                "type": ["RubricCriterionLevel"],
                "name": level_label(competence.framework, level),
                "level": level_label(competence.framework, level),
            }
            for level in range(low, high + 1)
        ],
    }


def _assessed(record: BadgeRecord) -> list[Competence]:
    return [
        c
        for c in record.competences
        if c.level is not None and c.level_min is not None and c.level_max is not None
    ]


def achievement(record: BadgeRecord) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": record.urls.achievement,
        "type": ["Achievement"],
        "achievementType": "CommunityService",
        "name": record.name,
        "description": record.description,
        "criteria": {"narrative": record.criteria},
        "image": {"id": record.urls.image, "type": "Image"},
        "inLanguage": record.language,
        "alignment": [
            _alignment(c, record.language, at_level=c.level is not None) for c in record.competences
        ],
    }
    assessed = _assessed(record)
    if assessed:
        found["resultDescription"] = [_levels(record, c) for c in assessed]
    if record.creator is not None:
        creator = {
            "id": record.creator.id,
            "type": ["Profile"],
            "name": record.creator.name,
            "url": record.creator.url,
        }
        found["creator"] = _with_verification(creator, record.creator.verified)
    return found


def credential(record: BadgeRecord) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential (the VC-JWT payload, before its registered claims)."""
    subject: dict[str, Any] = {
        "id": record.recipient.subject_id,
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": record.recipient.identity_hash,
                "salt": record.recipient.salt,
            }
        ],
        "achievement": achievement(record),
    }
    assessed = _assessed(record)
    if assessed:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": _result_id(record, c),
                "achievedLevel": f"{_result_id(record, c)}-{level_label(c.framework, c.level)}",
            }
            for c in assessed
        ]
    found: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB3_CONTEXT, EXTENSIONS_CONTEXT],
        "id": record.urls.credential,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": record.name,
        "description": record.description,
        "issuer": profile(record.issuer),
        "validFrom": iso(record.valid_from),
        "awardedDate": iso(record.awarded),
        "credentialSubject": subject,
        "evidence": [
            {
                "id": record.urls.mission,
                "type": ["Evidence"],
                "name": record.mission_title,
                "genre": wording.phrase(record.language, "genre"),
                "narrative": wording.narrative(
                    record.association_name, record.hours, record.language
                ),
            }
        ],
        "credentialSchema": [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": {
            "id": f"{record.urls.status_list}#{record.urls.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(record.urls.status_index),
            "statusListCredential": record.urls.status_list,
        },
    }
    if record.valid_until is not None:
        found["validUntil"] = iso(record.valid_until)
    return found


def endorsement(
    *,
    endorsement_id: str,
    endorser: IssuerProfile,
    endorsed_id: str,
    comment: str,
    valid_from: str,
    language: str = "en",
) -> dict[str, Any]:
    """An EndorsementCredential: the association vouches for the mission's credential."""
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": endorsement_id,
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": wording.phrase(language, "endorsement", name=endorser.name),
        "issuer": profile(endorser),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": endorsed_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }


def status_list(
    *, list_id: str, issuer: IssuerProfile, encoded: str, valid_from: str
) -> dict[str, Any]:
    """A BitstringStatusListCredential (W3C), issued by the credentials' own issuer."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.ob3_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_id}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
