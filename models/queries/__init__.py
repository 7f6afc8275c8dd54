"""Every select of the product lives in this package, one module per concern."""

from models.queries import (
    credentials,
    embeddings,
    issuance,
    matching,
    missions,
    notifications,
    organisations,
    profiles,
    reference,
    reporting,
)

__all__ = [
    "credentials",
    "embeddings",
    "issuance",
    "matching",
    "missions",
    "notifications",
    "organisations",
    "profiles",
    "reference",
    "reporting",
]
