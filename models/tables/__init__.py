"""Every table of the product; importing this module registers them all on `metadata`."""

from models.tables.base import metadata
from models.tables.credentials import (
    Credential,
    Endorsement,
    Issuer,
    PublicAddress,
    SigningKey,
)
from models.tables.embeddings import NeedEmbedding, ProfileEmbedding
from models.tables.frameworks import (
    Competence,
    CompetenceAnchor,
    CompetenceGroup,
    CompetenceGroupLink,
    CompetenceLabel,
    CompetenceLevel,
    Framework,
    FrameworkLevel,
)
from models.tables.missions import CompetenceAssessment, HoursLog, Mission, MissionEvent
from models.tables.notifications import (
    MESSAGE_LENGTH,
    CallSlot,
    DeliveryAttempt,
    MissionMessage,
    Notification,
    NotificationPreference,
)
from models.tables.organisations import (
    Account,
    ApiToken,
    AssociationDocument,
    LoginAttempt,
    Membership,
    Organisation,
    Programme,
    WebSession,
)
from models.tables.profiles import (
    CompetenceClaim,
    Need,
    NeedLanguage,
    NeedRequirement,
    ProfileLanguage,
    VolunteerProfile,
)
from models.tables.reporting import CEILINGS, CompanyYear, EmployeeCost, PayBand

__all__ = [
    "CEILINGS",
    "MESSAGE_LENGTH",
    "Account",
    "ApiToken",
    "AssociationDocument",
    "CallSlot",
    "CompanyYear",
    "Competence",
    "CompetenceAnchor",
    "CompetenceAssessment",
    "CompetenceClaim",
    "CompetenceGroup",
    "CompetenceGroupLink",
    "CompetenceLabel",
    "CompetenceLevel",
    "Credential",
    "DeliveryAttempt",
    "EmployeeCost",
    "Endorsement",
    "Framework",
    "FrameworkLevel",
    "HoursLog",
    "Issuer",
    "LoginAttempt",
    "Membership",
    "Mission",
    "MissionEvent",
    "MissionMessage",
    "Need",
    "NeedEmbedding",
    "NeedLanguage",
    "NeedRequirement",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "PayBand",
    "ProfileEmbedding",
    "ProfileLanguage",
    "Programme",
    "PublicAddress",
    "SigningKey",
    "VolunteerProfile",
    "WebSession",
    "metadata",
]
