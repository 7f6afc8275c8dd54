"""The product's facts in people's words and language: competences and their levels, the
reasons of a match, mission states and end reasons, causes, the verifier's checks."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from api.web.i18n import _, current, day, language_name, ngettext
from matching.constraints import Exclusion, Facts, Penalty
from matching.coverage import CompetenceMatch
from matching.scoring import Explanation
from models import Cause, EndReason, HoursStatus, IdentifierKind, MissionStatus, WorkMode, queries
from reporting import labels
from services.records import FRAMEWORKS

_FRAMEWORK_OF = dict(FRAMEWORKS)  # "ecf" → "ecf-4.0"; a framework's id stays itself
# e-CF levels as a job advert or a colleague names them; the standard's own titles
# ("Professional", "Senior professional / manager") stay in the framework's pages.
_SPOKEN = {
    1: lambda: _("beginner"),
    2: lambda: _("experienced"),
    3: lambda: _("senior"),
    4: lambda: _("expert"),
    5: lambda: _("leading expert"),
}


@dataclass(frozen=True)
class Named:
    code: str  # "B.1"
    framework: str  # "ecf"
    title: str


class Competences:
    """Competence titles and level names in the current language, read once per page."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._titles: dict[tuple[str, str], str] = {}
        self._levels: dict[tuple[str, int], tuple[str, str]] = {}

    def title(self, framework: str, code: str) -> str:
        key = (framework, code)
        if key not in self._titles:
            found = queries.reference.find_competence(
                self.session, _FRAMEWORK_OF.get(framework, framework), code
            )
            if found is None:
                self._titles[key] = code
            else:
                french = current.get() == "fr" and found.title_fr
                self._titles[key] = found.title_fr if french and found.title_fr else found.title_en
        return self._titles[key]

    def level(self, framework: str, level: int | None) -> str:
        """The level as people say it, its code after it: "senior (e-3)", "confirmé (e-2)";
        DigComp's levels by their framework names."""
        if level is None:
            return ""
        if _FRAMEWORK_OF.get(framework, framework) == FRAMEWORKS["ecf"] and level in _SPOKEN:
            return f"{_SPOKEN[level]()} (e-{level})"
        key = (framework, level)
        if key not in self._levels:
            framework_id = _FRAMEWORK_OF.get(framework, framework)
            rows = {
                lv.level: lv
                for lv in queries.reference.list_framework_levels(self.session, framework_id)
            }
            row = rows.get(level)
            if row is None:
                self._levels[key] = (str(level), "")
            else:
                name = row.title_fr if current.get() == "fr" else row.title_en
                self._levels[key] = (row.code, name)
        code, name = self._levels[key]
        return f"{code} ({name.lower()})" if name else code

    def describe(self, ref: str) -> str:
        """ "ecf:B.1" → "B.1 Application development"."""
        framework, _, code = ref.partition(":")
        return f"{code} {self.title(framework, code)}"


def match_sentence(words: Competences, match: CompetenceMatch) -> str:
    """One competence of a match, each level written once; one the volunteer has not
    confirmed says it was read in their profile."""
    said = _said(words, match)
    if match.source == "inferred" and match.status != "missing":
        return _("%(said)s — read in the profile, not confirmed") % {"said": said}
    return said


def _said(words: Competences, match: CompetenceMatch) -> str:
    framework = match.code.partition(":")[0]
    name = words.describe(match.code)
    asked = words.level(framework, match.required_level)
    offered = words.level(framework, match.offered_level)
    if match.status == "met":
        if not asked:
            return name
        if not offered or offered == asked:
            return _("%(name)s, at the level asked: %(asked)s") % {"name": name, "asked": asked}
        return _("%(name)s: %(offered)s (%(asked)s asked)") % {
            "name": name,
            "offered": offered,
            "asked": asked,
        }
    if match.status == "below":
        return _("%(name)s: %(offered)s, below the %(asked)s asked") % {
            "name": name,
            "offered": offered,
            "asked": asked,
        }
    return _("%(name)s: not stated (%(asked)s asked)") % {"name": name, "asked": asked or "—"}


def fit_summary(
    explanation: Explanation, you: bool = False, missing: Sequence[str] = ()
) -> tuple[str, tuple[int, int, int]]:
    """A match in plain sentences (competences, the first ones missing by name, then whether
    language, place and time fit), and its competences met, partly met and missing: what
    tells two candidates apart at a glance. `you`: told to the volunteer, about themselves."""
    statuses = [m.status for m in explanation.competences]
    counts = (statuses.count("met"), statuses.count("below"), statuses.count("missing"))
    met, partly, total = counts[0], counts[1], len(statuses)
    parts = []
    if not total:
        parts.append(_("The need names no competence: its text is compared with the profile."))
    elif met == total:
        parts.append(
            _("You have every competence asked.") if you else _("Has every competence asked.")
        )
    elif met + partly == 0:
        parts.append(
            _("You state none of the competences asked yet.")
            if you
            else _("States none of the competences asked yet.")
        )
    else:
        sentence = (
            ngettext(
                "You have %(num)s of the %(total)s competences asked",
                "You have %(num)s of the %(total)s competences asked",
                met,
            )
            if you
            else ngettext(
                "Has %(num)s of the %(total)s competences asked",
                "Has %(num)s of the %(total)s competences asked",
                met,
            )
        ) % {"num": met, "total": total}
        if partly:
            sentence += ngettext(
                ", and %(num)s more at a lower level",
                ", and %(num)s more at a lower level",
                partly,
            ) % {"num": partly}
        parts.append(sentence + ".")
        if missing:
            parts.append(_("Missing: %(names)s.") % {"names": ", ".join(missing)})
    if not explanation.exclusions and not explanation.penalties:
        parts.append(_("Language, place and time fit."))  # else the reasons below say what
    return " ".join(parts), counts


def _until(facts: Facts, you: bool) -> str:
    if facts.get("by") == 1:
        return _("before the deadline")
    if facts.get("by") == 2:
        return (
            _("before the end of your availability")
            if you
            else _("before the end of their availability")
        )
    return _("in the next %(months)s months") % {"months": facts.get("months", 3)}


def _filled(facts: Facts) -> dict[str, object]:
    """The facts as a sentence shows them: dates for the page's language."""
    return {k: day(v) if isinstance(v, date) else v for k, v in facts.items()}


# Each rule's variants ("kind"), in the page's language; the figures come from the facts. A
# reason with no sentence here keeps the engine's English words rather than lose them.
_SENTENCES: dict[tuple[str, str], Callable[[], str]] = {
    ("language", "none_shared"): lambda: _(
        "No shared working language (mission: %(mission)s; volunteer: %(volunteer)s)."
    ),
    ("place", "onsite_only"): lambda: _("Works on site only, and this mission is done remotely."),
    ("place", "remote_only"): lambda: _(
        "Works remotely only, and this mission needs presence in %(where)s."
    ),
    ("place", "far"): lambda: _("Lives in %(city)s, and this mission needs presence in %(where)s."),
    ("place", "far_hybrid"): lambda: _(
        "Lives in %(city)s, and this mission needs presence in or near %(where)s."
    ),
    ("dates", "unavailable_since"): lambda: _("Not available since %(date)s."),
    ("dates", "deadline_passed"): lambda: _("The deadline (%(date)s) has passed."),
    ("dates", "starts_after"): lambda: _(
        "Available from %(start)s, after the deadline (%(date)s)."
    ),
    ("hours", "too_few"): lambda: _(
        "Can give about %(capacity)s h %(until)s (%(per_month)s h a month); "
        "the mission needs about %(asked)s h."
    ),
    ("hours", "part_of"): lambda: _(
        "Can give about %(capacity)s h of the %(asked)s h asked %(until)s: "
        "the mission may take longer."
    ),
    ("place", "from_afar"): lambda: _(
        "Lives in %(city)s, not near %(where)s: would work remotely and come rarely."
    ),
    ("place", "rarely_there"): lambda: _("Works remotely only: would rarely come to %(where)s."),
}


# The same, told to the volunteer about themselves (their own pages).
_YOU: dict[tuple[str, str], Callable[[], str]] = {
    ("language", "none_shared"): lambda: _(
        "No shared working language (mission: %(mission)s; you: %(volunteer)s)."
    ),
    ("place", "onsite_only"): lambda: _(
        "You work on site only, and this mission is done remotely."
    ),
    ("place", "remote_only"): lambda: _(
        "You work remotely only, and this mission needs presence in %(where)s."
    ),
    ("place", "far"): lambda: _(
        "You live in %(city)s, and this mission needs presence in %(where)s."
    ),
    ("place", "far_hybrid"): lambda: _(
        "You live in %(city)s, and this mission needs presence in or near %(where)s."
    ),
    ("dates", "unavailable_since"): lambda: _("You are not available since %(date)s."),
    ("dates", "starts_after"): lambda: _(
        "You are available from %(start)s, after the deadline (%(date)s)."
    ),
    ("hours", "too_few"): lambda: _(
        "You can give about %(capacity)s h %(until)s (%(per_month)s h a month); "
        "the mission needs about %(asked)s h."
    ),
    ("hours", "part_of"): lambda: _(
        "You can give about %(capacity)s h of the %(asked)s h asked %(until)s: "
        "the mission may take longer."
    ),
    ("place", "from_afar"): lambda: _(
        "You live in %(city)s, not near %(where)s: you would work remotely and come rarely."
    ),
    ("place", "rarely_there"): lambda: _(
        "You work remotely only: you would rarely come to %(where)s."
    ),
}


def _languages(codes: str) -> str:
    """ "en, fr" → "anglais, français" on a French page."""
    return ", ".join(language_name(c) for c in codes.split(", ") if c) or _("none given")


def _sentence(reason: Exclusion | Penalty, you: bool = False) -> str:
    key = (reason.rule, str(reason.facts.get("kind", "")))
    found = (_YOU.get(key) if you else None) or _SENTENCES.get(key)
    if found is None:
        return reason.reason
    facts = _filled(reason.facts) | {"until": _until(reason.facts, you)}
    if reason.rule == "language":
        facts |= {k: _languages(str(reason.facts.get(k, ""))) for k in ("mission", "volunteer")}
    return found() % facts


def reasons(words: Competences, explanation: Explanation, you: bool = False) -> dict[str, Any]:
    """An explanation as people read it: what fits, what is missing, why it is excluded;
    `you`: told to the volunteer, about themselves."""
    missing = [m.code.partition(":") for m in explanation.competences if m.status == "missing"]
    summary, counts = fit_summary(
        explanation, you, [words.title(framework, code) for framework, _sep, code in missing[:3]]
    )
    return {
        "summary": summary,
        "counts": counts,
        "competences": [(m.status, match_sentence(words, m)) for m in explanation.competences],
        "exclusions": [_sentence(e, you) for e in explanation.exclusions],
        "penalties": [_sentence(p, you) for p in explanation.penalties],
        "inferred": explanation.requirements_inferred,
        "score": explanation.score,
    }


def mission_status(status: MissionStatus) -> str:
    return {
        MissionStatus.PROPOSED: _("proposed"),
        MissionStatus.ACCEPTED: _("accepted"),
        MissionStatus.IN_PROGRESS: _("in progress"),
        MissionStatus.COMPLETED: _("completed"),
        MissionStatus.CANCELLED: _("cancelled"),
        MissionStatus.DECLINED: _("declined"),
    }[status]


def end_reasons() -> list[tuple[str, str]]:
    labels = {
        EndReason.NO_LONGER_NEEDED: _("The need is no longer there"),
        EndReason.NOT_AVAILABLE: _("Not available"),
        EndReason.SKILLS_MISMATCH: _("The skills do not match"),
        EndReason.FOUND_OTHER_VOLUNTEER: _("Another volunteer was found"),
        EndReason.SCOPE_CHANGED: _("The scope changed"),
        EndReason.NO_RESPONSE: _("No response"),
        EndReason.OTHER: _("Another reason"),
    }
    return [(reason.value, labels[reason]) for reason in EndReason if reason in labels]


def end_reason(reason: EndReason | None) -> str:
    """The reason in words; an expiry is the platform's, never offered in the forms."""
    if reason is EndReason.EXPIRED:
        return _("Nobody answered within the answer period")
    return dict(end_reasons()).get(reason.value, "") if reason else ""


def hours_status(status: HoursStatus) -> str:
    return {
        HoursStatus.SUBMITTED: _("waiting for approval"),
        HoursStatus.APPROVED: _("approved"),
        HoursStatus.REJECTED: _("rejected"),
    }[status]


def work_modes() -> list[tuple[str, str]]:
    return [
        (WorkMode.REMOTE.value, _("Remote")),
        (WorkMode.ONSITE.value, _("On site")),
        (WorkMode.HYBRID.value, _("Hybrid (partly on site)")),
    ]


def work_mode(mode: str) -> str:
    return dict(work_modes()).get(mode, mode)


def identifier_kinds() -> list[tuple[str, str]]:
    return [
        ("", _("Choose…")),
        (IdentifierKind.RNA.value, _("RNA number (France: W and 9 digits)")),
        (IdentifierKind.SIREN.value, _("SIREN number (France)")),
        (IdentifierKind.BCE.value, _("Enterprise number (Belgium)")),
        (IdentifierKind.UK_CHARITY.value, _("Charity number (United Kingdom)")),
        (IdentifierKind.OTHER.value, _("None of these: I send a document")),
    ]


def causes() -> list[tuple[str, str]]:
    names = labels.LABELS[current.get()]
    return [(cause.value, names[f"cause:{cause.value}"]) for cause in Cause]


_CHECKS = {
    "image": lambda: _("Baked image"),
    "format": lambda: _("Form of the badge"),
    "header": lambda: _("Signature method"),
    "key provenance": lambda: _("The key belongs to the issuer"),
    "signature": lambda: _("Signature"),
    "claims": lambda: _("Signed claims match the badge"),
    "schema": lambda: _("Open Badges schema"),
    "linked data": lambda: _("Vocabulary of the badge"),
    "status": lambda: _("Not revoked"),
    "validity dates": lambda: _("Validity dates"),
    "recipient": lambda: _("Issued to this person"),
    "properties": lambda: _("Required information"),
    "issuer": lambda: _("Issuer"),
    "hosted assertion": lambda: _("Published by its issuer"),
    "embedded proof": lambda: _("The embedded proof holds"),
    "endorsement": lambda: _("Its endorsements hold"),
}

_OUTCOMES = {
    "passed": lambda: _("passed"),
    "failed": lambda: _("failed"),
    "warning": lambda: _("warning"),
    "skipped": lambda: _("not checked"),
}


def check_name(name: str) -> str:
    return _CHECKS.get(name, lambda: name)()


def outcome(value: str) -> str:
    return _OUTCOMES.get(value, lambda: value)()


# What the verifier read (badges/verify.py names them in English, for the API and the CLI).
_FORMS = {
    "OB 3.0 VC-JWT": lambda: _("Open Badges 3.0, signed (VC-JWT)"),
    "OB 3.0 with a Data Integrity proof": lambda: _("Open Badges 3.0, JSON with its proof"),
    "OB 3.0 JSON without proof": lambda: _("Open Badges 3.0, JSON without a signature"),
    "OB 2.0 signed assertion": lambda: _("Open Badges 2.0, signed assertion"),
    "OB 2.0 hosted assertion": lambda: _("Open Badges 2.0, assertion hosted by its issuer"),
    "JSON": lambda: _("JSON"),
    "URL": lambda: _("an address"),
    "unreadable input": lambda: _("not readable as a badge"),
    "unreadable token": lambda: _("a token not readable as a badge"),
}
_SOURCES = {
    "baked PNG": lambda: _("inside a PNG image"),
    "baked SVG": lambda: _("inside an SVG image"),
    "URL": lambda: _("read at its address"),
}


def badge_form(form: str, source: str | None) -> str:
    """ "Open Badges 3.0, signed (VC-JWT), inside a PNG image"."""
    said = _FORMS.get(form, lambda: form)()
    if source in _SOURCES:  # pasted text goes without saying
        said += ", " + _SOURCES[source]()
    return said
