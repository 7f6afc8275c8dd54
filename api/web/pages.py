"""Rendering pages: one Jinja2 environment with the catalogues, the viewer, the CSRF token and
the flashed message in every page; the middleware that sets each request's language and the
cookies and security headers of every page."""

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.deps import settings_of
from api.web import i18n, security, words
from api.web.security import Viewer
from config import Settings

HERE = Path(__file__).resolve().parent
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=jinja2.select_autoescape(default=True),
    extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
)
_env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=i18n._, ngettext=i18n.ngettext, newstyle=True
)
templates = Jinja2Templates(env=_env)
templates.env.globals.update(
    day=i18n.day,
    number=i18n.number,
    cell=i18n.cell,
    money=i18n.money_text,
    work_mode_name=words.work_mode,
    language_name=i18n.language_name,
    LOCALES=i18n.LOCALES,
)
templates.env.filters["language_name"] = i18n.language_name
templates.env.policies["ext.i18n.trimmed"] = True


def render(
    request: Request,
    name: str,
    viewer: Viewer,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    settings: Settings = settings_of(request)
    values = {
        "viewer": viewer,
        "locale": i18n.current.get(),
        "csrf": security.csrf_token(request, settings),
        "flash": security.flashed(request, settings),
        "path": request.url.path,
        **(context or {}),
    }
    zone = i18n.reader_zone.set(viewer.zone)  # the template is written out here, at once
    try:
        response: HTMLResponse = templates.TemplateResponse(
            request, name, values, status_code=status
        )
    finally:
        i18n.reader_zone.reset(zone)
    if values["flash"] is not None:
        response.delete_cookie(security.FLASH_COOKIE, path="/")
    return response


def redirect(request: Request, to: str, message: tuple[str, str] | None = None) -> RedirectResponse:
    """After a form: see-other to the next page, with a message for it."""
    response = RedirectResponse(to, status_code=303)
    if message is not None:
        security.flash(response, settings_of(request), *message)
    return response


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api/", "/static/", "/docs"))


def install(app: FastAPI) -> None:
    app.mount("/static/web", StaticFiles(directory=HERE / "static"), name="web-static")

    @app.middleware("http")
    async def pages_middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        chosen = request.query_params.get("lang") or request.cookies.get(security.LANG_COOKIE)
        accept = request.headers.get("accept-language")
        language = i18n.negotiate(chosen, accept)
        token = i18n.current.set(language)
        region_token = i18n.region.set(i18n.region_of(language, accept))
        try:
            response = await call_next(request)
        finally:
            i18n.region.reset(region_token)
            i18n.current.reset(token)
        settings = settings_of(request)
        if _is_page(request):
            security.set_cookies(request, response, settings)
        for header, value in security.security_headers(request.url.path, settings).items():
            response.headers.setdefault(header, value)
        return response

    @app.exception_handler(security.SignInNeeded)
    async def sign_in_first(request: Request, exc: security.SignInNeeded) -> Response:
        return RedirectResponse(f"/signin?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(security.FormExpired)
    async def form_expired(request: Request, exc: security.FormExpired) -> Response:
        return error_page(
            request,
            400,
            i18n._(
                "This form has expired or was sent from another site. Go back, reload the "
                "page and send it again."
            ),
        )


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page, for people (the API answers JSON)."""
    viewer = getattr(request.state, "viewer", None) or Viewer(None, None)
    return render(
        request, "error.html", viewer, {"status": status, "message": message}, status=status
    )


def wants_html(request: Request) -> bool:
    return _is_page(request) and "text/html" in request.headers.get("accept", "text/html")
