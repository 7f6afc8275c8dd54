"""What a verification says: every check with its outcome and a sentence a person can read,
and how the verifier reaches the documents a badge links to (the caller decides: its own
database, the network, or nothing)."""

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from badges import jsontext
from badges.errors import BadgeError

Outcome = Literal["passed", "failed", "warning", "skipped"]


@dataclass(frozen=True)
class Detail:
    """What a check found, in one phrase: an English template and its parameters apart, so
    that a page can say it in its own language. Parameters are data (ids, URLs, names) but
    for `error`, an exception's English text, and `date`/`*_date`, ISO 8601 date-times."""

    template: str  # "the key %(kid)s is not in the issuer's key set %(url)s"
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % self.params


def detail(template: str, /, **params: object) -> Detail:
    """A detail whose parameters are written as `%s` writes them."""
    return Detail(template, {key: str(value) for key, value in params.items()})


@dataclass(frozen=True)
class Check:
    name: str  # "signature", "key provenance", "status", "validity dates", ...
    outcome: Outcome
    details: tuple[Detail, ...]  # most checks find one thing
    message: str = field(init=False)  # in English: what the API, the CLI and summaries say

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", "; ".join(str(d) for d in self.details))


@dataclass(frozen=True)
class Fetched:
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        try:
            return jsontext.loads(self.body)
        except ValueError as exc:
            raise FetchError(f"the document is not JSON: {exc}") from exc


class FetchError(BadgeError):
    """A linked document could not be obtained (unknown here, network refused, not found)."""


class Resolver(Protocol):
    def fetch(self, url: str, *, accept: str) -> Fetched:
        """The document at `url`; any HTTP status is returned, not raised.

        Raises:
            FetchError: the document cannot be obtained at all.
        """
        ...


@dataclass
class Findings:
    """The checks as a verification goes; turned into a report at the end."""

    checks: list[Check] = field(default_factory=list)
    revoked: bool = False
    superseded: bool = False  # a genuine OB 2.0 copy signed with a key since replaced

    # The template is a literal: pybabel extracts it for the pages' catalogues (babel.cfg).
    def passed(self, name: str, template: str, /, **params: object) -> None:
        self.add(name, "passed", detail(template, **params))

    def failed(self, name: str, template: str, /, **params: object) -> None:
        self.add(name, "failed", detail(template, **params))

    def warning(self, name: str, template: str, /, **params: object) -> None:
        self.add(name, "warning", detail(template, **params))

    def skipped(self, name: str, template: str, /, **params: object) -> None:
        self.add(name, "skipped", detail(template, **params))

    def add(self, name: str, outcome: Outcome, *details: Detail) -> None:
        self.checks.append(Check(name, outcome, details))

    @property
    def ok(self) -> bool:
        return not any(c.outcome == "failed" for c in self.checks)


@dataclass(frozen=True)
class Report:
    valid: bool  # no check failed
    version: Literal["3.0", "2.0"] | None
    form: str  # "OB 3.0 VC-JWT", "OB 2.0 hosted assertion", ...
    revoked: bool
    summary: str
    checks: tuple[Check, ...]
    credential: dict[str, Any] | None = None  # the badge's content, as read
    source: str | None = None  # "baked PNG", "URL", ...
    superseded: bool = False  # a genuine OB 2.0 copy, signed with a key since replaced


def matches_identity(identity: str, salt: str | None, email: str) -> bool:
    """Whether a hashed (sha256$ or md5$) or plain identity is this email."""
    plain = email.strip().lower()
    algorithm, _, digest = identity.partition("$")
    if not digest:
        return identity.strip().lower() == plain
    if algorithm.lower() not in ("sha256", "md5"):
        return False
    found = hashlib.new(algorithm.lower(), (plain + (salt or "")).encode("utf-8")).hexdigest()
    return found == digest.lower()
