"""The authorization matrix: every route of the app, read from its router, called as each kind
of person, against the policy tables of docs/authorization.md; every answer also carries the
security headers (docs/security.md)."""

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from config import REPOSITORY, Settings
from tests.security import calls, world

POLICY = REPOSITORY / "docs" / "authorization.md"
_ROW = re.compile(r"^\| `(?P<method>[A-Z]+) (?P<path>[^`]+)` \|(?P<cells>.*)\|$")
# Refusals: no token (API), not found (private), forbidden (public thing, or the wrong party).
REFUSED = {401, 403, 404}


def policy() -> dict[str, list[bool]]:
    """Route ("GET /path") → allowed for each of world.ROLES, as the document says."""
    found: dict[str, list[bool]] = {}
    for line in POLICY.read_text(encoding="utf-8").splitlines():
        if match := _ROW.match(line.strip()):
            cells = [c.strip() for c in match["cells"].split("|")]
            assert len(cells) == len(world.ROLES), line
            assert set(cells) <= {"✓", "—"}, line
            found[f"{match['method']} {match['path']}"] = [c == "✓" for c in cells]
    return found


def refused(response: object, route: calls.Route) -> bool:
    status = getattr(response, "status_code", 0)
    location = getattr(response, "headers", {}).get("location", "")
    if route.web and status == 303 and location.startswith("/signin"):
        return True
    return status in REFUSED


def _missing_headers(route: calls.Route, headers: Any) -> list[str]:
    """The security headers every answer carries, whoever asks and whatever the status."""
    wanted = ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"]
    wanted += ["Strict-Transport-Security"]  # the test's service is served over HTTPS
    if route.path != "/docs":
        wanted.append("Content-Security-Policy")
    return [name for name in wanted if name not in headers]


def test_every_route_has_its_policy(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    served = {route.key for route in calls.routes(app)}
    written = set(policy())
    assert len(served) > 80  # the router was read, not an empty list
    assert served - written == set(), "routes with no line in docs/authorization.md"
    assert written - served == set(), "lines in docs/authorization.md for routes that are gone"


def test_each_person_gets_exactly_what_the_policy_says(
    client: TestClient, session: Session, settings: Settings
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    people = world.build(session, settings)
    csrf = calls.csrf_of(client)
    rules = policy()
    wrong: list[str] = []
    for route in calls.routes(app):
        for role, allowed in zip(world.ROLES, rules[route.key], strict=True):
            response = calls.call(client, route, people, role, csrf)
            missing = _missing_headers(route, response.headers)
            if missing:
                wrong.append(f"{route.key} as {role}: no {', '.join(missing)}")
            if response.status_code >= 500:
                wrong.append(f"{route.key} as {role}: {response.status_code}")
            elif refused(response, route) == allowed:
                expected = "allowed" if allowed else "refused"
                wrong.append(f"{route.key} as {role}: {response.status_code}, policy: {expected}")
    assert wrong == []
