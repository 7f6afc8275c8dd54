"""The one place that maps errors to HTTP statuses."""

from enum import StrEnum

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api.web import pages
from badges.errors import InvalidBadge, SigningKeyError
from matching import LevelOutOfRange, MatchingError, ReferenceDataError
from matching.embedders import ModelUnavailable
from models import Conflict, InvalidData, NotAllowed, NotFound, NotSignedIn, TooManyAttempts
from reporting.valuation import RulesError


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


async def _handle(request: Request, exc: Exception) -> Response:
    status, code = next(ERRORS[cls] for cls in type(exc).__mro__ if cls in ERRORS)
    if pages.wants_html(request):  # a person's browser gets a page, not JSON
        return pages.error_page(request, status, str(exc))
    content: dict[str, str] = {"code": code, "detail": str(exc)}
    field = getattr(exc, "field", None)
    if field:
        content["field"] = field
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(status_code=status, content=content, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    for exc_type in ERRORS:
        app.add_exception_handler(exc_type, _handle)
