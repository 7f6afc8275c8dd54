"""Cost amounts that would break the reports are refused with their line and field."""

from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

import models
from config import Settings
from models import (
    CompanyYear,
    MemberRole,
    Membership,
    OrganisationKind,
    PayBand,
    persisted_id,
    queries,
)
from reporting import costs
from services import schema
from services.actors import create_token
from tests.databases import fresh_database
from tests.factories import make_organisation
from tests.reporting.scenario import build_scenario


def test_infinite_or_huge_amounts_are_refused_and_the_good_rows_kept(session: Session) -> None:
    company = make_organisation(session, kind=OrganisationKind.COMPANY, slug="acme", name="Acme")
    session.commit()
    report = costs.import_costs(
        session,
        company,
        "\n".join(
            [
                "kind,year,name,annual_cost",
                "band,2026,Junior,42000",
                "band,2026,Infinite,Infinity",
                "band,2026,Huge,1e999999999",
                "band,2026,Nan,NaN",
                "band,2026,Snan,sNaN",
                "turnover,2026,,1e20",
            ]
        ),
    )
    assert report.saved == 1
    assert [(e.line, e.reason.split()[0]) for e in report.errors] == [
        (3, "annual_cost"),
        (4, "annual_cost"),
        (5, "annual_cost"),
        (6, "annual_cost"),
        (7, "turnover"),
    ]
    assert "not a finite amount" in report.errors[0].reason
    assert "above the largest allowed" in report.errors[1].reason
    assert company.id is not None
    band = queries.reporting.pay_band(session, company.id, 2026, "Junior")
    assert band is not None
    assert band.annual_cost == 42000


@pytest.mark.parametrize(
    ("row", "values"),
    [
        (PayBand, {"year": 2026, "name": "Infinite", "annual_cost": Decimal("Infinity")}),
        (PayBand, {"year": 2026, "name": "Nan", "annual_cost": Decimal("NaN")}),
        (PayBand, {"year": 2026, "name": "Huge", "annual_cost": Decimal("10000000.01")}),
        (CompanyYear, {"year": 2026, "turnover": Decimal("Infinity")}),
        (CompanyYear, {"year": 2026, "turnover": Decimal("NaN")}),
    ],
)
def test_the_database_refuses_what_the_import_refuses(
    session: Session, row: type[SQLModel], values: dict[str, Decimal | int | str]
) -> None:
    """Rows written by any other way than the import (a script, a restore) meet the same
    ceilings."""
    company = make_organisation(session, kind=OrganisationKind.COMPANY)
    session.add(row(company_id=company.id, **values))
    with pytest.raises(sa.exc.DBAPIError):
        session.flush()
    session.rollback()


def test_amounts_stored_before_the_ceilings_go_and_the_good_ones_stay(
    backend: str, tmp_path: Path
) -> None:
    """A database from before the ceilings, holding what the import once let through, is
    cleaned by the upgrade: nothing left in it can break a report."""
    bad = "'NaN'" if backend == "postgresql" else "1e999"  # what each backend kept: NaN, Inf
    with fresh_database(backend, tmp_path) as url:
        engine = models.make_engine(url)
        schema.upgrade(engine, "0011")
        with engine.begin() as connection:  # the organisation table as it was at 0011
            company_id = connection.execute(
                sa.text(
                    "INSERT INTO organisation (slug, name, kind, city, country, description, "
                    "created_at) VALUES ('acme-0011', 'Acme', 'company', 'Lyon', 'FR', '', "
                    "CURRENT_TIMESTAMP) RETURNING id"
                )
            ).scalar_one()
            for name, cost in (("good", "42000"), ("bad", bad)):
                connection.execute(
                    sa.text(
                        "INSERT INTO pay_band (company_id, year, name, annual_cost, created_at) "
                        f"VALUES (:company, 2026, :name, {cost}, CURRENT_TIMESTAMP)"
                    ),
                    {"company": company_id, "name": name},
                )
        schema.upgrade(engine)
        with Session(engine) as session:
            kept = queries.reporting.pay_band(session, company_id, 2026, "good")
            assert kept is not None
            assert kept.annual_cost == 42000
            assert queries.reporting.pay_band(session, company_id, 2026, "bad") is None
        engine.dispose()


def test_a_refused_cost_file_leaves_the_report_working(
    client: TestClient, session: Session, settings: Settings
) -> None:
    scenario = build_scenario(session, settings)
    manager = queries.organisations.find_account(session, scenario.manager_email)
    company = queries.organisations.find_organisation(session, "acme")
    assert manager is not None
    assert company is not None
    session.add(
        Membership(
            account_id=persisted_id(manager.id),
            organisation_id=persisted_id(company.id),
            role=MemberRole.COMPANY_MANAGER,
        )
    )
    session.commit()
    token = create_token(session, scenario.manager_email)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    sent = client.put(
        "/api/v1/reports/companies/acme/costs",
        content="kind,year,name,annual_cost\nband,2026,Inf,Infinity\nturnover,2026,,1e999999999\n"
        "band,2026,Nan,NaN\n",
        headers=headers,
    )
    assert sent.status_code == 200, sent.text
    assert sorted((e["line"], e["reason"].split()[0]) for e in sent.json()["errors"]) == [
        (2, "annual_cost"),
        (3, "turnover"),
        (4, "annual_cost"),
    ]
    report = client.get("/api/v1/reports/programmes/acme-gives", headers=headers)
    assert report.status_code == 200, report.text
