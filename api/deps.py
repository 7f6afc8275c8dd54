"""Dependencies shared by the routes; tests override `get_session`.

The settings are the app's (`create_app(settings)`): routes take `SettingsDep`, code that has
only the request calls `settings_of(request)`; both read the same object."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import StringConstraints
from sqlmodel import Session

from config import Settings
from matching.constraints import Nearby
from matching.embedders import Embedder
from models import MAX_ID, InvalidData, WorkMode, writer
from models.queries.matching import Filters
from services.actors import Actor, actor_for_token
from services.runtime import get_embedder, get_engine, get_nearby

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    engine = get_engine() if request.method in _READS else writer(get_engine())
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def settings_of(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(settings_of)]

_bearer = HTTPBearer(auto_error=False, description="an API token (`probono token create`)")


def get_actor(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The account behind the request's bearer token; 401 without a valid one."""
    return actor_for_token(session, None if credentials is None else credentials.credentials)


ActorDep = Annotated[Actor, Depends(get_actor)]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many items")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="skip this many items")]
# Every numeric id in a path: out of range is bad input (422), not a question for the database.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
NearbyDep = Annotated[Nearby, Depends(get_nearby)]
TopK = Annotated[int, Query(ge=1, le=100, description="how many matches")]
IncludeExcluded = Annotated[
    bool, Query(description="also list those a hard constraint excludes, with why (last)")
]


Language = Annotated[str, StringConstraints(pattern="^[a-z]{2}$")]  # ISO 639-1


def match_filters(
    language: Annotated[
        list[Language] | None,
        Query(description="the other side works in one of these languages (repeatable)"),
    ] = None,
    city: Annotated[
        str | None, Query(min_length=1, max_length=100, description="the other side's city")
    ] = None,
    competence: Annotated[
        str | None,
        Query(
            description="an e-CF 4.0 code the volunteer states or the need requires, e.g. B.1",
            pattern=r"^[A-E]\.[0-9]{1,2}$",
        ),
    ] = None,
    work_mode: Annotated[
        WorkMode | None, Query(description="needs only: remote, onsite or hybrid")
    ] = None,
) -> Filters:
    return Filters(frozenset(language or ()), city, work_mode, competence)


FiltersDep = Annotated[Filters, Depends(match_filters)]


def _query_names(route: APIRoute) -> set[str]:
    """The query parameters of the route and of every dependency it has (a few microseconds:
    not worth a cache keyed on routes, which are not hashable)."""
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(field.alias for field in dependant.query_params)
        pending.extend(dependant.dependencies)
    return names


def known_query_parameters(request: Request) -> None:
    """An API route refuses query parameters it does not take: a misspelt `top-k` would
    otherwise be ignored without a word, and the answer would not be the one asked for."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no query parameters"
        raise InvalidData(
            f"unknown query parameter {unknown[0]!r}: this route takes {takes}", field=unknown[0]
        )
