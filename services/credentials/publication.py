"""The public documents of badges — what any outside verifier fetches: key sets and keys,
issuer profiles, status and revocation lists, the credential in each of its forms, hosted OB
2.0 assertions, badge classes, achievements, mission evidence and endorsements.

One table (`DOCUMENTS`) names each document's path and how it is made. The API serves every
entry at its path; the verifier's local resolver reads the same entries without HTTP, so a
badge of ours verifies identically with or without a network.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from badges import baking, did, keys, ob2, ob3, signing, status, wording
from badges.record import iso
from config import Settings
from models import (
    MAX_ID,
    Credential,
    KeyAlgorithm,
    KeyStatus,
    MissionStatus,
    NotFound,
    queries,
    utcnow,
)
from services.credentials import addresses, issuers
from services.credentials.issuance import ob2_signed_id
from services.credentials.urls import PATHS, PublicUrls

LD_JSON = "application/ld+json"
JSON = "application/json"
# The media types the W3C specifications name (registered with IANA): a credential secured
# with an embedded proof, one secured as a JWT (VC-JOSE-COSE), a JWS of OB 2.0 (RFC 7515).
VC = "application/vc"
VC_JWT = "application/vc+jwt"
JOSE = "application/jose"
DID_DOCUMENT = "application/did+ld+json"


@dataclass(frozen=True)
class Document:
    status: int
    media_type: str
    body: bytes

    @classmethod
    def of_json(cls, value: Any, media_type: str = LD_JSON, status: int = 200) -> "Document":
        text = json.dumps(value, ensure_ascii=False, indent=2)
        return cls(status, media_type, text.encode("utf-8"))


@dataclass(frozen=True)
class Context:
    session: Session
    settings: Settings
    base: str  # the address the document is read at: the documents name their URLs there
    accept: str | None = None  # the reader's Accept header (status lists come in two forms)

    @property
    def urls(self) -> PublicUrls:
        return PublicUrls.of(self.base)


Handler = Callable[..., Document]


# --- issuers and keys ---------------------------------------------------------------------


def jwks(ctx: Context) -> Document:
    found = [
        issuers.public_jwk(k, ctx.urls) for k in queries.credentials.published_keys(ctx.session)
    ]
    return Document.of_json({"keys": found}, "application/jwk-set+json")


def _key(ctx: Context, key_uuid: str) -> Any:
    kids = [
        PublicUrls.of(base).key(key_uuid) for base in addresses.known(ctx.session, ctx.settings)
    ]
    key = queries.credentials.find_key_at(ctx.session, kids)
    if key is None:
        raise NotFound(f"no key {key_uuid}")
    return key


def jwk(ctx: Context, key_uuid: str) -> Document:
    """One public key as a bare JWK: OB 3.0 verifiers GET the `kid` and expect exactly this."""
    return Document.of_json(
        issuers.public_jwk(_key(ctx, key_uuid), ctx.urls), "application/jwk+json"
    )


def issuer_profile(ctx: Context, issuer_id: int) -> Document:
    issuer = queries.credentials.get_issuer(ctx.session, issuer_id)
    found = ob3.profile(issuers.profile(issuer, ctx.urls, ctx.settings))
    return Document.of_json({"@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT], **found})


def did_document(ctx: Context, issuer_id: int) -> Document:
    """The issuer's DID document: every key it ever signed with, as its verification methods."""
    queries.credentials.get_issuer(ctx.session, issuer_id)
    stored = queries.credentials.keys_of(ctx.session, issuer_id)
    # The key that signs status lists first: some verifiers check a list with the first key.
    current = KeyAlgorithm(ctx.settings.badge_algorithm)
    stored.sort(key=lambda k: k.algorithm is not current or k.status is not KeyStatus.ACTIVE)
    methods = issuers.did_methods(stored, ctx.urls)
    return Document.of_json(
        did.document(
            ctx.urls.issuer_did(issuer_id),
            methods,
            also_known_as=[ctx.urls.issuer(issuer_id), ctx.urls.ob2_issuer(issuer_id)],
        ),
        DID_DOCUMENT,
    )


def ob2_issuer(ctx: Context, issuer_id: int) -> Document:
    issuer = queries.credentials.get_issuer(ctx.session, issuer_id)
    key = queries.credentials.active_key(ctx.session, issuer_id, KeyAlgorithm.RS256)
    return Document.of_json(
        ob2.issuer_profile(
            issuers.profile(issuer, ctx.urls, ctx.settings),
            key_url=None if key is None else ctx.urls.ob2_key(issuers.key_uuid(key)),
            revocation_list_url=ctx.urls.ob2_revocation_list(issuer_id),
        )
    )


def ob2_key(ctx: Context, key_uuid: str) -> Document:
    key = _key(ctx, key_uuid)
    return Document.of_json(
        ob2.cryptographic_key(
            key_url=ctx.urls.ob2_key(key_uuid),
            owner=ctx.urls.ob2_issuer(key.issuer_id),
            public_key_pem=keys.public_pem(key.public_jwk),
        )
    )


def ob2_revocations(ctx: Context, issuer_id: int) -> Document:
    queries.credentials.get_issuer(ctx.session, issuer_id)
    revoked = [
        (ob2_signed_id(c.id), c.revocation_reason or "")
        for c in queries.credentials.revoked(ctx.session, issuer_id)
    ]
    return Document.of_json(
        ob2.revocation_list(
            list_id=ctx.urls.ob2_revocation_list(issuer_id),
            issuer_id=ctx.urls.ob2_issuer(issuer_id),
            revoked=revoked,
        )
    )


def status_list(ctx: Context, issuer_id: int, number: int) -> Document:
    """The issuer's Bitstring Status List credential: with its embedded proof (Data
    Integrity verifiers ask for JSON), or as a VC-JWT (asked for, or when nothing is asked:
    JOSE verifiers send no Accept). Either is signed now by the issuer's current key, which
    its DID document lists first: verifiers that check a list with the issuer's first key
    (openbadgeslib) and those that follow the proof's own key (DCC, ours) both accept it,
    for credentials signed before a rotation as after."""
    issuer = queries.credentials.get_issuer(ctx.session, issuer_id)
    if number < 1 or number > issuer.status_list:
        raise NotFound(f"issuer {issuer_id} has no status list {number}")
    encoded = status.encode(queries.credentials.revoked_indexes(ctx.session, issuer_id, number))
    document = ob3.status_list(
        list_id=ctx.urls.status_list(issuer_id, number),
        issuer=issuers.profile(issuer, ctx.urls, ctx.settings),
        encoded=encoded,
        valid_from=iso(issuer.created_at),
    )
    if wants_json(ctx.accept):
        proof_key = issuers.signing_key(ctx.session, ctx.settings, issuer, KeyAlgorithm.EDDSA)
        proved = issuers.prove(document, ctx.settings, ctx.urls, proof_key)
        return Document.of_json(proved, VC)
    jwt_key = issuers.signing_key(
        ctx.session, ctx.settings, issuer, KeyAlgorithm(ctx.settings.badge_algorithm)
    )
    token = signing.sign_credential(document, issuers.private_key(ctx.settings, jwt_key, ctx.urls))
    return Document(200, VC_JWT, token.encode("ascii"))


def wants_json(accept: str | None) -> bool:
    """Whether an Accept header prefers a JSON form to a JWT (none given: the JWT)."""
    if not accept:
        return False
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            ranked.append((-float(quality), position, media.lower()))
        except ValueError:
            continue
    for _, _, media in sorted(ranked):
        if "jwt" in media or media == "text/plain":
            return False
        if "json" in media or media == VC:
            return True
    return False


# --- one credential ---------------------------------------------------------------------


def _credential(ctx: Context, credential_id: str) -> Credential:
    return queries.credentials.get_credential(ctx.session, credential_id)


def credential_json(ctx: Context, credential_id: str) -> dict[str, Any]:
    """The OB 3.0 credential as signed (without the JWT's registered claims)."""
    payload = signing.unverified_payload(_credential(ctx, credential_id).ob3_jwt)
    return _without_claims(payload)


def _without_claims(payload: dict[str, Any]) -> dict[str, Any]:
    """A VC-JWT's credential, as its embedded proof signed it."""
    return {k: v for k, v in payload.items() if k not in signing.REGISTERED_CLAIMS}


def credential_jwt(ctx: Context, credential_id: str) -> Document:
    return Document(200, VC_JWT, _credential(ctx, credential_id).ob3_jwt.encode("ascii"))


def credential_document(ctx: Context, credential_id: str) -> Document:
    return Document.of_json(credential_json(ctx, credential_id), VC)


def _titles(ctx: Context, credential: Credential) -> tuple[str, str]:
    payload = signing.unverified_payload(credential.ob3_jwt)
    achievement = payload["credentialSubject"]["achievement"]
    creator = achievement.get("creator", {}).get("name") or payload["issuer"]["name"]
    return wording.mission_title(str(achievement["name"])), str(creator)


def image(ctx: Context, credential_id: str) -> Document:
    title, subtitle = _titles(ctx, _credential(ctx, credential_id))
    return Document(200, "image/png", baking.render_png(title, subtitle))


def credential_png(ctx: Context, credential_id: str) -> Document:
    credential = _credential(ctx, credential_id)
    title, subtitle = _titles(ctx, credential)
    baked = baking.bake_png(
        baking.render_png(title, subtitle), "openbadgecredential", credential.ob3_jwt
    )
    return Document(200, "image/png", baked)


def credential_svg(ctx: Context, credential_id: str) -> Document:
    credential = _credential(ctx, credential_id)
    title, subtitle = _titles(ctx, credential)
    baked = baking.bake_svg(baking.render_svg(title, subtitle), "3.0", verify=credential.ob3_jwt)
    return Document(200, "image/svg+xml", baked.encode("utf-8"))


def achievement(ctx: Context, credential_id: str) -> Document:
    payload = signing.unverified_payload(_credential(ctx, credential_id).ob3_jwt)
    found = payload["credentialSubject"]["achievement"]
    return Document.of_json({"@context": [ob3.VC_CONTEXT, ob3.OB3_CONTEXT], **found})


def ob2_badge_class(ctx: Context, credential_id: str) -> Document:
    return Document.of_json(_credential(ctx, credential_id).ob2_badge_class)


def ob2_assertion(ctx: Context, credential_id: str) -> Document:
    """The hosted assertion; once revoked, HTTP 410 with `revoked: true` and the reason."""
    credential = _credential(ctx, credential_id)
    if credential.revoked_at is not None:
        body = ob2.revoked(
            ctx.urls.ob2_assertion(credential_id), credential.revocation_reason or ""
        )
        return Document.of_json(body, status=410)
    return Document.of_json(credential.ob2_assertion)


def ob2_jws(ctx: Context, credential_id: str) -> Document:
    return Document(200, JOSE, _credential(ctx, credential_id).ob2_jws.encode("ascii"))


def ob2_png(ctx: Context, credential_id: str) -> Document:
    credential = _credential(ctx, credential_id)
    title, subtitle = _titles(ctx, credential)
    text = json.dumps(credential.ob2_assertion, ensure_ascii=False)
    return Document(
        200, "image/png", baking.bake_png(baking.render_png(title, subtitle), "openbadges", text)
    )


def ob2_svg(ctx: Context, credential_id: str) -> Document:
    credential = _credential(ctx, credential_id)
    title, subtitle = _titles(ctx, credential)
    baked = baking.bake_svg(
        baking.render_svg(title, subtitle),
        "2.0",
        verify=ctx.urls.ob2_assertion(credential_id),
        body=json.dumps(credential.ob2_assertion, ensure_ascii=False),
    )
    return Document(200, "image/svg+xml", baked.encode("utf-8"))


def endorsement(ctx: Context, endorsement_id: str) -> Document:
    found = queries.credentials.get_endorsement(ctx.session, endorsement_id)
    return Document(200, VC_JWT, found.jwt.encode("ascii"))


def endorsement_json(ctx: Context, endorsement_id: str) -> Document:
    found = queries.credentials.get_endorsement(ctx.session, endorsement_id)
    return Document.of_json(_without_claims(signing.unverified_payload(found.jwt)), VC)


def mission_evidence(ctx: Context, mission_id: int) -> Document:
    """What a verifier may see of a completed mission: no personal data, only the work."""
    mission = queries.missions.get_mission(ctx.session, mission_id)
    if mission.status is not MissionStatus.COMPLETED:
        raise NotFound(f"no completed mission {mission_id}")
    need = queries.profiles.get_need(ctx.session, mission.need_id)
    association = queries.credentials.organisations_by_id(ctx.session, [need.organisation_id])
    return Document.of_json(
        {
            "id": ctx.urls.mission(mission_id),
            "type": "ProBonoMission",
            "title": need.title,
            "association": association[need.organisation_id].name,
            "deliverable": need.deliverable,
            "approvedHours": str(queries.missions.approved_hours(ctx.session, mission_id)),
            "completed": iso(mission.completed_at or utcnow()),
        },
        JSON,
    )


# Every public document: (its path's name in `PATHS`, handler, summary). Parameters are typed
# by name.
DOCUMENTS: list[tuple[str, Handler, str]] = [
    ("jwks", jwks, "Every issuer's public keys, active and retired"),
    ("key", jwk, "One public key (the kid of VC-JWTs), as a bare JWK"),
    ("issuer", issuer_profile, "An issuer's OB 3.0 profile"),
    ("did_document", did_document, "An issuer's DID document (did:web): its keys"),
    ("status_list", status_list, "An issuer's Bitstring Status List (VC-JWT)"),
    ("credential_jwt", credential_jwt, "A credential as an OB 3.0 VC-JWT"),
    ("credential_json", credential_document, "A credential's OB 3.0 JSON"),
    ("credential_png", credential_png, "A credential baked into a PNG"),
    ("credential_svg", credential_svg, "A credential baked into an SVG"),
    ("image", image, "A credential's badge image"),
    ("achievement", achievement, "The achievement a credential awards"),
    ("mission", mission_evidence, "A completed mission, as evidence"),
    ("endorsement", endorsement, "An EndorsementCredential (VC-JWT)"),
    ("endorsement_json", endorsement_json, "An EndorsementCredential with its proof (JSON)"),
    ("ob2_issuer", ob2_issuer, "An issuer's OB 2.0 profile"),
    ("ob2_revocation_list", ob2_revocations, "An issuer's OB 2.0 revocations"),
    ("ob2_key", ob2_key, "An issuer's key as an OB 2.0 CryptographicKey"),
    ("ob2_badge_class", ob2_badge_class, "The OB 2.0 BadgeClass of a credential"),
    ("ob2_assertion", ob2_assertion, "A hosted OB 2.0 assertion (410 once revoked)"),
    ("ob2_jws", ob2_jws, "A signed OB 2.0 assertion (JWS)"),
    ("ob2_png", ob2_png, "An OB 2.0 assertion baked into a PNG"),
    ("ob2_svg", ob2_svg, "An OB 2.0 assertion baked into an SVG"),
]
_HANDLERS = {name: handler for name, handler, _ in DOCUMENTS}

INTEGER_PARAMETERS = {"issuer_id", "number", "mission_id"}
_PATTERN = re.compile(r"\{(\w+)\}")
_TOKEN = re.compile(r"[A-Za-z0-9-]+")  # every other parameter: a UUID


def _matcher(template: str) -> re.Pattern[str]:
    parts = _PATTERN.split(template)
    regex = "".join(
        re.escape(p)
        if i % 2 == 0
        else (rf"(?P<{p}>[0-9]+)" if p in INTEGER_PARAMETERS else rf"(?P<{p}>{_TOKEN.pattern})")
        for i, p in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


# For the verifier, which reads our documents by URL without HTTP; the API's router matches
# the same paths itself and calls `document`.
_MATCHERS = [(_matcher(PATHS[name]), name) for name, _, _ in DOCUMENTS]


def serve(
    session: Session,
    settings: Settings,
    path: str,
    base: str | None = None,
    accept: str | None = None,
) -> Document:
    """The document at one of our paths (404 as a document when there is none), as read at
    `base`, one of the service's addresses (services.credentials.addresses; the current one
    when None)."""
    for matcher, name in _MATCHERS:
        match = matcher.match(path.split("?", 1)[0])
        if match is not None:
            return document(session, settings, name, match.groupdict(), base, accept)
    return Document.of_json(_not_found(f"nothing is published at {path}"), JSON, status=404)


def document(
    session: Session,
    settings: Settings,
    name: str,
    parameters: dict[str, str],
    base: str | None = None,
    accept: str | None = None,
) -> Document:
    """The document `name` of `DOCUMENTS` with its path's parameters (404 as a document when
    there is none), as read at `base` (the current address when None)."""
    ctx = Context(session, settings, base or settings.public_base_url, accept)
    try:
        arguments = {
            k: _integer(k, v) if k in INTEGER_PARAMETERS else _token(k, v)
            for k, v in parameters.items()
        }
        return _HANDLERS[name](ctx, **arguments)
    except NotFound as exc:
        return Document.of_json(_not_found(str(exc)), JSON, status=404)


def _token(key: str, value: str) -> str:
    if _TOKEN.fullmatch(value) is None:
        raise NotFound(f"nothing is published for {key} {value!r}")  # ids are UUIDs
    return value


def _integer(key: str, value: str) -> int:
    number = int(value) if value.isdigit() else 0
    if not 0 < number <= MAX_ID:
        raise NotFound(f"nothing is published for {key} {value}")  # no such id can exist
    return number


def _not_found(detail: str) -> dict[str, str]:
    return {"code": "not_found", "detail": detail}  # the API's error shape (api/errors.py)


def credential_links(settings: Settings, credential: Credential) -> dict[str, str]:
    """Where each form of a credential can be downloaded."""
    urls = PublicUrls.of(settings.public_base_url)
    cid = credential.id
    return {
        "ob3_jwt": urls.credential(cid, ".jwt"),
        "ob3_json": urls.credential(cid, ".json"),
        "ob3_png": urls.credential(cid, ".png"),
        "ob3_svg": urls.credential(cid, ".svg"),
        "ob2_hosted": urls.ob2_assertion(cid),
        "ob2_jws": urls.ob2_assertion(cid, ".jws"),
        "ob2_png": urls.ob2_assertion(cid, ".png"),
        "ob2_svg": urls.ob2_assertion(cid, ".svg"),
        "status_list": urls.status_list(credential.issuer_id, credential.status_list),
        "issuer": urls.issuer(credential.issuer_id),
        "mission": urls.mission(credential.mission_id),
        "image": urls.image(cid),
    }
