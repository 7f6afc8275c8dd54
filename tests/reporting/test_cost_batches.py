"""A large cost file is saved a batch at a time: on SQLite, other writers get the write lock
between batches instead of waiting for the whole file."""

import sqlite3
from pathlib import Path

from sqlmodel import Session

import models
from models import OrganisationKind, queries
from reporting import costs
from services import schema
from tests.databases import fresh_database
from tests.factories import make_organisation


def test_others_write_between_the_batches_of_a_large_import(tmp_path: Path) -> None:
    rows = costs.BATCH_ROWS * 2 + 1
    text = "kind,year,name,annual_cost\n" + "".join(
        f"band,2026,Band {n},{30_000 + n}\n" for n in range(rows)
    )
    with fresh_database("sqlite", tmp_path) as url:
        engine = models.make_engine(url)
        schema.upgrade(engine)
        written: list[tuple[int, int]] = []
        with Session(engine) as session:
            company = make_organisation(session, kind=OrganisationKind.COMPANY)
            session.commit()
            company_id = company.id

            def another_writer(done: int, total: int) -> None:
                # Another process, which would give up at once on a held lock.
                other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
                with other:
                    other.execute(
                        "UPDATE organisation SET name = ? WHERE id = ?", (done, company_id)
                    )
                other.close()
                written.append((done, total))

            report = costs.import_costs(session, company, text, another_writer)
            assert report.saved == rows
            assert report.ok
            batch = costs.BATCH_ROWS
            assert written == [(batch, rows), (2 * batch, rows), (rows, rows)]
            assert company_id is not None
            last = queries.reporting.pay_band(session, company_id, 2026, f"Band {rows - 1}")
            assert last is not None
        engine.dispose()
