"""Matching domain: reference frameworks, embeddings, competence inference, scoring, ranking.

Pure code: it imports neither the web framework nor the database layer.
"""

from matching import embedders
from matching.errors import LevelOutOfRange, MatchingError, ReferenceDataError
from matching.esco import load_esco
from matching.frameworks import (
    CompetenceSpec,
    FrameworkSpec,
    GroupSpec,
    LevelDescriptor,
    LevelSpec,
    catalogue,
    catalogue_entry,
    ecf_level_number,
    files_sha256,
    load_digcomp,
    load_ecf,
    load_general_interest,
)

__all__ = [
    "CompetenceSpec",
    "FrameworkSpec",
    "GroupSpec",
    "LevelDescriptor",
    "LevelOutOfRange",
    "LevelSpec",
    "MatchingError",
    "ReferenceDataError",
    "catalogue",
    "catalogue_entry",
    "ecf_level_number",
    "embedders",
    "files_sha256",
    "load_digcomp",
    "load_ecf",
    "load_esco",
    "load_general_interest",
]
