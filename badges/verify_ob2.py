"""Verification of an OB 2.0 assertion, hosted or signed, by the checklist of the spec: the
linked objects, required properties and their datatypes, the issuer's verification scope or
key, revocation (410, `revoked`, the issuer's RevocationList), dates, recipient."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from badges import signing
from badges.conformance import Documents
from badges.errors import BadgeError, InvalidBadge
from badges.report import Detail, FetchError, Findings, Resolver, detail, matches_identity
from badges.verify_ob3 import check_linked_data

_REQUIRED = ("id", "type", "recipient", "badge", "verification", "issuedOn")


def _json(resolver: Resolver, url: str) -> dict[str, Any]:
    fetched = resolver.fetch(url, accept="application/ld+json, application/json")
    if fetched.status != 200:
        raise FetchError(f"{url} answered HTTP {fetched.status}")
    found = fetched.json()
    if not isinstance(found, dict):
        raise FetchError(f"{url} is not a JSON object")
    return found


def _date(value: Any) -> datetime | None:
    """An ISO 8601 date-time with its time zone (OB 2.0 requires one)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def check_properties(assertion: dict[str, Any], found: Findings) -> bool:
    missing = [p for p in _REQUIRED if p not in assertion]
    problems: list[Detail] = []
    if missing:
        problems.append(detail("missing %(names)s", names=", ".join(missing)))
    if assertion.get("type") not in ("Assertion", ["Assertion"]):
        problems.append(detail("type is not Assertion"))
    recipient = assertion.get("recipient") or {}
    identity = str(recipient.get("identity", ""))
    if recipient.get("hashed") and not identity.lower().startswith(("sha256$", "md5$")):
        problems.append(detail("a hashed identity must read sha256$… or md5$…"))
    if "issuedOn" in assertion and _date(assertion["issuedOn"]) is None:
        problems.append(detail("issuedOn is not a date-time with a time zone"))
    if problems:
        found.add("properties", "failed", *problems)
        return False
    found.passed("properties", "required properties present, with valid datatypes")
    return True


def check_dates(assertion: dict[str, Any], now: datetime, found: Findings) -> None:
    issued, expires = _date(assertion.get("issuedOn")), _date(assertion.get("expires"))
    if issued is None:
        found.failed("validity dates", "issuedOn cannot be read")
    elif issued > now:
        found.failed(
            "validity dates", "NOT YET VALID: issued on %(date)s", date=assertion["issuedOn"]
        )
    elif "expires" in assertion and expires is None:
        found.failed("validity dates", "expires is not a date-time with a time zone")
    elif expires is not None and (expires < issued or expires < now):
        found.failed("validity dates", "EXPIRED on %(date)s", date=assertion["expires"])
    else:
        found.passed("validity dates", "issued on %(date)s", date=assertion["issuedOn"])


def check_recipient(assertion: dict[str, Any], email: str | None, found: Findings) -> None:
    recipient = assertion.get("recipient") or {}
    if email is None:
        found.skipped("recipient", "no email given to compare with the recipient")
    elif recipient.get("type") == "email" and matches_identity(
        str(recipient.get("identity", "")), recipient.get("salt"), email
    ):
        found.passed("recipient", "issued to %(email)s", email=email)
    else:
        found.failed("recipient", "not issued to %(email)s", email=email)


def _issuer(assertion: dict[str, Any], resolver: Resolver, found: Findings) -> dict[str, Any]:
    """The BadgeClass's issuer profile; failures are reported and give an empty profile."""
    try:
        badge = _json(resolver, str(assertion["badge"]))
        issuer = _json(resolver, str(badge["issuer"]))
    except (BadgeError, KeyError, TypeError) as exc:
        found.failed("issuer", "the badge class or its issuer cannot be read: %(error)s", error=exc)
        return {}
    if urlsplit(str(issuer.get("id"))).scheme not in ("http", "https"):
        found.failed("issuer", "the issuer id is not an http(s) URL")
        return {}
    found.passed("issuer", "%(name)s (%(id)s)", name=issuer.get("name"), id=issuer.get("id"))
    return issuer


def _in_scope(assertion_id: str, issuer: dict[str, Any]) -> bool:
    scope = issuer.get("verification") or {}
    starts = scope.get("startsWith")
    if starts:
        return any(assertion_id.startswith(s) for s in _listed(starts))
    origins = scope.get("allowedOrigins") or urlsplit(str(issuer.get("id"))).netloc
    return urlsplit(assertion_id).netloc in _listed(origins)


def _listed(value: Any) -> list[Any]:
    """JSON-LD may compact a one-element array into a scalar: read both shapes."""
    return value if isinstance(value, list) else [value]


def verify_hosted(
    assertion_url: str, *, resolver: Resolver, documents: Documents, found: Findings
) -> dict[str, Any] | None:
    """The hosted assertion at its own URL (the source of truth, even when JSON was given)."""
    try:
        fetched = resolver.fetch(assertion_url, accept="application/ld+json, application/json")
    except FetchError as exc:
        found.failed(
            "hosted assertion", "cannot fetch %(url)s: %(error)s", url=assertion_url, error=exc
        )
        return None
    body: dict[str, Any] | None = None
    try:
        parsed = fetched.json()
        body = parsed if isinstance(parsed, dict) else None
    except FetchError:
        pass
    if fetched.status == 410 or (body or {}).get("revoked") is True:
        _revoked(found, (body or {}).get("revocationReason"))
        return body
    if fetched.status != 200 or body is None:
        found.failed(
            "hosted assertion",
            "%(url)s answered HTTP %(status)s",
            url=assertion_url,
            status=fetched.status,
        )
        return None
    if body.get("id") != assertion_url:
        found.failed("hosted assertion", "the assertion at that URL has another id")
        return body
    found.passed("hosted assertion", "served by its issuer at %(url)s", url=assertion_url)
    if check_properties(body, found):
        issuer = _issuer(body, resolver, found)
        if issuer and not _in_scope(assertion_url, issuer):
            found.failed("issuer", "the assertion is outside the issuer's verification scope")
        found.passed("status", "not revoked")
    check_linked_data(body, documents, found)
    return body


def verify_signed(
    token: str, *, resolver: Resolver, documents: Documents, found: Findings
) -> dict[str, Any] | None:
    try:
        head, assertion = signing.header(token), signing.unverified_payload(token)
    except InvalidBadge as exc:
        found.failed("format", "%(error)s", error=exc)
        return None
    if head.get("alg") != "RS256":
        found.failed(
            "header", "OB 2.0 signed badges use RS256, not %(alg)s", alg=repr(head.get("alg"))
        )
        return assertion
    if not check_properties(assertion, found):
        return assertion
    creator = str((assertion.get("verification") or {}).get("creator", ""))
    issuer = _issuer(assertion, resolver, found)
    try:
        key_doc = _json(resolver, creator)
        public = serialization.load_pem_public_key(str(key_doc["publicKeyPem"]).encode())
    except (BadgeError, KeyError, ValueError, TypeError) as exc:
        if creator:
            found.failed(
                "key provenance",
                "the signing key %(kid)s cannot be read: %(error)s",
                kid=creator,
                error=exc,
            )
        else:
            found.failed(
                "key provenance", "the signing key (none) cannot be read: %(error)s", error=exc
            )
        return assertion
    owned = key_doc.get("owner") == issuer.get("id")
    if owned and creator not in _listed(issuer.get("publicKey")):
        _superseded(token, creator, public, found)
    elif creator not in _listed(issuer.get("publicKey")) or not owned:
        found.failed(
            "key provenance", "the issuer does not list the key %(kid)s as its own", kid=creator
        )
    elif not isinstance(public, rsa.RSAPublicKey):
        found.failed("key provenance", "the key is not an RSA key")
    else:
        found.passed("key provenance", "key %(kid)s is the issuer's", kid=creator)
        try:
            signing.verify_token(token, public, "RS256")
            found.passed("signature", "RS256 signature verified with the issuer's key")
        except InvalidBadge as exc:
            found.failed(
                "signature",
                "%(error)s: the badge was altered or signed by someone else",
                error=exc,
            )
    _check_revocation_list(assertion, issuer, resolver, found)
    check_linked_data(assertion, documents, found)
    return assertion


def _superseded(token: str, creator: str, public: Any, found: Findings) -> None:
    """A key its issuer owns but no longer names: OB 2.0 allows an issuer one key, so this is
    a copy signed before the issuer changed its keys. It fails (OB 2.0 verifiers refuse it),
    and says whether it is a genuine old copy, so that its holder knows to download it again."""
    genuine = False
    if isinstance(public, rsa.RSAPublicKey):
        try:
            signing.verify_token(token, public, "RS256")
            genuine = True
        except InvalidBadge:
            genuine = False
    if not genuine:
        found.failed(
            "key provenance", "the issuer does not list the key %(kid)s as its own", kid=creator
        )
        return
    found.superseded = True
    found.failed(
        "key provenance",
        "a genuine copy signed with %(kid)s, a key its issuer has since replaced: the badge was "
        "signed again with the new key; this copy no longer verifies in Open Badges 2.0 tools "
        "(download it again from the badge's page, or use its hosted address)",
        kid=creator,
    )


def _check_revocation_list(
    assertion: dict[str, Any], issuer: dict[str, Any], resolver: Resolver, found: Findings
) -> None:
    url = issuer.get("revocationList")
    if not url:
        found.warning("status", "the issuer publishes no revocation list")
        return
    try:
        listed = _json(resolver, str(url))
    except FetchError as exc:
        found.failed("status", "the revocation list cannot be read: %(error)s", error=exc)
        return
    for entry in _listed(listed.get("revokedAssertions") or []):
        entry_id = entry.get("id") if isinstance(entry, dict) else entry
        if entry_id == assertion.get("id"):
            _revoked(found, entry.get("revocationReason") if isinstance(entry, dict) else None)
            return
    found.passed("status", "not on the issuer's revocation list")


def _revoked(found: Findings, reason: Any) -> None:
    found.revoked = True
    if reason:
        found.failed("status", "REVOKED by its issuer: %(reason)s", reason=reason)
    else:
        found.failed("status", "REVOKED by its issuer: no reason given")
