"""Text that cannot be stored is refused before it reaches the database, the same way on every
backend: PostgreSQL cannot store U+0000 in text or JSON (psycopg fails the whole statement),
SQLite would store it and hand it to every reader. Checked at each flush (naming the field)
and for every statement's parameters, so the API, the pages, the imports and the command line
all answer the same clear error on both backends."""

from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from models.errors import InvalidData

NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


@event.listens_for(Session, "before_flush")
def _refuse_nul(session: Session, _: UOWTransaction, __: Any) -> None:
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        for attribute in state.mapper.column_attrs:
            if _has_nul(state.dict.get(attribute.key)):
                raise InvalidData(
                    f"{attribute.key}: the text contains a NUL character (U+0000), which "
                    "cannot be stored; remove it",
                    field=attribute.key,
                )


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_nul_parameters(
    _connection: Any,
    _cursor: Any,
    _statement: str,
    parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    # The same text in a query (an email to look up, a band's name): PostgreSQL fails the
    # statement whatever it is; the flush check above names the field when it is a write.
    if _has_nul(parameters):
        raise InvalidData(
            "the text contains a NUL character (U+0000), which cannot be stored or looked up; "
            "remove it"
        )
