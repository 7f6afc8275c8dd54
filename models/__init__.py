"""Tables, engine and sessions, queries and data-layer errors."""

from models import queries
from models import text as _text  # noqa: F401  (registers the NUL check on every session)
from models.db import make_engine, normalise_url, writer
from models.enums import (
    Cause,
    Channel,
    ClaimSource,
    DeliveryState,
    EndReason,
    FrameworkKind,
    HoursStatus,
    IdentifierKind,
    KeyAlgorithm,
    KeyStatus,
    LabelKind,
    MemberRole,
    MissionInitiator,
    MissionStatus,
    NeedStatus,
    NotificationKind,
    OrganisationKind,
    Role,
    Verification,
    WorkMode,
)
from models.errors import (
    Conflict,
    DataError,
    InvalidData,
    NotFound,
    TooManyHours,
)
from models.tables import *  # noqa: F403  (the table classes, listed in models.tables.__all__)
from models.tables import __all__ as _tables
from models.types import MAX_ID, persisted_id, utcnow

__all__ = [
    "MAX_ID",
    *_tables,
    "Cause",
    "Channel",
    "ClaimSource",
    "Conflict",
    "DataError",
    "DeliveryState",
    "EndReason",
    "FrameworkKind",
    "HoursStatus",
    "IdentifierKind",
    "InvalidData",
    "KeyAlgorithm",
    "KeyStatus",
    "LabelKind",
    "MemberRole",
    "MissionInitiator",
    "MissionStatus",
    "NeedStatus",
    "NotFound",
    "NotificationKind",
    "OrganisationKind",
    "Role",
    "TooManyHours",
    "Verification",
    "WorkMode",
    "make_engine",
    "queries",
    "normalise_url",
    "writer",
    "persisted_id",
    "utcnow",
]
