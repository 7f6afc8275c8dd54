"""Cost amounts that would break the reports are refused with their line and field."""

from sqlmodel import Session

from models import OrganisationKind, queries
from reporting import costs
from tests.factories import make_organisation


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
