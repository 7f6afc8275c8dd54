"""The verifier: any form a badge comes in (VC-JWT, OB 2.0 JWS, JSON, a URL, a baked PNG or
SVG), both versions, and a report that says what each check found, never a bare yes/no.

Whatever cannot be read becomes a failed check; only JSON nested deeper than any badge is
refused (InvalidBadge): no check can be run on it, and it is a request, not a badge.
"""

import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jwt.utils import base64url_decode

from badges import baking, dataintegrity, jsontext, signing
from badges.conformance import Documents
from badges.errors import BadgeError, InvalidBadge
from badges.keysets import KeySets
from badges.report import Check, Findings, Report, Resolver
from badges.verify_ob2 import check_dates as check_ob2_dates
from badges.verify_ob2 import check_recipient as check_ob2_recipient
from badges.verify_ob2 import verify_hosted, verify_signed
from badges.verify_ob3 import verify_vc_jwt, verify_with_proof

MAX_INPUT = 2 * 1024 * 1024  # bytes: far above any badge image we bake
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class _Context:
    resolver: Resolver
    documents: Documents
    keysets: KeySets
    now: datetime
    email: str | None
    found: Findings


def verify(
    data: bytes | str,
    *,
    resolver: Resolver,
    documents: Documents,
    now: datetime,
    email: str | None = None,
    keysets: KeySets | None = None,
) -> Report:
    """Verifies a badge given as text (JWT, JSON, URL) or bytes (those, or a PNG/SVG image).

    Args:
        data: what the verifier was handed.
        resolver: how linked documents (keys, status lists, hosted assertions) are obtained.
        documents: the local contexts and schema.
        now: the moment validity dates are judged at.
        email: when given, the recipient must be this address.
        keysets: issuers' key sets kept from earlier verifications (none kept by default).

    Raises:
        InvalidBadge: JSON nested deeper than any badge (jsontext.MAX_DEPTH).
    """
    ctx = _Context(resolver, documents, keysets or KeySets(), now, email, Findings())
    try:
        unwrapped = _unwrap(data, ctx.found)
    except InvalidBadge as exc:
        ctx.found.failed("format", "%(error)s", error=exc)
        unwrapped = None
    if unwrapped is None:
        return _report(ctx, None, "unreadable input", None, "text")
    text, source = unwrapped
    if text.startswith(("http://", "https://")) and not any(c.isspace() for c in text):
        return _url(ctx, text, "URL" if source == "text" else source)
    if _JWS.match(text):
        _refuse_too_deep(text)
        return _token(ctx, text, source)
    try:
        document = jsontext.loads(text)
    except jsontext.TooDeep as exc:
        raise InvalidBadge(f"not a badge: {exc}") from None
    except ValueError:
        ctx.found.failed("format", "not a badge: neither a JWT, JSON, a URL nor a PNG/SVG image")
        return _report(ctx, None, "unreadable input", None, source)
    if not isinstance(document, dict):
        ctx.found.failed("format", "the JSON is not an object")
        return _report(ctx, None, "unreadable input", None, source)
    return _document(ctx, document, source)


def _refuse_too_deep(token: str) -> None:
    """A badge nested past any real one is refused as a request, not reported on: no check
    can be run on it (the token's own checks read its payload again: it is small).

    Raises:
        InvalidBadge: the token's payload is nested deeper than allowed."""
    try:
        payload = base64url_decode(token.split(".")[1].encode("ascii")).decode("utf-8")
    except (ValueError, binascii.Error):
        return  # not a token after all: the checks say so
    try:
        jsontext.loads(payload)
    except jsontext.TooDeep as exc:
        raise InvalidBadge(f"not a badge: {exc}") from None
    except ValueError:
        return


def _unwrap(data: bytes | str, found: Findings) -> tuple[str, str] | None:
    """The badge's text, out of an image when it is one; and where it came from. None when
    there is none (a failed check says why).

    Raises:
        InvalidBadge: the image carries no readable badge."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_INPUT:
        found.failed("format", "the input is larger than %(size)s KB", size=MAX_INPUT // 1024)
        return None
    kind = baking.sniff(raw)
    if kind == "png":
        baked = baking.unbake_png(raw)
    elif kind == "svg":
        baked = baking.unbake_svg(raw)
    else:
        try:
            return raw.decode("utf-8").strip(), "text"
        except UnicodeDecodeError:
            found.failed("format", "the input is neither UTF-8 text nor a PNG/SVG image")
            return None
    found.passed(
        "image",
        "baked %(kind)s carrying an '%(keyword)s' badge",
        kind=kind.upper(),
        keyword=baked.keyword,
    )
    return baked.text.strip(), f"baked {kind.upper()}"


def _token(ctx: _Context, token: str, source: str) -> Report:
    try:
        payload = signing.unverified_payload(token)
    except InvalidBadge as exc:
        ctx.found.failed("format", "%(error)s", error=exc)
        return _report(ctx, None, "unreadable token", None, source)
    if payload.get("type") in ("Assertion", ["Assertion"]):
        assertion = verify_signed(
            token, resolver=ctx.resolver, documents=ctx.documents, found=ctx.found
        )
        if assertion is not None:
            check_ob2_dates(assertion, ctx.now, ctx.found)
            check_ob2_recipient(assertion, ctx.email, ctx.found)
        return _report(ctx, "2.0", "OB 2.0 signed assertion", assertion, source)
    credential = verify_vc_jwt(
        token,
        resolver=ctx.resolver,
        documents=ctx.documents,
        keysets=ctx.keysets,
        now=ctx.now,
        email=ctx.email,
        found=ctx.found,
    )
    return _report(ctx, "3.0", "OB 3.0 VC-JWT", credential, source)


def _url(ctx: _Context, url: str, source: str) -> Report:
    try:
        fetched = ctx.resolver.fetch(
            url, accept="application/ld+json, application/json, text/plain"
        )
    except BadgeError as exc:
        ctx.found.failed("format", "cannot fetch %(url)s: %(error)s", url=url, error=exc)
        return _report(ctx, None, "URL", None, source)
    text = fetched.body.decode("utf-8", errors="replace").strip()
    if _JWS.match(text):
        return _token(ctx, text, source)
    # Anything else at a URL is taken as a hosted OB 2.0 assertion, which the URL identifies
    # (a 410 answer is a revocation, so the status is not read here).
    assertion = verify_hosted(url, resolver=ctx.resolver, documents=ctx.documents, found=ctx.found)
    if assertion is not None and not ctx.found.revoked:
        check_ob2_dates(assertion, ctx.now, ctx.found)
        check_ob2_recipient(assertion, ctx.email, ctx.found)
    return _report(ctx, "2.0", "OB 2.0 hosted assertion", assertion, source)


def _document(ctx: _Context, document: dict[str, Any], source: str) -> Report:
    verification = document.get("verification") or {}
    if document.get("type") in ("Assertion", ["Assertion"]) and verification.get("type") in (
        "HostedBadge",
        "hosted",
    ):
        ctx.found.passed("format", "OB 2.0 hosted assertion JSON: checked at its own URL")
        return _url(ctx, str(document.get("id")), source)
    if "VerifiableCredential" in (document.get("type") or []):
        if dataintegrity.proofs(document):
            verify_with_proof(
                document,
                resolver=ctx.resolver,
                documents=ctx.documents,
                keysets=ctx.keysets,
                now=ctx.now,
                email=ctx.email,
                found=ctx.found,
            )
            return _report(ctx, "3.0", "OB 3.0 with a Data Integrity proof", document, source)
        ctx.found.failed(
            "signature",
            "this JSON carries no proof that can be checked: download the badge again from "
            "its page (its .json carries a proof), or its .jwt",
        )
        return _report(ctx, "3.0", "OB 3.0 JSON without proof", document, source)
    ctx.found.failed("format", "not an Open Badges assertion or credential")
    return _report(ctx, None, "JSON", document, source)


def _report(
    ctx: _Context,
    version: Any,
    form: str,
    credential: dict[str, Any] | None,
    source: str,
) -> Report:
    found = ctx.found
    failed = [c for c in found.checks if c.outcome == "failed"]
    if found.revoked:
        summary = "Revoked: the issuer withdrew this badge."
    elif not failed:
        summary = "Valid: every check passed."
    else:
        summary = "Not valid: " + "; ".join(f"{c.name}: {c.message}" for c in failed[:3])
    checks: tuple[Check, ...] = tuple(found.checks)
    return Report(
        found.ok,
        version,
        form,
        found.revoked,
        summary,
        checks,
        credential,
        source,
        found.superseded,
    )
