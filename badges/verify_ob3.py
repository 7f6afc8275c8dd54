"""Verification of an OB 3.0 VC-JWT, in the order of the 1EdTech validator: header, key and
its provenance (the issuer's JWKS), signature, claims, schema, linked data, status, dates,
recipient. Each step adds a check; none raises on a bad badge."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from badges import dataintegrity, signing, status, verify_di
from badges.conformance import Documents
from badges.errors import BadgeError, InvalidBadge
from badges.keys import Algorithm, VerifyingKey
from badges.keysets import KeySets, Published
from badges.ob3 import SCHEMA_URL
from badges.report import FetchError, Findings, Resolver, matches_identity

# Our status lists answer with their embedded proof unless a VC-JWT is asked for.
STATUS_LIST_ACCEPT = "application/vc, application/vc+ld+json;q=0.9, application/vc+jwt;q=0.8"
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
    if str(alg) == "none":
        found.failed("header", "an unsigned token (alg none) is never accepted")
        return None
    if str(alg) == "HS256":
        found.failed(
            "header", "a shared-secret algorithm (HS256) cannot prove who issued the badge"
        )
        return None
    if alg not in signing.ALLOWED_ALGORITHMS:
        found.failed(
            "header",
            "the algorithm %(alg)s is not allowed (RS256 or ES256 only)",
            alg=repr(alg),
        )
        return None
    extra = sorted(set(head) - signing.ALLOWED_HEADER)
    if extra:
        found.failed(
            "header", "header members not allowed by OB 3.0: %(names)s", names=", ".join(extra)
        )
        return None
    if "typ" in head and head["typ"] != "JWT":
        found.failed("header", "typ must be JWT, not %(typ)s", typ=repr(head["typ"]))
        return None
    if not isinstance(head.get("kid"), str) and not isinstance(head.get("jwk"), dict):
        found.failed("header", "the header names no key (kid or jwk)")
        return None
    if head.get("kid"):
        found.passed("header", "%(alg)s, key %(kid)s", alg=alg, kid=head["kid"])
    else:
        found.passed("header", "%(alg)s, key embedded", alg=alg)
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
    if str(kid).startswith("did:"):
        return _did_key(str(kid), issuer, alg, resolver, keysets, found)
    if issuer.startswith("did:"):
        found.failed(
            "key provenance",
            "the key %(kid)s is not a key of the issuer's DID %(issuer)s",
            kid=kid,
            issuer=issuer,
        )
        return None
    url = jwks_url(issuer)
    try:
        published = keysets.find(url, str(kid), resolver)
    except FetchError as exc:
        found.failed(
            "key provenance",
            "the issuer's key set %(url)s cannot be read: %(error)s",
            url=url,
            error=exc,
        )
        return None
    if published is None:
        found.failed(
            "key provenance",
            "the key %(kid)s is not in the issuer's key set %(url)s",
            kid=kid,
            url=url,
        )
        return None
    return _vouched_for(published, str(kid), issuer, alg, found)


def _did_key(
    kid: str, issuer: str, alg: Algorithm, resolver: Resolver, keysets: KeySets, found: Findings
) -> VerifyingKey | None:
    """The key a DID URL names, from the issuer's DID document (kept as key sets are, the
    key object built once)."""
    try:
        listed, read = verify_di.method(kid, issuer, resolver, keysets)
    except (InvalidBadge, FetchError) as exc:
        found.failed("key provenance", "%(error)s", error=exc)
        return None
    jwk = listed.get("publicKeyJwk")
    if not isinstance(jwk, dict):
        found.failed("key provenance", "the key %(kid)s is not a JSON Web Key", kid=kid)
        return None
    published = read.get(kid)
    if published is None or published.jwk.get("kty") != jwk.get("kty"):
        published = read[kid] = Published({**jwk, "iss": issuer})
    return _vouched_for(published, kid, issuer, alg, found)


def _vouched_for(
    published: Published, kid: str, issuer: str, alg: Algorithm, found: Findings
) -> VerifyingKey | None:
    """The published key, if its JWK names this issuer and this algorithm (when it names
    any) and is a usable public key."""
    jwk = published.jwk
    if jwk.get("iss") not in (None, issuer):
        found.failed(
            "key provenance",
            "the key %(kid)s belongs to %(owner)s, not to %(issuer)s",
            kid=kid,
            owner=jwk.get("iss"),
            issuer=issuer,
        )
        return None
    if jwk.get("alg") not in (None, alg):
        found.failed(
            "key provenance",
            "the key %(kid)s is for %(key_alg)s, not %(alg)s",
            kid=kid,
            key_alg=jwk.get("alg"),
            alg=alg,
        )
        return None
    if published.key is None:
        if published.problem:
            found.failed("key provenance", "%(error)s", error=published.problem)
        else:
            found.failed("key provenance", "the key %(kid)s is unusable", kid=kid)
        return None
    if jwk.get("retired"):
        found.passed(
            "key provenance",
            "key %(kid)s is published by %(issuer)s (a retired key: it still vouches for what "
            "it signed)",
            kid=kid,
            issuer=issuer,
        )
    else:
        found.passed(
            "key provenance", "key %(kid)s is published by %(issuer)s", kid=kid, issuer=issuer
        )
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
        found.failed("claims", "the credential's dates cannot be read: %(error)s", error=exc)
        return
    wrong = [f"{k} {payload.get(k)!r} != {v!r}" for k, v in expected.items() if payload.get(k) != v]
    if wrong:
        found.failed(
            "claims", "JWT claims disagree with the credential: %(wrong)s", wrong="; ".join(wrong)
        )
    else:
        found.passed("claims", "iss, jti, sub, nbf (and exp) match the credential")


def check_status(
    payload: dict[str, Any],
    issuer: str,
    resolver: Resolver,
    keysets: KeySets,
    documents: Documents,
    found: Findings,
) -> None:
    entry = payload.get("credentialStatus")
    if not isinstance(entry, dict):
        found.skipped("status", "the credential names no status list: it cannot be revoked")
        return
    try:
        if entry.get("type") == "BitstringStatusListEntry":
            revoked = _bitstring(entry, issuer, resolver, keysets, documents)
        elif entry.get("type") == "1EdTechRevocationList":
            listed = resolver.fetch(str(entry["id"]), accept="application/json").json()
            revoked = any(
                r.get("id") == payload.get("id") and r.get("revoked", True)
                for r in listed.get("revokedCredential", [])
            )
        else:
            found.warning(
                "status",
                "unknown status method %(method)s: not checked",
                method=repr(entry.get("type")),
            )
            return
    except (BadgeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        found.failed("status", "the revocation status cannot be checked: %(error)s", error=exc)
        return
    if revoked:
        found.revoked = True
        found.failed("status", "REVOKED by its issuer")
    else:
        found.passed("status", "not revoked")


def _bitstring(
    entry: dict[str, Any],
    issuer: str,
    resolver: Resolver,
    keysets: KeySets,
    documents: Documents,
) -> bool:
    """Whether the entry's bit is set, in a status list credential signed by the same issuer
    (with an embedded proof, or as a VC-JWT)."""
    url = str(entry["statusListCredential"])
    fetched = resolver.fetch(url, accept=STATUS_LIST_ACCEPT)
    if fetched.status != 200:
        raise FetchError(f"the status list {url} answered HTTP {fetched.status}")
    text = fetched.body.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        listed = fetched.json()
        try:
            verify_di.proof_holds(listed, issuer, resolver, documents, keysets)
        except InvalidBadge as exc:
            raise InvalidBadge(f"the status list's proof does not hold: {exc}") from exc
    else:
        listed = _signed_status_list(text, issuer, resolver, keysets)
    if _issuer_id(listed) != issuer:
        raise InvalidBadge("the status list comes from another issuer")
    return status.is_set(listed["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))


def _signed_status_list(
    token: str, issuer: str, resolver: Resolver, keysets: KeySets
) -> dict[str, Any]:
    parsed = signing.parse(token)
    inner = Findings()
    alg = check_header(parsed.header, inner)
    key = None if alg is None else find_key(parsed, issuer, alg, resolver, keysets, inner)
    if alg is None or key is None or not signing.signature_holds(parsed, key, alg):
        raise InvalidBadge("the status list is not signed by the credential's issuer")
    return parsed.payload


def check_dates(payload: dict[str, Any], now: datetime, found: Findings) -> None:
    try:
        start = signing.epoch(payload["validFrom"])
        end = signing.epoch(payload["validUntil"]) if "validUntil" in payload else None
    except (KeyError, InvalidBadge, ValueError) as exc:
        found.failed("validity dates", "the dates cannot be read: %(error)s", error=exc)
        return
    moment = int(now.timestamp())
    start_date, end_date = payload["validFrom"], payload.get("validUntil")
    if moment < start:
        found.failed("validity dates", "NOT YET VALID: valid from %(date)s", date=start_date)
    elif end is not None and moment > end:
        found.failed("validity dates", "EXPIRED on %(date)s", date=end_date)
    elif end is not None:
        found.passed(
            "validity dates",
            "valid from %(start_date)s until %(end_date)s",
            start_date=start_date,
            end_date=end_date,
        )
    else:
        found.passed(
            "validity dates", "valid from %(start_date)s, with no end date", start_date=start_date
        )


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
        found.passed("recipient", "issued to %(email)s", email=email)
    else:
        found.failed("recipient", "not issued to %(email)s", email=email)


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
        found.failed("format", "%(error)s", error=exc)
        return None
    payload = parsed.payload
    if not check_signature(parsed, resolver, keysets, found):
        return payload
    check_claims(payload, found)
    credential = {k: v for k, v in payload.items() if k not in signing.REGISTERED_CLAIMS}
    if dataintegrity.proofs(credential):
        verify_di.check_proof(
            credential, _issuer_id(payload) or "", resolver, documents, keysets, found
        )
    check_content(credential, resolver, documents, keysets, now, email, found)
    return payload


def check_content(
    credential: dict[str, Any],
    resolver: Resolver,
    documents: Documents,
    keysets: KeySets,
    now: datetime,
    email: str | None,
    found: Findings,
) -> None:
    """The checks of a credential once its proof is checked, whatever the proof."""
    check_schemas(credential, documents, found)
    check_linked_data(credential, documents, found)
    check_status(credential, _issuer_id(credential) or "", resolver, keysets, documents, found)
    check_dates(credential, now, found)
    check_recipient(credential, email, found)
    check_endorsements(credential, resolver, documents, keysets, found)


def verify_with_proof(
    document: dict[str, Any],
    *,
    resolver: Resolver,
    documents: Documents,
    keysets: KeySets,
    now: datetime,
    email: str | None,
    found: Findings,
) -> None:
    """Adds every check of an OB 3.0 credential secured by an embedded Data Integrity proof."""
    if not _is_credential(document, found):
        return
    verify_di.check_proof(document, _issuer_id(document) or "", resolver, documents, keysets, found)
    check_content(document, resolver, documents, keysets, now, email, found)


def check_endorsements(
    credential: dict[str, Any],
    resolver: Resolver,
    documents: Documents,
    keysets: KeySets,
    found: Findings,
) -> None:
    """OB 3.0: every endorsement a credential carries is verified as a credential of its own
    (its proof, by its own issuer), either form."""
    embedded = [e for e in credential.get("endorsement") or [] if isinstance(e, dict)]
    tokens = [t for t in credential.get("endorsementJwt") or [] if isinstance(t, str)]
    if not embedded and not tokens:
        return
    failed = []
    for endorsement in embedded:
        try:
            verify_di.proof_holds(
                endorsement, _issuer_id(endorsement) or "", resolver, documents, keysets
            )
        except (InvalidBadge, FetchError) as exc:
            failed.append(str(exc))
    for token in tokens:
        inner = Findings()
        try:
            check_signature(signing.parse(token), resolver, keysets, inner)
        except InvalidBadge as exc:
            inner.failed("format", "%(error)s", error=exc)
        failed += [c.message for c in inner.checks if c.outcome == "failed"]
    if failed:
        found.failed("endorsement", "an endorsement does not verify: %(error)s", error=failed[0])
    else:
        found.passed(
            "endorsement",
            "%(count)s endorsement(s) verified, each by its own issuer",
            count=len(embedded) + len(tokens),
        )


def check_signature(
    parsed: signing.Parsed, resolver: Resolver, keysets: KeySets, found: Findings
) -> bool:
    """Header, format, key provenance and signature; False when the token is not even an
    OB 3.0 credential (nothing more is worth checking)."""
    alg = check_header(parsed.header, found)
    payload = parsed.payload
    if not _is_credential(payload, found):
        return False
    issuer = str(_issuer_id(payload))
    key = None if alg is None else find_key(parsed, issuer, alg, resolver, keysets, found)
    if alg is None or key is None:
        found.failed("signature", "not checked: no trustworthy key")
    elif signing.signature_holds(parsed, key, alg):
        found.passed("signature", "%(alg)s signature verified with the issuer's key", alg=alg)
    else:
        found.failed(
            "signature",
            "the signature does not match the content: the badge was altered or signed by "
            "someone else",
        )
    return True


def _is_credential(document: dict[str, Any], found: Findings) -> bool:
    types = document.get("type") or []
    issuer = _issuer_id(document)
    if not isinstance(types, list) or not _CREDENTIAL_TYPES & set(types) or issuer is None:
        found.failed("format", "not an Open Badges 3.0 credential (type or issuer missing)")
        return False
    found.passed("format", "%(types)s issued by %(issuer)s", types=", ".join(types), issuer=issuer)
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
            found.warning("schema", "%(error)s: not checked", error=exc)
            continue
        if errors:
            found.failed(
                "schema",
                "%(count)s schema error(s): %(error)s",
                count=len(errors),
                error="; ".join(errors[:5]),
            )
        else:
            found.passed("schema", "valid against %(url)s", url=url)


def check_linked_data(document: dict[str, Any], documents: Documents, found: Findings) -> None:
    try:
        undefined = documents.undefined_terms(document)
    except BadgeError as exc:
        found.failed("linked data", "%(error)s", error=exc)
        return
    if undefined:
        found.failed(
            "linked data", "terms no context defines: %(terms)s", terms=", ".join(undefined[:10])
        )
    else:
        found.passed("linked data", "every term is defined by the published contexts")
