"""Every route of the app, read from its router, and how to call each one as each person."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.web.security import CSRF_COOKIE, SESSION_COOKIE
from tests.security.world import World

ANY_MISSION_ACTION = "decline"  # /me/missions/{id}/{action}: one the workflow knows


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    web: bool  # a page or form (not in the OpenAPI schema)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def routes(app: FastAPI) -> list[Route]:
    """Every route the app serves (the documentation pages and static files aside)."""
    found: list[Route] = []
    for included in app.routes:
        contexts: Iterator[Any] = getattr(included, "effective_route_contexts", lambda: iter(()))()
        for context in contexts:
            for method in sorted(context.methods or ()):
                found.append(Route(method, context.path, not context.include_in_schema))
    return sorted(set(found), key=lambda r: (r.path, r.method))


# Path parameters whose value depends on the route.
_SPECIAL = {
    "/programme/{slug}": {"slug": "p1"},
    "/api/v1/reports/programmes/{slug}": {"slug": "p1"},
    "/api/v1/reports/companies/{slug}/costs": {"slug": "p1-company"},
    "/programme/{slug}/chart/{name}.png": {"slug": "p1", "name": "hours"},
    "/programme/{slug}/export.{fmt}": {"slug": "p1", "fmt": "csv"},
    "/language/{code}": {"code": "en"},
}


def url(route: Route, world: World) -> str:
    values = world.values | {"action": ANY_MISSION_ACTION}
    for prefix, special in _SPECIAL.items():
        if route.path == prefix or route.path.startswith(prefix + "/"):
            values = values | special
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.path)


def _json_body(route: Route, world: World) -> dict[str, Any] | None:
    bodies: dict[str, dict[str, Any]] = {
        "POST /api/v1/skills/suggest": {"text": "I build websites"},
        "POST /api/v1/missions": {"need_id": int(world.values["need_id"])},
        "POST /api/v1/missions/{mission_id}/decline": {"reason": "other", "note": "x"},
        "POST /api/v1/missions/{mission_id}/cancel": {"reason": "other", "note": "x"},
        "POST /api/v1/missions/{mission_id}/hours": {"work_date": "2026-01-05", "hours": 2},
        "POST /api/v1/missions/{mission_id}/complete": {"assessments": []},
        "POST /api/v1/missions/{mission_id}/call/slots": {
            "slots": [{"starts_at": "2030-01-07T14:00", "timezone": "Europe/Paris"}]
        },
        "POST /api/v1/missions/{mission_id}/call/choice": {"slot_id": 1},
        "POST /api/v1/missions/{mission_id}/messages": {"body": "When can we call?"},
        "POST /api/v1/credentials/{credential_id}/revoke": {"reason": "a test"},
        "POST /api/v1/credentials/{credential_id}/endorse": {"comment": "Thank you"},
        "POST /api/v1/verify": {"badge": "not a badge"},
    }
    return bodies.get(route.key)


@dataclass(frozen=True)
class Csrf:
    nonce: str  # the cookie
    token: str  # the form field


def csrf_of(client: TestClient) -> Csrf:
    client.cookies.clear()
    page = client.get("/signin")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    nonce = client.cookies.get(CSRF_COOKIE)
    assert found is not None
    assert nonce is not None
    return Csrf(nonce, found.group(1))


def call(client: TestClient, route: Route, world: World, role: str, csrf: Csrf) -> Any:
    """The route called as this person: a bearer token for the API, the session cookie
    (and the form's CSRF token) for pages."""
    headers: dict[str, str] = {}
    client.cookies.clear()
    if role in world.tokens and not route.web:
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    if role in world.cookies:
        client.cookies.set(SESSION_COOKIE, world.cookies[role])
    kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
    if route.method in ("POST", "PUT") and route.web:
        client.cookies.set(CSRF_COOKIE, csrf.nonce)
        kwargs["data"] = {"csrf": csrf.token}
    elif route.key == "POST /api/v1/verify/upload":
        kwargs["files"] = {"file": ("badge.txt", b"not a badge", "text/plain")}
    elif route.key == "PUT /api/v1/reports/companies/{slug}/costs":
        kwargs["content"] = "kind,year,annual_cost\nturnover,2026,1000\n"
        headers["Content-Type"] = "text/csv"
    elif (body := _json_body(route, world)) is not None:
        kwargs["json"] = body
    return client.request(route.method, url(route, world), **kwargs)
