"""The one record a badge is built from, in plain values: both Open Badges versions, the
images and the public pages are built from it, so they can never disagree.

URLs are given, not made here: the service decides where it serves each document.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Verified:
    """Who checked that an association exists, and from what: shown in its profile."""

    statement: str  # "Verified by probono on 2026-12-05 from its RNA number W751234567."
    identifiers: tuple[tuple[str, str], ...] = ()  # (type, value): ("RNA", "W751234567")


@dataclass(frozen=True)
class IssuerProfile:
    ob3_id: str  # the OB 3.0 Profile id, a did:web; JWT `iss`
    ob2_id: str  # the OB 2.0 Issuer Profile URL
    name: str
    url: str
    email: str
    description: str
    image_url: str | None = None
    verified: Verified | None = None  # an association issuing under its own profile


@dataclass(frozen=True)
class Creator:
    """The association whose mission it was, when the platform issues on its behalf."""

    id: str  # its public page
    name: str
    url: str
    verified: Verified | None = None


@dataclass(frozen=True)
class Competence:
    """A competence the association assessed at the end of the mission."""

    framework: str  # "ecf", "digcomp", "gi", "esco"
    framework_name: str  # "e-CF 4.0 (EN 16234-1:2019)"
    code: str  # "B.1", or the ESCO skill's UUID
    title: str
    url: str  # a page the service (or ESCO) hosts for the competence
    description: str = ""
    level: int | None = None  # the level observed (e-CF e-1..e-5, DigComp 1..8)
    level_min: int | None = None
    level_max: int | None = None
    level_url: str | None = None  # the page of the competence at that level

    @property
    def target_type(self) -> str:
        # The OB 3.0 schema admits `ext:` names for frameworks it does not list.
        return {
            "ecf": "ext:eCFCompetence",
            "digcomp": "ext:DigCompCompetence",
            "gi": "ext:GeneralInterestCompetence",
            "esco": "ext:ESCOSkill",
        }.get(self.framework, "ext:Competence")


@dataclass(frozen=True)
class Recipient:
    subject_id: str  # "urn:uuid:…", the JWT `sub`; new for each credential (unlinkable)
    identity_hash: str  # "sha256$…" of the normalised email and the salt
    salt: str
    name: str | None = None  # shown to people; never in the signed OB 2.0 identity


@dataclass(frozen=True)
class Urls:
    credential: str  # "urn:uuid:…": the OB 3.0 id and JWT `jti`
    achievement: str
    mission: str  # evidence
    image: str
    ob2_assertion: str  # the hosted OB 2.0 assertion (its own URL)
    ob2_badge_class: str
    ob2_signed_id: str  # "urn:uuid:…" of the signed OB 2.0 assertion
    status_list: str  # the Bitstring Status List credential
    status_index: int
    verify_page: str  # where a person can check the badge


@dataclass(frozen=True)
class BadgeRecord:
    issuer: IssuerProfile
    recipient: Recipient
    urls: Urls
    name: str  # the achievement's name
    description: str
    criteria: str  # what was done to earn it, in words
    mission_title: str
    association_name: str
    hours: Decimal  # approved hours
    competences: tuple[Competence, ...]
    valid_from: datetime  # whole seconds, UTC
    awarded: datetime
    valid_until: datetime | None = None
    creator: Creator | None = None  # set when the platform issues on the association's behalf
    language: str = "en"  # of the words above (badges/wording.py writes them)


def level_label(framework: str, level: int | None) -> str:
    """e-CF levels read "e-3"; other frameworks' levels are plain numbers."""
    return f"e-{level}" if framework == "ecf" else str(level)


def hash_identity(email: str, salt: str) -> str:
    """Open Badges: "sha256$" + hex(sha256(identity + salt)), the email trimmed and lower-cased."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def new_salt() -> str:
    return secrets.token_hex(16)


def whole_seconds(moment: datetime) -> datetime:
    """VC-JWT: `nbf` is whole seconds and must equal `validFrom`, so dates carry no fraction."""
    if moment.tzinfo is None:
        raise ValueError("badge dates must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return whole_seconds(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
