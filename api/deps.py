"""Dependencies shared by the routes; tests override `get_session` and `get_settings`."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query
from sqlmodel import Session

from config import Settings, get_settings
from missions.runtime import get_engine


def get_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many items")]
Offset = Annotated[int, Query(ge=0, description="skip this many items")]
