"""The FastAPI application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import web
from api.deps import known_query_parameters
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.request_limits import BodyLimit, Limiter
from api.routes import (
    credentials,
    frameworks,
    health,
    missions,
    needs,
    organisations,
    pages,
    public,
    reports,
    skills,
    volunteers,
)
from config import Settings, get_settings
from services.runtime import get_suggester

API_PREFIX = "/api/v1"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Load the model before serving: a missing or broken model stops the start-up with its
    # reason, instead of a service that fails on the first match (settings.preload_model).
    if app.state.settings.preload_model:
        await run_in_threadpool(get_suggester)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app, over the given settings or the process's (`config.get_settings()`, which fails
    here, at start-up, if production secrets are missing)."""
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="probono",
        summary="Pro bono skills matching for associations and tech volunteers, with Open Badges.",
        version="0.1.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below from local assets: the product runs offline
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.verify_limiter = Limiter(settings.verify_rate_limit)
    app.state.sign_up_limiter = Limiter(settings.sign_up_rate_limit)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    # The client's address behind a reverse proxy, from the proxies we are told to trust only
    # (`probono serve` turns uvicorn's own reading off: it trusts any local process).
    if settings.trusted_proxy_list:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    install_error_handlers(app)
    for module in (
        health,
        frameworks,
        organisations,
        needs,
        volunteers,
        skills,
        missions,
        credentials,
        reports,
    ):
        app.include_router(
            module.router,
            prefix=API_PREFIX,
            responses=ERROR_RESPONSES,
            dependencies=[Depends(known_query_parameters)],
        )
    app.include_router(public.router, responses=ERROR_RESPONSES)
    app.include_router(pages.router, responses=ERROR_RESPONSES)
    web.install(app)

    app.mount("/static/swagger-ui", StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="probono API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )

    return app
