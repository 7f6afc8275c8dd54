"""The public verifier page: drop a badge image or paste a URL, JSON or JWT, and read what
was checked in plain words; and each credential's public page."""

import re
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile

from api.deps import SessionDep, settings_of
from api.request_limits import limit_verification
from api.web import i18n, security, words
from api.web.check_details import check_detail
from api.web.deps import ViewerDep
from api.web.i18n import _
from api.web.pages import render
from badges.errors import InvalidBadge
from badges.report import Report
from badges.verify import MAX_INPUT
from models import Credential, queries
from services.credentials import publication, verification
from services.credentials.urls import PATHS, PublicUrls

router = APIRouter(include_in_schema=False)


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _language(tag: object) -> str | None:
    return tag if isinstance(tag, str) and _LANGUAGE_TAG.fullmatch(tag) else None


def _day(moment: object) -> str | None:
    """A badge's date as the page's language writes a day; as it is if it is no date."""
    if moment is None:
        return None
    try:
        return i18n.day(datetime.fromisoformat(str(moment).replace("Z", "+00:00")).date())
    except ValueError:
        return str(moment)


# Revoked, expired or not issued to the address given, a badge still says truly who issued
# it, to whom and for what.
_STILL_AUTHENTIC = frozenset({"status", "validity dates", "recipient"})


def _association_page(report: Report, base: str) -> str | None:
    """Our page of the association a valid badge names (its creator, or its issuer)."""
    credential = report.credential or {}
    issuer = credential.get("issuer")
    achievement = (credential.get("credentialSubject") or {}).get("achievement") or {}
    creator = achievement.get("creator") if isinstance(achievement, dict) else None
    named = [
        place.get(key)
        for place in (creator, issuer)
        if isinstance(place, dict)
        for key in ("id", "url")
    ]
    prefix = f"{base}/organisations/"
    found = [url for url in named if isinstance(url, str) and url.startswith(prefix)]
    return found[0] if report.valid and found else None


def _summary(report: Report, base: str) -> dict[str, Any]:
    """What a person wants first: the verdict, who issued it, to whom, for what."""
    credential = report.credential or {}
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else None
    creator = (achievement.get("creator") or {}).get("name")
    alignments = [
        a.get("targetName") for a in achievement.get("alignment") or [] if isinstance(a, dict)
    ]
    if report.version == "2.0":
        alignments = []
    failed = {c.name for c in report.checks if c.outcome == "failed"}
    if report.revoked:
        verdict = _("This badge has been revoked by its issuer.")
    elif report.valid:
        verdict = _("This badge is valid: every check passed.")
    elif failed == {"recipient"}:
        verdict = _("This badge is genuine, but it was not issued to this email address.")
    elif report.superseded:
        verdict = _(
            "This is an old copy of a genuine badge: its issuer has changed its keys and signed "
            "the badge again since. Ask its holder for the current copy, or check the badge at "
            "its hosted address."
        )
    else:
        verdict = _("This badge could not be verified.")
    return {
        "verdict": verdict,
        # Any failed check but those leaves its claims untrusted, shown apart as such; an old
        # OB 2.0 copy whose signature holds with its issuer's former key is genuine.
        "authentic": report.superseded
        or all(c.outcome != "failed" or c.name in _STILL_AUTHENTIC for c in report.checks),
        "issuer": issuer_name,
        "on_behalf_of": creator,
        "name": achievement.get("name") or credential.get("name"),
        "association_page": _association_page(report, base),
        "form": words.badge_form(report.form, report.source),
        # The claims are in the badge's language (OB 3.0 inLanguage), not the page's.
        "language": _language(achievement.get("inLanguage")),
        "alignments": [a for a in alignments if a],
        "valid_from": _day(credential.get("validFrom") or credential.get("issuedOn")),
        "checks": [
            {
                "name": words.check_name(c.name),
                "outcome": c.outcome,
                "outcome_text": words.outcome(c.outcome),
                "detail": check_detail(c),
            }
            for c in report.checks
        ],
    }


@router.get(PATHS["verify_page"])
def verify_page(request: Request, viewer: ViewerDep) -> HTMLResponse:
    return render(request, "verify.html", viewer, {"values": {}, "errors": {}, "report": None})


@router.post(PATHS["verify_page"], dependencies=[Depends(limit_verification)])
async def verify(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    data = await request.form(max_part_size=MAX_INPUT)
    security.check_csrf(request, settings_of(request), str(data.get("csrf") or ""))
    text = str(data.get("badge") or "").strip()
    email = str(data.get("email") or "").strip() or None
    upload = data.get("file")
    errors: dict[str, str] = {}
    content: bytes | str = text
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(MAX_INPUT + 1)
        if len(content) > MAX_INPUT:
            errors["file"] = _("The file is too large (at most 2 MB).")
        elif not content:
            errors["file"] = _("The file is empty.")
    elif not text:
        errors["badge"] = _("Choose a badge file, or paste a URL, JSON or JWT.")
    values = {"badge": text, "email": email or ""}
    report = None
    if not errors:
        try:
            report = verification.verify_badge(session, settings_of(request), content, email=email)
        except InvalidBadge:
            errors["file" if isinstance(content, bytes) else "badge"] = _(
                "This is not a badge: its JSON is nested far deeper than any badge's."
            )
    if report is None:
        return render(
            request,
            "verify.html",
            viewer,
            {"values": values, "errors": errors, "report": None},
            status=422,
        )
    return render(
        request,
        "verify.html",
        viewer,
        {
            "values": values,
            "errors": {},
            "report": report,
            "summary": _summary(report, settings_of(request).public_base_url),
        },
    )


def ob2_signed_again(session: Session, credential: Credential) -> datetime | None:
    """When the credential's signed OB 2.0 copy was signed again, with a key its issuer made
    after issuing it; None while it still carries its first signature. OB 2.0 verifiers read
    only the issuer's one current key, so a rotation signs every copy again (same id), and a
    copy downloaded before then no longer verifies in their tools."""
    key = queries.credentials.get_key(session, credential.ob2_signing_key_id)
    return key.created_at if key.created_at > credential.issued_at else None


def _endorsement(session: Session, base: str, credential_id: str) -> dict[str, Any] | None:
    """Who vouches for the credential, when, in their words, and its two forms."""
    found = queries.credentials.endorsement_of(session, credential_id)
    if found is None:
        return None
    urls = PublicUrls.of(base)
    return {
        "by": queries.credentials.get_issuer(session, found.issuer_id).name,
        "on": found.created_at,
        "comment": found.comment,
        "json": urls.endorsement(found.id, ".json"),
        "jwt": urls.endorsement(found.id, ".jwt"),
    }


@router.get(PATHS["credential_page"])
def credential_page(
    credential_id: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """A credential's public page: what it says, its state, and how to check it."""
    settings = settings_of(request)
    credential = queries.credentials.get_credential(session, credential_id)
    report = verification.verify_badge(session, settings, credential.ob3_jwt)
    links = publication.credential_links(settings, credential)
    return render(
        request,
        "credential.html",
        viewer,
        {
            "credential": credential,
            "summary": _summary(report, settings.public_base_url),
            "report": report,
            "links": links,
            "endorsement": _endorsement(session, settings.public_base_url, credential.id),
            "ob2_signed_again": ob2_signed_again(session, credential),
        },
    )
