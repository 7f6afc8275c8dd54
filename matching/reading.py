"""Reading a text as people write it: its clauses, and the cues of seniority and scope in it.

A need often asks for several things in one breath ("notre site est vieux, et on voudrait une
newsletter"): inference reads each clause on its own as well as the whole, so that every thing
asked is found, not only the one the whole text resembles most.
"""

import re

# Sentence ends, then the joints between two things asked or offered in one sentence.
_SENTENCES = re.compile(r"(?<=[.!?;:\n])\s+|\n+")
_JOINTS = re.compile(
    r",?\s+(?:et|and|ainsi que|as well as|mais aussi|but also|plus|puis|then)\s+|,\s+",
    re.IGNORECASE,
)
_MIN_WORDS = 3  # a shorter piece ("Word and Excel") stays with its neighbour
_MAX_CLAUSES = 8  # a long profile is read in its first few ideas; the whole covers the rest

_YEARS = re.compile(r"(\d{1,2})\s*(?:\+\s*)?(?:ans|années|years?|yrs)\b", re.IGNORECASE)
_SENIOR = re.compile(
    r"\b(senior|lead|principal|head of|directeur|directrice|director|responsable|architecte?|"
    r"cto|cio|dsi|chief|manager|chef)\b",
    re.IGNORECASE,
)
_JUNIOR = re.compile(
    r"\b(junior|débutante?|beginner|étudiante?|student|stagiaire|intern|apprentie?|alternante?|"
    r"first job|premier emploi)\b",
    re.IGNORECASE,
)
# A scope beyond one small association: a network, a federation, many sites or people.
_SCOPE = re.compile(
    r"\b(fédération|federation|réseau national|national network|nationwide|nationale?|"
    r"groupe|group-wide|entreprise de \d|\d[\d  ,.]*\s*(?:salariés|employees|agents|"
    r"antennes|branches|sites|établissements|structures|associations|chapters))\b",
    re.IGNORECASE,
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where the text's clauses are: its sentences, each cut at its joints into pieces of a few
    words at least (a shorter piece stays joined to its neighbour), as (start, end) offsets."""
    found: list[tuple[int, int]] = []
    offset = 0
    for sentence in _SENTENCES.split(text):
        offset = text.index(sentence, offset)
        spans: list[tuple[int, int]] = []
        start = 0
        for joint in [*_JOINTS.finditer(sentence), None]:
            end = len(sentence) if joint is None else joint.start()
            words = len(sentence[start:end].split())
            if spans and min(words, len(sentence[slice(*spans[-1])].split())) < _MIN_WORDS:
                spans[-1] = (spans[-1][0], end)
            elif words:
                spans.append((start, end))
            start = len(sentence) if joint is None else joint.end()
        for a, b in spans:
            piece = sentence[a:b]
            kept = piece.strip(" ,;:.")
            if len(kept.split()) >= _MIN_WORDS:
                first = offset + a + piece.index(kept)
                found.append((first, first + len(kept)))
        offset += len(sentence)
    return found[:_MAX_CLAUSES]


def clauses(text: str) -> list[str]:
    """The text's clauses, in its own words (`clause_spans`)."""
    return [text[a:b] for a, b in clause_spans(text)]


def cues(text: str) -> tuple[float, float, float, float]:
    """Seniority and scope cues as features: (years of experience / 20, senior, junior, scope)."""
    years = [int(match) for match in _YEARS.findall(text) if int(match) <= 45]
    return (
        min(max(years), 20) / 20 if years else 0.0,
        1.0 if _SENIOR.search(text) else 0.0,
        1.0 if _JUNIOR.search(text) else 0.0,
        1.0 if _SCOPE.search(text) else 0.0,
    )


def has_scope(text: str) -> bool:
    """The text speaks of seniority or of a scope beyond a small association."""
    _, senior, _, scope = cues(text)
    return bool(senior or scope)
