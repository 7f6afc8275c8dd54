"""How long a large cost import holds SQLite's one write lock: the whole file in one
transaction (the baseline, as before batches) against batches of `costs.BATCH_ROWS`, in the
same run on the same file. The longest hold is what another writer (a volunteer logging
hours) may wait; the total is what the company waits.

    .venv/bin/python -m bench.cost_import [--rows 70000] [--quick]
"""

import argparse
import itertools
import tempfile
import time
from pathlib import Path
from unittest import mock

from sqlmodel import Session

import models
from models import Organisation, OrganisationKind
from reporting import costs
from services import schema


def _file(rows: int) -> str:
    """Pay bands and turnovers over the years: rows the import checks and writes one by one."""
    lines = ["kind,year,name,annual_cost"]
    lines += [f"band,{2000 + n % 100},Band {n},{30_000 + n % 50_000}" for n in range(rows)]
    return "\n".join(lines) + "\n"


def _run(folder: Path, text: str, batch: int) -> tuple[float, float]:
    """(total seconds, longest seconds between two commits) of one import."""
    engine = models.make_engine(f"sqlite:///{folder / f'costs-{batch}.db'}")
    schema.upgrade(engine)
    with Session(engine) as session:
        company = Organisation(
            slug="acme", name="Acme", kind=OrganisationKind.COMPANY, city="Lyon", country="FR"
        )
        session.add(company)
        session.commit()
        commits: list[float] = []
        started = time.perf_counter()
        with mock.patch.object(costs, "BATCH_ROWS", batch):
            report = costs.import_costs(
                session, company, text, lambda done, total: commits.append(time.perf_counter())
            )
        total = time.perf_counter() - started
        assert report.ok, report.errors[:3]
    engine.dispose()
    marks = [started, *commits]
    return total, max(b - a for a, b in itertools.pairwise(marks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--quick", action="store_true", help="5,000 rows")
    args = parser.parse_args()
    rows = 5_000 if args.quick else args.rows
    text = _file(rows)
    with tempfile.TemporaryDirectory() as folder:
        whole = _run(Path(folder), text, rows)
        batched = _run(Path(folder), text, costs.BATCH_ROWS)
    print(f"cost import of {rows:,} rows on SQLite")
    print(f"{'':34}{'total s':>10}{'longest lock s':>16}")
    print(f"{'one transaction (baseline)':34}{whole[0]:>10.1f}{whole[1]:>16.2f}")
    print(f"{f'batches of {costs.BATCH_ROWS}':34}{batched[0]:>10.1f}{batched[1]:>16.2f}")


if __name__ == "__main__":
    main()
