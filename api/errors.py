"""The one place that maps errors to HTTP statuses, and the one shape every error has:
`{"code", "detail"}`, with the `field` at fault (and each field's message) when the input is."""

from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from api.web import pages
from badges.errors import InvalidBadge, SigningKeyError
from matching import LevelOutOfRange, MatchingError, ReferenceDataError
from matching.embedders import ModelUnavailable
from models import Conflict, InvalidData, NotFound
from reporting.valuation import RulesError
from services.errors import NotAllowed, NotSignedIn, TooManyAttempts


class ErrorCode(StrEnum):
    NOT_SIGNED_IN = "not_signed_in"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    REFERENCE_DATA = "reference_data_unavailable"
    MODEL_UNAVAILABLE = "model_unavailable"
    MATCHING = "matching_failed"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    BADGE_INVALID = "badge_invalid"
    SIGNING_UNAVAILABLE = "signing_unavailable"
    RULES_UNREADABLE = "valuation_rules_unreadable"
    BUSY = "busy"
    TOO_LARGE = "too_large"
    HTTP = "http_error"  # routing (method not allowed), a body that cannot be read


class FieldError(BaseModel):
    field: str
    message: str


class ErrorRead(BaseModel):
    """Every error the API answers."""

    code: ErrorCode
    detail: str  # in words, for a person
    field: str | None = None
    errors: list[FieldError] | None = None  # each field at fault, when there are several


# Documented on every route (OpenAPI), so that clients and the fuzzer know the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorRead, "description": description}
    for status, description in (
        (400, "The request cannot be read (a body that is not JSON, not UTF-8…)"),
        (401, "Not signed in: no token, or a token that is not valid"),
        (403, "Not allowed for this account"),
        (404, "Not found (or not visible to this account)"),
        (409, "In conflict with the current state"),
        (413, "The request is too large"),
        (422, "The input is not valid: `field` and `errors` say where"),
        (429, "Too many attempts: wait and try again"),
        (503, "A part of the service is unavailable"),
    )
}


ERRORS: dict[type[Exception], tuple[int, ErrorCode]] = {
    NotSignedIn: (401, ErrorCode.NOT_SIGNED_IN),
    NotAllowed: (403, ErrorCode.NOT_ALLOWED),
    NotFound: (404, ErrorCode.NOT_FOUND),
    Conflict: (409, ErrorCode.CONFLICT),
    InvalidData: (422, ErrorCode.INVALID),
    TooManyAttempts: (429, ErrorCode.TOO_MANY_ATTEMPTS),
    LevelOutOfRange: (422, ErrorCode.LEVEL_OUT_OF_RANGE),
    ReferenceDataError: (503, ErrorCode.REFERENCE_DATA),
    ModelUnavailable: (503, ErrorCode.MODEL_UNAVAILABLE),
    MatchingError: (422, ErrorCode.MATCHING),
    InvalidBadge: (422, ErrorCode.BADGE_INVALID),
    # A key that cannot be decrypted is the service's fault (a changed key-encryption key),
    # never the caller's; it says so without showing anything of the key.
    SigningKeyError: (503, ErrorCode.SIGNING_UNAVAILABLE),
    # The valuation rules shipped with the service cannot be read: the service's fault.
    RulesError: (503, ErrorCode.RULES_UNREADABLE),
}


def _answer(request: Request, status: int, error: ErrorRead) -> Response:
    if pages.wants_html(request):  # a person's browser gets a page, not JSON
        return pages.error_page(request, status, error.detail)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        status_code=status,
        content=error.model_dump(mode="json", exclude_none=True),
        headers=headers,
    )


async def _handle(request: Request, exc: Exception) -> Response:
    status, code = next(ERRORS[cls] for cls in type(exc).__mro__ if cls in ERRORS)
    response = _answer(
        request, status, ErrorRead(code=code, detail=str(exc), field=getattr(exc, "field", None))
    )
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _where(location: tuple[Any, ...]) -> str:
    # ("body", "hours") → "hours"; ("query", "top_k") → "top_k"
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(location[0] if location else "request")


def _field_error(error: dict[str, Any]) -> FieldError:
    if error.get("type") == "json_invalid":  # loc is ("body", position): say it in words
        position = error.get("loc", ("body", "?"))[-1]
        reason = error.get("ctx", {}).get("error", "JSON decode error")
        return FieldError(field="body", message=f"not valid JSON: {reason} at character {position}")
    return FieldError(field=_where(tuple(error.get("loc", ()))), message=error["msg"])


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in exc.errors()]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or "the request is not valid"
    field = errors[0].field if errors else None
    return _answer(
        request, 422, ErrorRead(code=ErrorCode.INVALID, detail=detail, field=field, errors=errors)
    )


# FastAPI's words for a body it cannot decode (not UTF-8, say), and ours.
FASTAPI_UNREADABLE = "There was an error parsing the body"
_UNREADABLE = "the body cannot be read: send JSON in UTF-8, or the form the route documents"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: ErrorCode.NOT_FOUND, 413: ErrorCode.TOO_LARGE}.get(exc.status_code, ErrorCode.HTTP)
    detail = _UNREADABLE if exc.detail == FASTAPI_UNREADABLE else str(exc.detail)
    response = _answer(request, exc.status_code, ErrorRead(code=code, detail=detail))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _database_error(request: Request, exc: Exception) -> Response:
    # The embedded SQLite refuses a write that lost a race with another writer, and under
    # more load than its pool a request waits for a connection only so long: the caller may
    # simply try again (nothing was written). Any other database failure is a 500.
    locked = isinstance(exc, OperationalError) and "database is locked" in str(exc)
    if not (locked or isinstance(exc, PoolTimeout)):
        raise exc
    response = _answer(
        request,
        503,
        ErrorRead(code=ErrorCode.BUSY, detail="the database is busy: try again in a moment"),
    )
    response.headers["Retry-After"] = "1"
    return response


def install_error_handlers(app: FastAPI) -> None:
    for exc_type in ERRORS:
        app.add_exception_handler(exc_type, _handle)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_error)
    app.add_exception_handler(PoolTimeout, _database_error)
