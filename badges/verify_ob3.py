"""Verification of an OB 3.0 VC-JWT, in the order of the 1EdTech validator: header, key and
its provenance (the issuer's JWKS), signature, claims, schema, linked data, status, dates,
recipient. Each step adds a check; none raises on a bad badge."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from badges import signing, status
from badges.conformance import Documents
from badges.errors import BadgeError, InvalidBadge
from badges.keys import Algorithm, VerifyingKey
from badges.keysets import KeySets
from badges.ob3 import SCHEMA_URL
from badges.report import FetchError, Findings, Resolver, matches_identity

_CREDENTIAL_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}


def jwks_url(issuer_id: str) -> str:
    """OB 3.0: the key set lives at the well-known path of the issuer id's authority."""
    parts = urlsplit(issuer_id)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def _issuer_id(payload: dict[str, Any]) -> str | None:
    issuer = payload.get("issuer")
    found = issuer.get("id") if isinstance(issuer, dict) else issuer
    return found if isinstance(found, str) else None


def check_header(head: dict[str, Any], found: Findings) -> Algorithm | None:
    alg = head.get("alg")
    if alg not in signing.ALLOWED_ALGORITHMS:
        reason = {
            "none": "an unsigned token (alg none) is never accepted",
            "HS256": "a shared-secret algorithm (HS256) cannot prove who issued the badge",
        }.get(str(alg), f"the algorithm {alg!r} is not allowed (RS256 or ES256 only)")
        found.failed("header", reason)
        return None
    extra = sorted(set(head) - signing.ALLOWED_HEADER)
    if extra:
        found.failed("header", f"header members not allowed by OB 3.0: {', '.join(extra)}")
        return None
    if "typ" in head and head["typ"] != "JWT":
        found.failed("header", f"typ must be JWT, not {head['typ']!r}")
        return None
    if not isinstance(head.get("kid"), str) and not isinstance(head.get("jwk"), dict):
        found.failed("header", "the header names no key (kid or jwk)")
        return None
    found.passed("header", f"{alg}, key {head.get('kid') or 'embedded'}")
    return alg  # type: ignore[no-any-return]


def find_key(
    parsed: signing.Parsed,
    issuer: str,
    alg: Algorithm,
    resolver: Resolver,
    keysets: KeySets,
    found: Findings,
) -> VerifyingKey | None:
    """The key of the token's `kid`, taken from the issuer's own JWKS (not from the token),
    and only if the set says it belongs to that issuer."""
    head = parsed.header
    kid = head.get("kid") or (head.get("jwk") or {}).get("kid")
    url = jwks_url(issuer)
    try:
        published = keysets.find(url, str(kid), resolver)
    except FetchError as exc:
        found.failed("key provenance", f"the issuer's key set {url} cannot be read: {exc}")
        return None
    if published is None:
        found.failed("key provenance", f"the key {kid} is not in the issuer's key set {url}")
        return None
    jwk = published.jwk
    if jwk.get("iss") not in (None, issuer):
        found.failed(
            "key provenance", f"the key {kid} belongs to {jwk.get('iss')}, not to {issuer}"
        )
        return None
    if jwk.get("alg") not in (None, alg):
        found.failed("key provenance", f"the key {kid} is for {jwk.get('alg')}, not {alg}")
        return None
    if published.key is None:
        found.failed("key provenance", published.problem or f"the key {kid} is unusable")
        return None
    retired = " (a retired key: it still vouches for what it signed)" if jwk.get("retired") else ""
    found.passed("key provenance", f"key {kid} is published by {issuer}{retired}")
    return published.key


def check_claims(payload: dict[str, Any], found: Findings) -> None:
    expected: dict[str, Any] = {
        "iss": _issuer_id(payload),
        "jti": payload.get("id"),
        "sub": (payload.get("credentialSubject") or {}).get("id"),
    }
    try:
        expected["nbf"] = signing.epoch(payload["validFrom"])
        if "validUntil" in payload:
            expected["exp"] = signing.epoch(payload["validUntil"])
    except (KeyError, InvalidBadge, ValueError) as exc:
        found.failed("claims", f"the credential's dates cannot be read: {exc}")
        return
    wrong = [f"{k} {payload.get(k)!r} != {v!r}" for k, v in expected.items() if payload.get(k) != v]
    if wrong:
        found.failed("claims", "JWT claims disagree with the credential: " + "; ".join(wrong))
    else:
        found.passed("claims", "iss, jti, sub, nbf (and exp) match the credential")


def check_status(
    payload: dict[str, Any], issuer: str, resolver: Resolver, keysets: KeySets, found: Findings
) -> None:
    entry = payload.get("credentialStatus")
    if not isinstance(entry, dict):
        found.skipped("status", "the credential names no status list: it cannot be revoked")
        return
    try:
        if entry.get("type") == "BitstringStatusListEntry":
            revoked = _bitstring(entry, issuer, resolver, keysets)
        elif entry.get("type") == "1EdTechRevocationList":
            listed = resolver.fetch(str(entry["id"]), accept="application/json").json()
            revoked = any(
                r.get("id") == payload.get("id") and r.get("revoked", True)
                for r in listed.get("revokedCredential", [])
            )
        else:
            found.warning("status", f"unknown status method {entry.get('type')!r}: not checked")
            return
    except (BadgeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        found.failed("status", f"the revocation status cannot be checked: {exc}")
        return
    if revoked:
        found.revoked = True
        found.failed("status", "REVOKED by its issuer")
    else:
        found.passed("status", "not revoked")


def _bitstring(entry: dict[str, Any], issuer: str, resolver: Resolver, keysets: KeySets) -> bool:
    """Whether the entry's bit is set, in a status list credential signed by the same issuer."""
    url = str(entry["statusListCredential"])
    fetched = resolver.fetch(url, accept="application/vc+jwt")
    if fetched.status != 200:
        raise FetchError(f"the status list {url} answered HTTP {fetched.status}")
    parsed = signing.parse(fetched.body.decode("ascii").strip())
    inner = Findings()
    alg = check_header(parsed.header, inner)
    key = None if alg is None else find_key(parsed, issuer, alg, resolver, keysets, inner)
    if alg is None or key is None or not signing.signature_holds(parsed, key, alg):
        raise InvalidBadge("the status list is not signed by the credential's issuer")
    listed = parsed.payload
    if _issuer_id(listed) != issuer:
        raise InvalidBadge("the status list comes from another issuer")
    return status.is_set(listed["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))


def check_dates(payload: dict[str, Any], now: datetime, found: Findings) -> None:
    try:
        start = signing.epoch(payload["validFrom"])
        end = signing.epoch(payload["validUntil"]) if "validUntil" in payload else None
    except (KeyError, InvalidBadge, ValueError) as exc:
        found.failed("validity dates", f"the dates cannot be read: {exc}")
        return
    moment = int(now.timestamp())
    if moment < start:
        found.failed("validity dates", f"NOT YET VALID: valid from {payload['validFrom']}")
    elif end is not None and moment > end:
        found.failed("validity dates", f"EXPIRED on {payload['validUntil']}")
    else:
        until = f" until {payload['validUntil']}" if end is not None else ", with no end date"
        found.passed("validity dates", f"valid from {payload['validFrom']}{until}")


def check_recipient(payload: dict[str, Any], email: str | None, found: Findings) -> None:
    subject = payload.get("credentialSubject") or {}
    identifiers = [i for i in subject.get("identifier", []) if isinstance(i, dict)]
    if not subject.get("id") and not identifiers:
        found.failed("recipient", "the credential names no recipient (no id, no identifier)")
        return
    if email is None:
        found.skipped("recipient", "no email given to compare with the recipient")
        return
    if any(
        i.get("identityType") == "emailAddress"
        and matches_identity(str(i.get("identityHash", "")), i.get("salt"), email)
        for i in identifiers
    ):
        found.passed("recipient", f"issued to {email}")
    else:
        found.failed("recipient", f"not issued to {email}")


def verify_vc_jwt(
    token: str,
    *,
    resolver: Resolver,
    documents: Documents,
    keysets: KeySets,
    now: datetime,
    email: str | None,
    found: Findings,
) -> dict[str, Any] | None:
    """Adds every check of an OB 3.0 VC-JWT to `found`; returns the credential as read."""
    try:
        parsed = signing.parse(token)
    except InvalidBadge as exc:
        found.failed("format", str(exc))
        return None
    payload = parsed.payload
    if not check_signature(parsed, resolver, keysets, found):
        return payload
    check_claims(payload, found)
    check_schemas(payload, documents, found)
    check_linked_data(payload, documents, found)
    check_status(payload, _issuer_id(payload) or "", resolver, keysets, found)
    check_dates(payload, now, found)
    check_recipient(payload, email, found)
    return payload


def check_signature(
    parsed: signing.Parsed, resolver: Resolver, keysets: KeySets, found: Findings
) -> bool:
    """Header, format, key provenance and signature; False when the token is not even an
    OB 3.0 credential (nothing more is worth checking)."""
    alg = check_header(parsed.header, found)
    payload = parsed.payload
    types = payload.get("type") or []
    issuer = _issuer_id(payload)
    if not isinstance(types, list) or not _CREDENTIAL_TYPES & set(types) or issuer is None:
        found.failed("format", "not an Open Badges 3.0 credential (type or issuer missing)")
        return False
    found.passed("format", f"{', '.join(types)} issued by {issuer}")
    key = None if alg is None else find_key(parsed, issuer, alg, resolver, keysets, found)
    if alg is None or key is None:
        found.failed("signature", "not checked: no trustworthy key")
    elif signing.signature_holds(parsed, key, alg):
        found.passed("signature", f"{alg} signature verified with the issuer's key")
    else:
        found.failed(
            "signature",
            "the signature does not match the content: the badge was altered or signed by "
            "someone else",
        )
    return True


def check_schemas(payload: dict[str, Any], documents: Documents, found: Findings) -> None:
    """OB 3.0: a credential must validate against every 1EdTech JSON schema it names."""
    named = [
        s.get("id")
        for s in payload.get("credentialSchema") or []
        if isinstance(s, dict) and s.get("type") == "1EdTechJsonSchemaValidator2019"
    ]
    badge = {"OpenBadgeCredential", "AchievementCredential"} & set(payload.get("type") or [])
    if not named and badge:
        named = [SCHEMA_URL]  # an Open Badge is held to its schema even when it names none
    if not named:
        found.skipped("schema", "the credential names no JSON schema to check it against")
    for url in named:
        try:
            errors = documents.schema_errors(payload, str(url))
        except BadgeError as exc:
            found.warning("schema", f"{exc}: not checked")
            continue
        if errors:
            found.failed("schema", f"{len(errors)} schema error(s): " + "; ".join(errors[:5]))
        else:
            found.passed("schema", f"valid against {url}")


def check_linked_data(document: dict[str, Any], documents: Documents, found: Findings) -> None:
    try:
        undefined = documents.undefined_terms(document)
    except BadgeError as exc:
        found.failed("linked data", str(exc))
        return
    if undefined:
        found.failed("linked data", "terms no context defines: " + ", ".join(undefined[:10]))
    else:
        found.passed("linked data", "every term is defined by the published contexts")
