"""The one place that maps errors to HTTP statuses."""

from enum import StrEnum

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from matching import LevelOutOfRange, MatchingError, ReferenceDataError
from matching.embedders import ModelUnavailable
from models import Conflict, InvalidData, NotFound


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    REFERENCE_DATA = "reference_data_unavailable"
    MODEL_UNAVAILABLE = "model_unavailable"
    MATCHING = "matching_failed"


ERRORS: dict[type[Exception], tuple[int, ErrorCode]] = {
    NotFound: (404, ErrorCode.NOT_FOUND),
    Conflict: (409, ErrorCode.CONFLICT),
    InvalidData: (422, ErrorCode.INVALID),
    LevelOutOfRange: (422, ErrorCode.LEVEL_OUT_OF_RANGE),
    ReferenceDataError: (503, ErrorCode.REFERENCE_DATA),
    ModelUnavailable: (503, ErrorCode.MODEL_UNAVAILABLE),
    MatchingError: (422, ErrorCode.MATCHING),
}


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    status, code = next(ERRORS[cls] for cls in type(exc).__mro__ if cls in ERRORS)
    content: dict[str, str] = {"code": code, "detail": str(exc)}
    field = getattr(exc, "field", None)
    if field:
        content["field"] = field
    return JSONResponse(status_code=status, content=content)


def install_error_handlers(app: FastAPI) -> None:
    for exc_type in ERRORS:
        app.add_exception_handler(exc_type, _handle)
