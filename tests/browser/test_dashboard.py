"""A foundation's manager reads the engagement dashboard in a real browser, in French and in
English: the figures of the hand-computed programme (the same as the API's and the
workbook's), the charts drawn, the period changed, the workbook downloaded; axe-core finds
no violation, also at 320 CSS pixels wide, where the page reflows (WCAG 1.4.10)."""

import re
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, create_engine

from config import Settings
from models import queries
from services.people import accounts
from tests.browser.conftest import new_page
from tests.browser.test_journeys import check, submit
from tests.reporting.scenario import Scenario, build_scenario
from tests.webforms import PASSWORD

VALUE = {"en": "3,776.87", "fr": "3\u202f776,87"}
VALUE_2026 = {"en": "2,644.32", "fr": "2\u202f644,32"}


@pytest.fixture(scope="module")
def programme(live_server: str, live_settings: Settings) -> Scenario:
    engine = create_engine(live_settings.resolved_database_url)
    with Session(engine, expire_on_commit=False) as session:
        scenario = build_scenario(session, live_settings)
        manager = queries.organisations.get_account(session, scenario.manager_email)
        accounts.set_password(session, [manager], PASSWORD)
    engine.dispose()
    return scenario


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_manager_reads_and_downloads_the_report(
    live_server: str,
    browser: Browser,
    programme: Scenario,
    locale: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = new_page(browser, live_server, locale)
    page.goto("/signin")
    page.fill("input[name=email]", programme.manager_email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "/signin")
    page.locator("header nav a[href='/programmes']").click()
    expect(page).to_have_url(re.compile(r"/programme/acme-gives$"))
    page.fill("input[name=from]", "2025-01-01")
    page.fill("input[name=to]", "2026-12-31")
    submit(page, "/programme/acme-gives")
    summary = page.locator("#summary")
    expect(summary).to_contain_text(VALUE[locale])
    charts = page.locator("img.chart")
    expect(charts).to_have_count(3)
    for index in range(3):
        drawn = charts.nth(index).evaluate("img => img.complete && img.naturalWidth > 300")
        assert drawn, f"chart {index} was not drawn"
    check(page, locale, "dashboard")

    page.set_viewport_size({"width": 320, "height": 800})
    check(page, locale, "dashboard-320px")  # tables scroll inside their region, not the page
    page.set_viewport_size({"width": 1280, "height": 800})

    with page.expect_download() as waiting:
        page.locator("a[href*='export.xlsx']").click()
    download = waiting.value
    assert download.suggested_filename == "acme-gives-2025-01-01-2026-12-31.xlsx"
    path = tmp_path_factory.mktemp("download") / download.suggested_filename
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r[0]]
    values = [Decimal(str(r[1])) for r in rows if isinstance(r[1], float)]
    assert Decimal("3776.87") in values

    page.fill("input[name=from]", "2026-01-01")
    submit(page, "/programme/acme-gives")
    expect(summary).to_contain_text(VALUE_2026[locale])
    page.context.close()
