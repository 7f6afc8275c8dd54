"""The documents badges link to, for outside verifiers: no account needed, readable from
any origin. Each route is an entry of `services.credentials.publication.DOCUMENTS`, at its path in
`services.credentials.urls.PATHS`: the tables the badges' URLs are built from and the verifier
reads our documents from."""

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from config import Settings
from models import MAX_ID
from services.credentials import addresses, publication
from services.credentials.urls import PATHS

router = APIRouter(tags=["public badge documents"])


def _route(name: str) -> Callable[[Request, Session, Settings], Response]:
    def serve(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
        # Read at an older address of the service (a badge issued there), the documents name
        # their URLs at that address, as the badge does.
        here = str(request.base_url).rstrip("/")
        base = (
            None
            if here == addresses.current(settings) or here not in addresses.known(session, settings)
            else here
        )
        document = publication.document(
            session, settings, name, request.path_params, base, request.headers.get("accept")
        )
        return Response(
            document.body,
            status_code=document.status,
            media_type=document.media_type,
            # Wallets and verifiers running in a browser fetch these from other origins; a
            # status list's form depends on what is asked for.
            headers={
                "Access-Control-Allow-Origin": "*",
                "Cache-Control": "no-cache",
                "Vary": "Accept",
            },
        )

    return serve


def _parameters(template: str) -> list[dict[str, Any]]:
    """The path's parameters for the OpenAPI schema (the handler reads them from the path)."""
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            if name in publication.INTEGER_PARAMETERS
            else {"type": "string", "pattern": "^[A-Za-z0-9-]+$"},
        }
        for name in re.findall(r"\{(\w+)\}", template)
    ]


# Suffixed paths first: "/credentials/{id}.png" must not be taken for an id "x.png".
for name, handler, summary in sorted(
    publication.DOCUMENTS, key=lambda entry: "." not in PATHS[entry[0]].rsplit("/", 1)[-1]
):
    router.add_api_route(
        PATHS[name],
        _route(name),
        methods=["GET"],
        summary=summary,
        description=(handler.__doc__ or summary).strip(),
        response_class=Response,
        name=handler.__name__,
        openapi_extra={"parameters": _parameters(PATHS[name])},
    )
