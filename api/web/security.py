"""Who is looking at a page, and the protections of every form.

- The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure when the service is
  served over HTTPS); `services.people.accounts` keeps only its hash.
- Every form carries a CSRF token: an HMAC, with the service's secret key, of a random value the
  browser holds in its own cookie. A form posted from another site has neither.
- Messages shown after a redirect travel in a signed cookie.
"""

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from fastapi import Request, Response
from sqlmodel import Session

from config import Environment, Settings
from errors import ProbonoError
from models import Account, queries
from services.actors import Actor, actor_of
from services.notifications import calls
from services.people import accounts

SESSION_COOKIE = "probono_session"
CSRF_COOKIE = "probono_csrf"
LANG_COOKIE = "lang"
FLASH_COOKIE = "probono_flash"


class WebError(ProbonoError):
    """Base of the errors of the web pages' own flow (answered by api/web/pages.py)."""


class FormExpired(WebError):
    """A form without a valid CSRF token: sent from elsewhere, or kept open too long."""


class SignInNeeded(WebError):
    """A page for signed-in people, opened by someone who is not."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def secure(settings: Settings) -> bool:
    """Cookies go over HTTPS only when the service is served over it, and always in
    production (which must be)."""
    return settings.public_base_url.startswith("https://") or (
        settings.env is Environment.PRODUCTION
    )


def _key(settings: Settings) -> bytes:
    return settings.secret("secret_key").get_secret_value().encode("utf-8")


def csrf_nonce(request: Request) -> str:
    """The browser's CSRF value: its cookie, or a new one the response will set."""
    found = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_nonce", None)
    if not found:
        found = secrets.token_urlsafe(24)
        request.state.csrf_nonce = found
    return str(found)


def csrf_token(request: Request, settings: Settings) -> str:
    digest = hmac.new(_key(settings), b"csrf:" + csrf_nonce(request).encode(), hashlib.sha256)
    return digest.hexdigest()


def check_csrf(request: Request, settings: Settings, sent: str | None) -> None:
    """Raises:
    FormExpired: the token is missing or is not this browser's."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or not sent or not hmac.compare_digest(sent, csrf_token(request, settings)):
        raise FormExpired()


def set_cookies(request: Request, response: Response, settings: Settings) -> None:
    """The CSRF cookie when the browser has none yet (set on any page it opens)."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and not request.cookies.get(CSRF_COOKIE):
        _csrf_cookie(response, settings, nonce)


def _csrf_cookie(response: Response, settings: Settings, nonce: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=secure(settings), path="/"
    )


def set_language(response: Response, settings: Settings, code: str) -> None:
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=365 * 86_400,
        httponly=True,
        samesite="lax",
        secure=secure(settings),
        path="/",
    )


def start_session(response: Response, settings: Settings, token: str) -> None:
    """Also gives the browser a new CSRF value: a token seen before signing in (on a shared
    computer, in a page's source) is worth nothing after."""
    _csrf_cookie(response, settings, secrets.token_urlsafe(24))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=accounts.SESSION_DAYS * 86_400,
        httponly=True,
        samesite="lax",
        secure=secure(settings),
        path="/",
    )


def end_session(response: Response, settings: Settings) -> None:
    _csrf_cookie(response, settings, secrets.token_urlsafe(24))
    response.delete_cookie(SESSION_COOKIE, path="/")


@dataclass(frozen=True)
class Viewer:
    """The person looking at a page (nobody, when `account` is None)."""

    account: Account | None
    actor: Actor | None
    organisations: tuple[tuple[str, str], ...] = ()  # (slug, name) of the associations
    unread: int = 0  # notifications not seen yet (the menu shows how many)
    zone: str = "Europe/Paris"  # the time zone the person reads times in

    @property
    def signed_in(self) -> bool:
        return self.account is not None


def viewer_of(request: Request, session: Session) -> Viewer:
    account = accounts.account_of_session(session, request.cookies.get(SESSION_COOKIE))
    if account is None:
        return Viewer(None, None)
    actor = actor_of(session, account)
    found = queries.credentials.organisations_by_id(session, sorted(actor.associations))
    return Viewer(
        account,
        actor,
        tuple((o.slug, o.name) for o in found.values()),
        queries.notifications.unread_count(session, actor.account_id),
        calls.zone_of(session, account),
    )


def own_space(session: Session, actor: Actor) -> str:
    """Where a person lands after signing in: their association's space, the programmes they
    manage, their own page as a volunteer, the admin's page; otherwise their page to begin."""
    if actor.associations:
        first = min(actor.associations)
        return f"/org/{queries.credentials.organisations_by_id(session, [first])[first].slug}"
    if actor.managed:
        return "/programmes"
    if actor.profile_id is None and actor.is_admin:
        return "/admin/associations"
    return "/me"


def require(viewer: Viewer, request: Request) -> Actor:
    """The signed-in actor, or a redirect to the sign-in page that comes back here."""
    if viewer.actor is None:
        raise SignInNeeded(request.url.path)
    return viewer.actor


def _sign(settings: Settings, payload: str) -> str:
    mac = hmac.new(_key(settings), b"flash:" + payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}.{mac}"


def flash(response: Response, settings: Settings, kind: str, message: str) -> None:
    """A message for the next page the browser opens (after a redirect)."""
    payload = base64.urlsafe_b64encode(json.dumps([kind, message]).encode()).decode()
    response.set_cookie(
        FLASH_COOKIE,
        _sign(settings, payload),
        httponly=True,
        samesite="lax",
        secure=secure(settings),
        path="/",
        max_age=120,
    )


def flashed(request: Request, settings: Settings) -> tuple[str, str] | None:
    value = request.cookies.get(FLASH_COOKIE)
    if not value or "." not in value:
        return None
    payload = value.rpartition(".")[0]
    if not hmac.compare_digest(_sign(settings, payload), value):
        return None
    try:
        kind, message = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except (ValueError, TypeError):
        return None
    return str(kind), str(message)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# Every response: no sniffing, no framing, no referrer sent elsewhere.
_EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Pages: scripts, styles and forms from here only.
_PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
# API answers are data, never rendered: nothing may load from them (OWASP REST advice).
_DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"


def security_headers(path: str, settings: Settings) -> dict[str, str]:
    """The security headers of a response to `path`; HSTS when the service is served over
    HTTPS (its public URL says so)."""
    headers = dict(_EVERY_RESPONSE)
    if path.startswith("/api/"):
        headers["Content-Security-Policy"] = _DATA_POLICY
    elif not path.startswith("/docs"):  # Swagger UI sets up its page with an inline script
        headers["Content-Security-Policy"] = _PAGE_POLICY
    if settings.public_base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers
