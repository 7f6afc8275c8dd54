"""The web pages of the product, on the same FastAPI service as the API: server-rendered,
bilingual, usable without JavaScript."""

from fastapi import FastAPI

from api.web import pages
from api.web.routes import (
    accounts,
    admin,
    association,
    call_web,
    conversation_web,
    dashboard,
    missions_web,
    needs_web,
    notifications_web,
    verifier,
    volunteer,
)


def install(app: FastAPI) -> None:
    pages.install(app)
    for module in (
        accounts,
        verifier,
        volunteer,
        association,
        needs_web,
        call_web,  # its paths are longer than missions_web's /{action}
        conversation_web,  # before missions_web, whose /{action} would take /messages
        missions_web,
        dashboard,
        admin,
        notifications_web,
    ):
        app.include_router(module.router)
