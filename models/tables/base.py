"""Metadata with a naming convention, so that constraint names are stable across databases."""

from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata = SQLModel.metadata

LANGUAGE_CODE_LENGTH = 2  # ISO 639-1
COUNTRY_CODE_LENGTH = 2  # ISO 3166-1 alpha-2
