"""The demo companies' pay bands, employee costs, teams and turnover, entered through the same
CSV import a company uses, so that the demo's engagement dashboards show a valuation.

Drawn from a random generator of its own: the rest of the demo set stays the same whatever
is added here."""

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from models import persisted_id, queries
from reporting import costs


@dataclass(frozen=True)
class DemoCosts:
    companies: int
    employees: int
    rows: int

    def __str__(self) -> str:
        return (
            f"demo costs loaded: {self.companies} companies, {self.employees} employees "
            f"valued, {self.rows} rows through the cost import"
        )


def load_demo_costs(session: Session, data_dir: Path, *, seed: int, today: date) -> DemoCosts:
    data = json.loads((data_dir / "demo" / "costs.json").read_text(encoding="utf-8"))
    rng = random.Random(f"{seed}-costs")
    years = (today.year - 1, today.year)
    companies = employees = rows = 0
    for slug, company_data in data["companies"].items():
        company = costs.company_of(session, slug)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["kind", "year", "name", "email", "annual_cost", "band", "annual_hours", "team"]
        )
        for year in years:
            # Costs rise a little from one year to the next, as pay does.
            growth = 1 + 0.025 * (year - years[0])
            writer.writerow(["turnover", year, "", "", company_data["turnover"], "", "", ""])
            for band in data["bands"]:
                writer.writerow(
                    [
                        "band",
                        year,
                        band["name"],
                        "",
                        round(band["annual_cost"] * growth),
                        "",
                        "",
                        "",
                    ]
                )
        staff = queries.reporting.employees(session, persisted_id(company.id))
        for _profile, email in staff:
            team = rng.choice(company_data["teams"])
            if rng.random() < 0.08:
                continue  # not entered yet: the report counts these hours without a cost
            band = rng.choice(data["bands"])["name"]
            part_time = "1400" if rng.random() < 0.1 else ""
            for year in years:
                writer.writerow(["employee", year, "", email, "", band, part_time, team])
            employees += 1
        found = costs.import_costs(session, company, buffer.getvalue())
        if found.errors:  # the demo's own data: a mistake in it is a bug
            raise ValueError(f"demo costs of {slug}: {found.errors[0]}")
        companies += 1
        rows += found.saved
    return DemoCosts(companies, employees, rows)
