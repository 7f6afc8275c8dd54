"""The scoping assistant: from a need told in plain words, the needs to publish — a short title,
the need in its words made into sentences, a deliverable, hours and a work mode from what similar
needs take, and competences at the levels a small association needs. Several things asked in
one text become several proposals; a text too vague for any common need becomes none, and the
page asks for more detail. Nothing is saved here: the association edits and publishes."""

from dataclasses import dataclass

from matching.reading import has_scope
from matching.scoping import CommonNeed, specific_title, tidy
from services import runtime

SUGGESTED = 2  # competences read from the text, beside the common need's own
SMALL_LEVEL = 3  # e-3 at most, unless the text speaks of a larger scope


@dataclass(frozen=True)
class Proposal:
    key: str  # the common need it is
    title: str
    description: str
    deliverable: str
    hours_estimate: int
    work_mode: str
    competences: tuple[tuple[str, int | None], ...]  # e-CF code and level, the common need's first


def propose(text: str, language: str) -> list[Proposal]:
    """One proposal per thing the text asks for, in the order it asks; none for an empty text
    or one too vague for any common need (the page then asks what should exist at the end, and
    for whom)."""
    parts = [(p.need, p.text) for p in runtime.get_scoper().parts(text) if p.need is not None]
    if not parts:
        return []
    readings = runtime.get_suggester().suggest([words for _, words in parts], role="need")
    cap = None if has_scope(text) else SMALL_LEVEL
    return [
        _proposal(need, words, [(s.code, s.level) for s in found.ecf], language, cap)
        for (need, words), found in zip(parts, readings, strict=True)
    ]


def from_common_need(need: CommonNeed, text: str, language: str) -> Proposal:
    """A common need chosen from the catalogue, with the association's words if any."""
    read = []
    if text.strip():
        [found] = runtime.get_suggester().suggest([text], role="need")
        read = [(s.code, s.level) for s in found.ecf]
    return _proposal(need, tidy(text), read, language, None if has_scope(text) else SMALL_LEVEL)


def _proposal(
    need: CommonNeed,
    text: str,
    read: list[tuple[str, int | None]],
    language: str,
    cap: int | None,
) -> Proposal:
    competences = {code: level for framework, code, level in need.competences if framework == "ecf"}
    # Read competences are kept only if needs of this kind take them (a newsletter's A.7 or
    # E.1 is the reader's noise, not what the association asks), the best read first.
    plausible = [(c, lvl) for c, lvl in read if c in need.usual and c not in competences]
    for code, level in plausible[:SUGGESTED]:
        competences[code] = level if cap is None or level is None else min(level, cap)
    return Proposal(
        key=need.key,
        title=specific_title(need, text, language),
        description=text,
        deliverable=need.deliverable[language],
        hours_estimate=need.hours_estimate,
        work_mode=need.work_mode,
        competences=tuple(competences.items()),
    )
