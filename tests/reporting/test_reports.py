"""A programme with known missions, hours, costs and turnover, reported over periods and
checked to the cent against figures computed by hand — caps, a year boundary, a cancelled
mission and hours that were never approved included — from the CLI's workbook, the API and
the dashboard alike."""

import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, col

from cli import main
from config import Settings, get_settings
from models import (
    Account,
)
from reporting import exports, figures
from reporting.valuation import cents
from services.actors import create_token
from services.runtime import get_engine
from tests import factories, webforms
from tests.reporting.scenario import Scenario, build_scenario

WHOLE = figures.Period(date(2025, 1, 1), date(2026, 12, 31))
YEAR_2026 = figures.Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def scenario(session: Session, settings: Settings) -> Scenario:
    return build_scenario(session, settings)


def test_the_figures_match_the_hand_computed_example(
    session: Session, settings: Settings, scenario: Scenario
) -> None:
    report = figures.build(session, settings, scenario.programme, WHOLE)
    # Hours: 35 + 14 + 20 + 10 + 4 + 6 approved; 5 waiting and 3 rejected are declared only.
    assert report.hours_approved == 89
    assert report.hours_declared == 97
    assert report.missions["proposed"] == 5
    assert report.missions["completed"] == 1
    assert report.missions["cancelled"] == 1
    assert report.associations_helped == 3  # X, Y, Z (Z: the cancelled mission's hours)
    assert report.small_associations_helped == 2  # X (3 staff) and Z (5)
    assert report.volunteers_engaged == 4
    assert report.credentials_issued == 1
    # Valuation (France): 2025, Alice 52,000 / 1,607 x 35 = 1,132.545 → 1,132.55.
    # 2026: Alice 53,560 / 1,607 x (14 + 4) = 599.9253; Bob capped at 3 x 48,060 = 144,180:
    # / 1,607 x 20 = 1,794.3995; Carol part time 30,000 / 1,200 x 10 = 250; Dan: no cost.
    # 2026 total 2,644.3248 → 2,644.32; reduction 60 % = 1,586.59 (ceiling 50,000).
    value = report.valuation
    assert cents(value.years[2025].value) == Decimal("1132.55")
    assert cents(value.years[2026].value) == Decimal("2644.32")
    assert cents(value.value) == Decimal("3776.87")
    assert value.years[2026].employees_capped == 1
    assert value.years[2026].hours_without_cost == 6
    assert cents(value.years[2025].reduction_this_year) == Decimal("679.53")
    assert cents(value.years[2026].reduction_this_year) == Decimal("1586.59")
    assert value.years[2026].ceiling == Decimal(50_000)  # 0.5 % of 10 M
    by_association = {
        (report.association_names[a], y): cents(v) for (a, y), v in value.by_association.items()
    }
    assert by_association == {
        ("X", 2025): Decimal("1132.55"),
        ("X", 2026): Decimal("466.61"),  # Alice 14 h; Dan's 6 h have no cost
        ("Y", 2026): Decimal("2044.40"),  # Bob 1,794.3995 + Carol 250
        ("Z", 2026): Decimal("133.32"),  # the cancelled mission's 4 approved hours
    }
    levels = {(c.code, c.level) for c in report.competences}
    assert levels == {("B.1", 3), ("A.6", 2)}


def test_a_year_boundary_moves_hours_and_value(
    session: Session, settings: Settings, scenario: Scenario
) -> None:
    report = figures.build(session, settings, scenario.programme, YEAR_2026)
    assert report.hours_approved == 54  # the 35 h of December 2025 are out
    assert 2025 not in report.valuation.years
    assert cents(report.valuation.value) == Decimal("2644.32")
    assert report.volunteers_returning == 1  # Alice had a mission before 2026


def test_the_cli_workbook_totals_match_to_the_cent(
    session: Session, settings: Settings, scenario: Scenario, tmp_path: Path
) -> None:
    report = figures.build(session, settings, scenario.programme, WHOLE)
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report, "en")))
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows() if row[0].value}
    assert Decimal(str(summary["Value of the time given"])) == Decimal("3776.87")
    assert Decimal(str(summary["Tax reduction estimate (this year)"])) == Decimal("2266.12")
    valuation = list(book["Valuation"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], Decimal(str(row[4]))) for row in valuation] == [
        (2025, Decimal("1132.55")),
        (2026, Decimal("2644.32")),
    ]
    receipts = list(book["Tax receipts"].iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(r[5])) for r in receipts) == Decimal("3776.88")  # rounded per line
    presence = list(book["Presence sheet"].iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(r[4])) for r in presence) == 89
    assert all(
        "52000" not in str(cell)
        for row in book["Presence sheet"].iter_rows(values_only=True)
        for cell in row
    )  # no salary outside the totals
    links = [r[4] for r in book["Credentials issued"].iter_rows(min_row=2, values_only=True)]
    assert links == [f"https://probono.test/credentials/{scenario.credential_ids[0]}"]


def test_exports_defuse_spreadsheet_formulas(
    session: Session, settings: Settings, scenario: Scenario
) -> None:
    session.execute(
        sa.update(Account)
        .where(col(Account.email) == "dan@acme.example")
        .values(display_name='=HYPERLINK("http://evil")')
    )
    session.commit()
    report = figures.build(session, settings, scenario.programme, WHOLE)
    text = exports.to_csv(report, "en")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(report, "en")))
    names = [r[2] for r in book["Presence sheet"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in names


def test_the_api_gives_the_same_figures_to_the_manager_only(
    client: TestClient, session: Session, scenario: Scenario
) -> None:
    token = create_token(session, scenario.manager_email)
    response = client.get(
        "/api/v1/reports/programmes/acme-gives",
        params={"from": "2025-01-01", "to": "2026-12-31"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["summary"]["Value of the time given"] == "3776.87"
    assert data["summary"]["Hours approved"] == "89"
    xlsx = client.get(
        "/api/v1/reports/programmes/acme-gives",
        params={"from": "2025-01-01", "to": "2026-12-31", "format": "xlsx"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    outsider = factories.make_account(session, email="other-manager@example.org")
    session.commit()
    other = create_token(session, outsider.email)
    refused = client.get(
        "/api/v1/reports/programmes/acme-gives", headers={"Authorization": f"Bearer {other}"}
    )
    assert refused.status_code == 404
    assert json.loads(refused.text)["code"] == "not_found"


def test_probono_report_writes_the_workbook(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--no-demo"]) == 0
    with Session(get_engine(), expire_on_commit=False) as session:
        build_scenario(session, get_settings())
    output = tmp_path / "acme.xlsx"
    assert (
        main(
            [
                "report",
                "--programme",
                "acme-gives",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--format",
                "xlsx",
                "-o",
                str(output),
            ]
        )
        == 0
    )
    book = openpyxl.load_workbook(output)
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows() if r[0].value}
    assert Decimal(str(summary["Value of the time given"])) == Decimal("2644.32")
    assert Decimal(str(summary["Tax reduction estimate (this year)"])) == Decimal("1586.59")
    assert summary["Hours approved"] == 54
    assert main(["report", "--programme", "nope"]) == 1
    assert "no programme 'nope'" in capsys.readouterr().err


def _cells(html: str, caption: str) -> list[list[str]]:
    """The rows of the dashboard table with this caption, as text."""
    table = html.split(f"<caption>{caption}", 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    ]


def test_the_dashboard_shows_the_figures_of_the_api(
    client: TestClient, session: Session, scenario: Scenario
) -> None:
    webforms.sign_in(client, session, scenario.manager_email)
    period = {"from": "2025-01-01", "to": "2026-12-31"}
    page = client.get("/programme/acme-gives", params=period, headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.text
    summary = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', page.text))
    assert summary["Value of the time given"] == "€3,776.87"  # money with its sign
    assert summary["Tax reduction estimate (this year)"] == "€2,266.12"
    assert summary["Hours approved"] == "89"
    assert summary["Hours declared"] == "97"
    valuation = _cells(page.text, "Valuation")
    assert [(row[0], row[4]) for row in valuation] == [("2025", "€1,132.55"), ("2026", "€2,644.32")]
    by_association = {row[0]: row[3] for row in _cells(page.text, "By association")}
    assert by_association == {"X": "55", "Y": "30", "Z": "4"}  # 35 + 14 + 6; 20 + 10; 4
    assert {row[0] for row in _cells(page.text, "By cause")} == {"Education", "Health"}
    months = _cells(page.text, "Approved hours by month")
    assert months[0][0] == "December 2025"  # a month by its name on a page
    assert sum(Decimal(hours) for _, hours in months) == 89
    token = create_token(session, scenario.manager_email)
    api = client.get(
        "/api/v1/reports/programmes/acme-gives",
        params=period,
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert Decimal(api["summary"]["Value of the time given"]) == Decimal("3776.87")
    exported = client.get(
        "/programme/acme-gives/export.xlsx", params=period, headers={"Accept-Language": "en"}
    )
    assert exported.status_code == 200
    assert "acme-gives-2025-01-01-2026-12-31.xlsx" in exported.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    rows = {r[0].value: r[1].value for r in book["Summary"].iter_rows() if r[0].value}
    assert Decimal(str(rows["Value of the time given"])) == Decimal("3776.87")
    for name in ("hours", "competences", "months"):
        chart = client.get(f"/programme/acme-gives/chart/{name}.png", params=period)
        assert chart.content.startswith(b"\x89PNG"), name
    french = client.get("/programme/acme-gives", params=period, headers={"Accept-Language": "fr"})
    assert "3\u202f776,87" in french.text or "3 776,87" in french.text
    backwards = client.get(
        "/programme/acme-gives",
        params={"from": "2026-12-31", "to": "2026-01-01"},
        headers={"Accept-Language": "en"},
    )
    # Back on the dashboard (its default period), told why.
    assert backwards.status_code == 200
    assert "The period ends before it starts" in backwards.text
    garbage = client.get(
        "/programme/acme-gives",
        params={"from": "31/12", "to": ""},
        headers={"Accept-Language": "fr"},
    )
    assert garbage.status_code == 200
    assert "Écrivez chaque date comme un jour" in garbage.text


def test_the_dashboard_is_for_the_programme_managers_only(
    client: TestClient, session: Session, scenario: Scenario
) -> None:
    assert client.get("/programme/acme-gives", follow_redirects=False).status_code in (303, 401)
    outsider = factories.make_account(session, email="someone@example.org")
    session.commit()
    webforms.sign_in(client, session, outsider.email)
    assert client.get("/programme/acme-gives").status_code == 404
    assert client.get("/programme/acme-gives/export.csv").status_code == 404
    assert client.get("/programme/acme-gives/chart/hours.png").status_code == 404
    backwards = client.get(
        "/programme/acme-gives", params={"from": "2026-12-31", "to": "2026-01-01"}
    )
    assert backwards.status_code == 404  # the outsider learns nothing, not even the error
