"""Column types shared by every table."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class AwareDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no time-zone type and returns naive values; PostgreSQL uses `timestamptz`.
    Naive values are refused on the way in so that no local time can slip into the database.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: use an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum: type[StrEnum], name: str) -> sa.Enum:
    """A VARCHAR column with a CHECK constraint listing the enum's values, on every database.

    Native PostgreSQL enums are avoided: adding a value would need a non-transactional migration.
    """
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


class JSONDocument(sa.types.TypeDecorator[Any]):
    """A JSON document: JSONB on PostgreSQL (indexable, compact), JSON text on SQLite."""

    impl = sa.JSON()
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(sa.JSON())


# The largest id an INTEGER column holds on every backend (PostgreSQL's is 32 bits): a larger
# one in a URL is refused as input, never sent to the database.
MAX_ID = 2**31 - 1


def persisted_id(value: int | None) -> int:
    """The id of a row that has been flushed; an unflushed row here is a programming error."""
    if value is None:
        raise RuntimeError("row has no id yet: add and flush it first")
    return value
