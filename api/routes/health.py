"""Liveness and readiness of the service."""

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response

from api.deps import SessionDep
from api.schemas import Check, HealthRead
from services import runtime, schema
from services.reference import loading

router = APIRouter(tags=["service"])


@router.get("/health")
def health(session: SessionDep, request: Request, response: Response) -> HealthRead:
    """Reports whether the database answers, is migrated and holds the reference data, and
    whether the embedding model is loaded (or ready to load)."""
    ready, state = runtime.model_state()
    model = Check(ok=ready, detail=state)
    try:
        session.execute(sa.text("SELECT 1"))
        database = Check(ok=True, detail=session.get_bind().dialect.name)
    except sa.exc.SQLAlchemyError as exc:
        failed = Check(ok=False, detail=f"database unreachable: {type(exc).__name__}")
        return _answer(request, response, failed, failed, failed, model, {})
    current, head = schema.current_revision(session.connection()), schema.head_revision()
    if current != head:  # the tables may not exist: nothing more to read
        revision = Check(ok=False, detail=f"at {current}, head is {head}: run `probono init`")
        return _answer(request, response, database, revision, revision, model, {})
    counts = loading.reference_status(session)
    loaded = set(counts) >= set(loading.LOADERS)
    missing = sorted(set(loading.LOADERS) - set(counts))
    data = Check(
        ok=loaded, detail="all frameworks loaded" if loaded else f"missing: {', '.join(missing)}"
    )
    revision = Check(ok=True, detail=f"at {current}, head is {head}")
    return _answer(request, response, database, revision, data, model, counts)


def _answer(
    request: Request,
    response: Response,
    database: Check,
    revision: Check,
    data: Check,
    model: Check,
    counts: dict[str, int],
) -> HealthRead:
    ok = database.ok and revision.ok and data.ok and model.ok
    if not ok:
        response.status_code = 503
    return HealthRead(
        status="ok" if ok else "degraded",
        version=request.app.version,
        database=database,
        schema_revision=revision,
        reference_data=data,
        embedding_model=model,
        competences=counts,
    )
