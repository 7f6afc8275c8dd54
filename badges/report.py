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
class Check:
    name: str  # "signature", "key provenance", "status", "validity dates", ...
    outcome: Outcome
    message: str


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

    def passed(self, name: str, message: str) -> None:
        self.checks.append(Check(name, "passed", message))

    def failed(self, name: str, message: str) -> None:
        self.checks.append(Check(name, "failed", message))

    def warning(self, name: str, message: str) -> None:
        self.checks.append(Check(name, "warning", message))

    def skipped(self, name: str, message: str) -> None:
        self.checks.append(Check(name, "skipped", message))

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
