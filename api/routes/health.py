"""Liveness and readiness of the service."""

import sqlalchemy as sa
from fastapi import APIRouter, Request, Response

from api.deps import SessionDep
from api.schemas import Check, HealthRead
from missions import reference, schema

router = APIRouter(tags=["service"])


@router.get("/health")
def health(session: SessionDep, request: Request, response: Response) -> HealthRead:
    """Reports whether the database answers, is migrated, and holds the reference data."""
    try:
        session.execute(sa.text("SELECT 1"))
        database = Check(ok=True, detail=session.get_bind().dialect.name)
    except sa.exc.SQLAlchemyError as exc:
        response.status_code = 503
        failed = Check(ok=False, detail=f"database unreachable: {type(exc).__name__}")
        return HealthRead(
            status="degraded",
            version=request.app.version,
            database=failed,
            schema_revision=failed,
            reference_data=failed,
            competences={},
        )
    current, head = schema.current_revision(session.connection()), schema.head_revision()
    revision = Check(ok=current == head, detail=f"at {current}, head is {head}")
    counts = reference.reference_status(session)
    loaded = set(counts) >= set(reference.LOADERS)
    missing = sorted(set(reference.LOADERS) - set(counts))
    data = Check(
        ok=loaded, detail="all frameworks loaded" if loaded else f"missing: {', '.join(missing)}"
    )
    ok = database.ok and revision.ok and data.ok
    if not ok:
        response.status_code = 503
    return HealthRead(
        status="ok" if ok else "degraded",
        version=request.app.version,
        database=database,
        schema_revision=revision,
        reference_data=data,
        competences=counts,
    )
