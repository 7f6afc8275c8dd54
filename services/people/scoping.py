"""The scoping assistant: from a need told in plain words, the needs to publish — a short title,
the need in its words made into sentences, a deliverable, hours and a work mode from what similar
needs take, and competences at the levels a small association needs. Several things asked in
one text become several proposals. Nothing is saved here: the association edits and publishes."""

from dataclasses import dataclass

from matching.reading import has_scope
from matching.scoping import CommonNeed, tidy
from services import runtime

SUGGESTED = 6  # competences read from the text, beside the common need's own
SMALL_LEVEL = 3  # e-3 at most, unless the text speaks of a larger scope
_TITLE_WORDS = 10


@dataclass(frozen=True)
class Proposal:
    key: str | None  # the common need it is, if any
    title: str
    description: str
    deliverable: str
    hours_estimate: int
    work_mode: str
    competences: tuple[tuple[str, int | None], ...]  # e-CF code and level, the common need's first


def propose(text: str, language: str) -> list[Proposal]:
    """One proposal per thing the text asks for, in the order it asks (none for an empty
    text)."""
    parts = runtime.get_scoper().parts(text)
    readings = runtime.get_suggester().suggest([p.text for p in parts], role="need")
    cap = None if has_scope(text) else SMALL_LEVEL
    return [
        _proposal(
            part.need, part.text, [(s.code, s.level) for s in found.ecf[:SUGGESTED]], language, cap
        )
        for part, found in zip(parts, readings, strict=True)
    ]


def from_common_need(need: CommonNeed, text: str, language: str) -> Proposal:
    """A common need chosen from the catalogue, with the association's words if any."""
    read = []
    if text.strip():
        [found] = runtime.get_suggester().suggest([text], role="need")
        read = [(s.code, s.level) for s in found.ecf[:SUGGESTED]]
    return _proposal(need, tidy(text), read, language, None if has_scope(text) else SMALL_LEVEL)


def _proposal(
    need: CommonNeed | None,
    text: str,
    read: list[tuple[str, int | None]],
    language: str,
    cap: int | None,
) -> Proposal:
    competences: dict[str, int | None] = {}
    for framework, code, level in need.competences if need else ():
        if framework == "ecf":
            competences[code] = level
    for code, level in read:
        competences.setdefault(code, level if cap is None or level is None else min(level, cap))
    return Proposal(
        key=need.key if need else None,
        title=need.title[language] if need else _short(text),
        description=text,
        deliverable=need.deliverable[language] if need else "",
        hours_estimate=need.hours_estimate if need else 20,
        work_mode=need.work_mode if need else "remote",
        competences=tuple(competences.items()),
    )


def _short(text: str) -> str:
    """A title from the text's first words, when it is none of the common needs."""
    words = text.rstrip(".").split()
    return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")
