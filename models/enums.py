"""Closed sets of values stored in the database (each one enforced by a CHECK constraint)."""

from enum import StrEnum


class OrganisationKind(StrEnum):
    ASSOCIATION = "association"
    COMPANY = "company"
    FOUNDATION = "foundation"


class IdentifierKind(StrEnum):
    """What an association proves it exists with, at sign-up."""

    RNA = "rna"  # French register of associations: W and 9 digits
    SIREN = "siren"  # French company register (9 digits, Luhn check)
    BCE = "bce"  # Belgian Crossroads Bank for Enterprises (10 digits, mod-97 check)
    UK_CHARITY = "uk_charity"  # a UK charity register number
    OTHER = "other"  # anything else, with a document


class Verification(StrEnum):
    """Whether a platform admin has checked an association's identifiers: only the missions
    of a verified association issue badges (a badge is worth the trust in who vouches)."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class MemberRole(StrEnum):
    """A person's role inside one organisation; volunteer and platform admin are not tied to one."""

    ASSOCIATION_MEMBER = "association_member"
    COMPANY_MANAGER = "company_manager"
    FOUNDATION_MANAGER = "foundation_manager"


class Role(StrEnum):
    """Every role an account can hold (derived from profile, memberships and the admin flag)."""

    VOLUNTEER = "volunteer"
    ASSOCIATION_MEMBER = "association_member"
    COMPANY_MANAGER = "company_manager"
    FOUNDATION_MANAGER = "foundation_manager"
    PLATFORM_ADMIN = "platform_admin"


class WorkMode(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    HYBRID = "hybrid"


class NeedStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


class MissionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DECLINED = "declined"


class MissionInitiator(StrEnum):
    VOLUNTEER = "volunteer"
    ASSOCIATION = "association"


class EndReason(StrEnum):
    """Why a mission was declined or cancelled (structured, with free text beside it)."""

    NO_LONGER_NEEDED = "no_longer_needed"
    NOT_AVAILABLE = "not_available"
    SKILLS_MISMATCH = "skills_mismatch"
    FOUND_OTHER_VOLUNTEER = "found_other_volunteer"
    SCOPE_CHANGED = "scope_changed"
    NO_RESPONSE = "no_response"
    OTHER = "other"


class ClaimSource(StrEnum):
    """Where a competence statement comes from; confirmed and declared outrank inferred."""

    DECLARED = "declared"
    INFERRED = "inferred"
    CONFIRMED = "confirmed"


class HoursStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class KeyAlgorithm(StrEnum):
    RS256 = "RS256"
    ES256 = "ES256"


class KeyStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class FrameworkKind(StrEnum):
    ECF = "ecf"
    DIGCOMP = "digcomp"
    GENERAL_INTEREST = "gi"
    ESCO = "esco"


class LabelKind(StrEnum):
    PREFERRED = "preferred"
    ALTERNATIVE = "alternative"


class Cause(StrEnum):
    """An association's main cause, for reporting by cause."""

    SOCIAL_INCLUSION = "social_inclusion"
    EDUCATION = "education"
    ENVIRONMENT = "environment"
    CULTURE = "culture"
    HEALTH = "health"
    HOUSING = "housing"
    FOOD_AID = "food_aid"
    DISABILITY = "disability"
    YOUTH = "youth"
    ELDERLY = "elderly"
    REFUGEES = "refugees"
    SPORT = "sport"
