"""Competences inferred from the texts, stored beside the declared ones (source "inferred", with
their confidence and the reader's version), so that ranking can use them for people who have
declared nothing yet: the e-CF competences it reads, and the ESCO skills it finds (compared
between the two texts of a pair, never required).

Run with the encoding (`services.ranking.encoding.sync_embeddings`): a text encoded again because it
changed gets its inferred statements replaced; declared and confirmed ones are never touched,
and they take precedence in coverage.
"""

from sqlmodel import Session

from matching.competences import ESCO_KEPT, CompetenceSuggester, inferred_esco, inferred_statements
from matching.embedders import Vectors
from models import queries
from models.queries.embeddings import Owner
from services.records import FRAMEWORKS


class Inference:
    """Infers and stores the competences of one batch of texts at a time."""

    def __init__(self, session: Session, suggester: CompetenceSuggester) -> None:
        self.session = session
        self.suggester = suggester
        self.version = suggester.version
        self.ids = {
            short: queries.reference.competence_ids(session, FRAMEWORKS[short])
            for short in ("ecf", "esco")
        }

    def __call__(self, owner: Owner, rows: list[tuple[int, str]], vectors: Vectors) -> None:
        texts = [text for _, text in rows]
        # Inference reads a text as a query; needs are already encoded so, profiles are not.
        found = self.suggester.suggest(
            texts, vectors=vectors if owner == "need" else None, role=owner, top_k=ESCO_KEPT
        )
        for (owner_id, _), suggestions in zip(rows, found, strict=True):
            statements = inferred_statements(suggestions, role=owner) + inferred_esco(suggestions)
            inferred = {}
            for s in statements:
                short, _, code = s.code.partition(":")
                if code in self.ids[short]:
                    inferred[self.ids[short][code]] = (s.level, s.weight)
            queries.matching.replace_inferred(
                self.session, owner, owner_id, inferred, version=self.version
            )
