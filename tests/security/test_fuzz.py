"""The API fuzzed from its own OpenAPI schema (schemathesis): whatever the input, no 5xx, every
response matches the schema, and every refusal (4xx) says why in words.

Bounded for CI (PROBONO_FUZZ_EXAMPLES examples per operation, 15 by default); the longer run
is in docs/security.md."""

import json
import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi import checks as openapi_checks
from sqlmodel import Session

from api import create_app
from services.actors import create_token
from tests import factories

EXAMPLES = int(os.environ.get("PROBONO_FUZZ_EXAMPLES", "15"))


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    """An admin's token: the fuzzer reaches every handler, not only the token check."""
    admin = factories.make_account(session, is_platform_admin=True)
    session.commit()
    return {"Authorization": f"Bearer {create_token(session, admin.email)}"}


def says_why(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx says what went wrong in words, in the one error shape: a code and a detail, and
    for bad input the field at fault."""
    del ctx, case
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    assert isinstance(body, dict), body
    assert str(body.get("code", "")).strip(), f"{response.status_code} without a code: {body}"
    assert len(str(body.get("detail", "")).strip()) > 3, f"{response.status_code}: {body}"
    if body["code"] == "invalid" and "errors" in body:
        assert all(e["field"] and e["message"] for e in body["errors"]), body
    return True


# The schema the app publishes; each example is sent through the test's own client (its
# database session and settings), not through an app built at import.
schema = schemathesis.openapi.from_dict(create_app().openapi())
# Left out, each for its reason:
# - positive_data_acceptance: business rules (a mission's state, an id that exists, CSV rows)
#   refuse schema-valid input by design; `says_why` checks that the refusal is clear;
# - ignored_auth: it replays requests through its own transport, not this app; the
#   authorization matrix (test_authorization.py) calls every route without and with tokens;
# - unsupported_method, allow_header_conformance: Starlette's 405 lists the methods of the
#   first route with the path (GET /missions), not of all of them (POST /missions too).
EXCLUDED = [
    openapi_checks.positive_data_acceptance,
    openapi_checks.ignored_auth,
    openapi_checks.unsupported_method,
    openapi_checks.allow_header_conformance,
]


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return (value if isinstance(value, str) else json.dumps(value)).encode()


def _as_files(files: Any) -> list[tuple[str, Any]]:
    """A multipart file part is bytes on the wire: a number or a list the fuzzer put in one
    goes as its text, as a real client would send it."""
    pairs = files.items() if isinstance(files, dict) else files
    return [
        (name, (v[0], _bytes(v[1]), *v[2:]) if isinstance(v, tuple) else _bytes(v))
        for name, v in pairs
    ]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples on every run: a red CI is reproducible
    database=None,  # and none replayed from an earlier, longer run
)
def test_the_api_holds_whatever_it_is_sent(
    case: Any, client: TestClient, admin_headers: dict[str, str]
) -> None:
    # The admin's token, unless the case is about a missing or broken Authorization header.
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    headers = {} if negative_headers else admin_headers
    sent = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
    sent = {k: v for k, v in sent.items() if v or k in ("method", "url")}  # no empty cookies
    if isinstance(sent.get("data"), bytes | str):
        sent["content"] = sent.pop("data")  # raw bodies (CSV, broken JSON) go as content
    if sent.get("files"):
        sent["files"] = _as_files(sent["files"])
    response = client.request(**sent)
    response.request.read()  # a multipart body is streamed: the report shows what was sent
    excluded = EXCLUDED
    if case.operation.path == "/api/v1/verify/upload":
        # A multipart file part is bytes, whatever type the fuzzer meant ("true" is a file of
        # four bytes): the verifier reads any file and reports on it (a 200 whose verdict
        # says "not valid", as for every unreadable badge).
        excluded = [*EXCLUDED, openapi_checks.negative_data_rejection]
    case.validate_response(response, additional_checks=[says_why], excluded_checks=excluded)
