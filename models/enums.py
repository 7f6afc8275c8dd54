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
    EXPIRED = "expired"  # an application nobody answered within the answer period
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
    EDDSA = "EdDSA"  # Ed25519: Data Integrity proofs (eddsa-rdfc-2022)


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


class NotificationKind(StrEnum):
    """What a notification tells its person; each kind has its message in both languages."""

    APPLICATION_RECEIVED = "application_received"  # to the association's members
    INVITATION = "invitation"  # to the volunteer an association proposes a mission to
    ACCEPTED = "accepted"  # to the side that proposed
    DECLINED = "declined"  # to the side that proposed, with the reason
    CANCELLED = "cancelled"  # to the other side
    STARTED = "started"
    HOURS_LOGGED = "hours_logged"  # to the association, to approve
    HOURS_REVIEWED = "hours_reviewed"  # approved or rejected, to the volunteer
    COMPLETION_TO_CONFIRM = "completion_to_confirm"  # the other side confirmed
    BADGE_ISSUED = "badge_issued"
    BADGE_REVOKED = "badge_revoked"
    BADGE_SIGNED_AGAIN = "badge_signed_again"  # after a key rotation: the OB 2.0 copy changed
    ASSOCIATION_VERIFIED = "association_verified"
    MESSAGE = "message"  # a message in the mission's conversation
    APPLICATION_REMINDER = "application_reminder"  # an application waits for an answer
    APPLICATION_EXPIRED = "application_expired"  # to the volunteer, with other needs
    CONFIRMATION_REMINDER = "confirmation_reminder"  # hours or completion wait
    CALL_PROPOSED = "call_proposed"  # slots for a first call, to the volunteer
    CALL_BOOKED = "call_booked"  # with the calendar invitation, to both sides
    DIGEST = "digest"  # weekly: new needs or volunteers that fit


class Channel(StrEnum):
    """How a person wants one kind of notification."""

    EMAIL = "email"  # by email, and in their space
    IN_APP = "in_app"  # in their space only
    NONE = "none"


class DeliveryState(StrEnum):
    PENDING = "pending"  # an email to send, when due
    SENT = "sent"
    FAILED = "failed"  # dead letter: every try failed, or the address refused it
    IN_APP = "in_app"  # shown in the person's space, no email wanted
