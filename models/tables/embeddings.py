"""Stored sentence embeddings, so that a restart does not re-encode anything.

Each vector records the model and its version and the hash of the text it encodes: a changed
text or another model version means re-encoding that row, and only that row.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import AwareDateTime, utcnow


class ProfileEmbedding(SQLModel, table=True):
    __tablename__ = "profile_embedding"
    __table_args__ = (sa.CheckConstraint("dimension > 0", name="dimension"),)

    profile_id: int = Field(
        foreign_key="volunteer_profile.id", primary_key=True, ondelete="CASCADE"
    )
    model: str = Field(primary_key=True, max_length=80)
    model_version: str = Field(max_length=80)
    text_sha256: str = Field(max_length=64)
    dimension: int
    vector: bytes = Field(sa_type=sa.LargeBinary)  # float32, little-endian, L2-normalised
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)


class NeedEmbedding(SQLModel, table=True):
    __tablename__ = "need_embedding"
    __table_args__ = (sa.CheckConstraint("dimension > 0", name="dimension"),)

    need_id: int = Field(foreign_key="need.id", primary_key=True, ondelete="CASCADE")
    model: str = Field(primary_key=True, max_length=80)
    model_version: str = Field(max_length=80)
    text_sha256: str = Field(max_length=64)
    dimension: int
    vector: bytes = Field(sa_type=sa.LargeBinary)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
