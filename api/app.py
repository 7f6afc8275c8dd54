"""The FastAPI application factory."""

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from api.errors import install_error_handlers
from api.routes import frameworks, health, needs, organisations
from config import get_settings

API_PREFIX = "/api/v1"


def create_app() -> FastAPI:
    settings = get_settings()  # fails here, at start-up, if production secrets are missing
    app = FastAPI(
        title="probono",
        summary="Pro bono skills matching for associations and tech volunteers, with Open Badges.",
        version="0.1.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in (health, frameworks, organisations, needs):
        app.include_router(module.router, prefix=API_PREFIX)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
