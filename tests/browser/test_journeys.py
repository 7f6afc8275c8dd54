"""The whole product in a real browser, in French and in English: an association posts a need
with the scoping assistant, a volunteer writes a profile in the other language, is matched and
applies, the mission runs to completion, the badge is downloaded and the verifier page
verifies it. axe-core checks every page (0 violations), and the association's and the
verifier's journeys are also done with the keyboard alone."""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from config import Settings
from tests.browser.conftest import ARTIFACTS, AXE, new_page
from tests.browser.visible import cut_off, english_on_page

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 1.4.10: content reflows at 320 CSS pixels (a 1280-pixel window zoomed to 400 %, which
# covers the 200 % the issue names) without scrolling in two directions.
REFLOW_WIDTH = 320
TEXTS: dict[str, dict[str, Any]] = {
    "fr": {
        "headline": "Web developer, WordPress and accessibility",
        "about": "I have built WordPress websites for eight years, including sites for small "
        "charities and a theatre. I can also train a team to update their site. Je parle "
        "français couramment.",
        "languages": ["en", "fr"],
        "two": "notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une "
        "newsletter",
        "hours": "3,5",
        "valid": "Ce badge est valide",
        "waits": "dès que la plateforme a vérifié",
        "revoked": "révoqué",
    },
    "en": {
        "headline": "Développeuse web WordPress",
        "about": "Je crée des sites WordPress depuis huit ans pour des associations, avec des "
        "thèmes sur mesure et une formation de l'équipe. I work in English too.",
        "languages": ["fr", "en"],
        "two": "our website is old and nobody knows how to update it, and we would like a "
        "newsletter",
        "hours": "3.5",
        "valid": "This badge is valid",
        "waits": "as soon as the platform has verified",
        "revoked": "revoked",
    },
}


# What the tests type shows on the pages, in whichever language they typed it.
TYPED = [texts[key] for texts in TEXTS.values() for key in ("headline", "about", "two")] + [
    "Asso Association Vol Admin Key Clavier Site RGPD Lyon Lille Dublin Maquettes mock-ups test",
    "Acme Gives Data Cloud Alice Bob Carol Dan",  # the dashboard's programme (tests/reporting)
    "A new website",  # a need's title when a test gives none (tests/factories.py)
]


def check(page: Page, locale: str, name: str) -> None:
    """axe-core on the page as it is (0 violations of WCAG 2.1 A/AA), and a screenshot; no
    content cut off, at 1280 pixels and at 320; no English on a French page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    folder = ARTIFACTS / locale
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"{name} ({locale}): " + json.dumps(violations, indent=1)
    assert page.locator("html").get_attribute("lang") == locale
    assert sideways(page, REFLOW_WIDTH) <= 1, f"{name} ({locale}) scrolls sideways when zoomed"
    if locale == "fr":
        assert english_on_page(page, TYPED) == [], f"{name}: English on a French page"


def sideways(page: Page, width: int) -> int:
    """How far the page scrolls sideways at this width (CSS pixels), and what its boxes cut
    off there and at the window's own width; the viewport restored."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    cut = cut_off(page)
    page.set_viewport_size({"width": width, "height": size["height"]})
    overflow = int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
    cut += cut_off(page)
    page.set_viewport_size(size)
    assert cut == [], "cut off: " + "; ".join(cut)
    return overflow


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f'form[action="{form}"] [type=submit]').first.click()


def sign_up(page: Page, locale: str, role: str, name: str, email: str) -> None:
    page.goto("/signup")
    check(page, locale, "signup-role")
    with page.expect_navigation():
        page.locator(f'a[href="/signup?role={role}"]').click()
    check(page, locale, f"signup-{role}")
    page.fill("input[name=display_name]", name)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "a long enough password")
    if role == "association":
        page.fill("input[name=association_name]", f"Association {name}")
        page.fill("input[name=city]", "Lyon")
        page.fill("input[name=country]", "FR")
        page.select_option("select[name=identifier_kind]", "rna")
        page.fill("input[name=identifier]", "W751234567")
    submit(page, "/signup")
    expect(page.locator(".notice").first).to_be_visible()  # the welcome, maybe more


def sign_in(page: Page, email: str) -> None:
    page.goto("/signin")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "a long enough password")
    submit(page, "/signin")


def association_slug(page: Page) -> str:
    page.goto("/")
    link = page.locator("header nav a[href^='/org/']").first
    href = link.get_attribute("href") or ""
    return href.removeprefix("/org/")


def grant_admin(settings: Settings, email: str) -> None:
    """`probono admin grant`, as the operator of the live server does it."""
    env = {
        **os.environ,
        "PROBONO_DATABASE_URL": settings.database_url,
        "PROBONO_VAR_DIR": str(settings.var_dir),
        "PROBONO_PUBLIC_BASE_URL": settings.public_base_url,
    }
    subprocess.run(
        [sys.executable, "-m", "cli", "admin", "grant", email],
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_full_journey(
    live_server: str, live_settings: Settings, browser: Browser, locale: str
) -> None:
    texts = TEXTS[locale]
    run = uuid.uuid4().hex[:6]
    association = new_page(browser, live_server, locale)
    volunteer = new_page(browser, live_server, locale)

    # The association signs in, lands in its own space, and posts what it needs in one
    # breath: the assistant proposes two needs, published one after the other.
    email = f"asso-{run}@example.org"
    sign_up(association, locale, "association", f"Asso {run}", email)
    slug = association_slug(association)
    submit(association, "/signout")
    sign_in(association, email)
    assert association.url.endswith(f"/org/{slug}"), association.url
    check(association, locale, "association-home")
    with association.expect_navigation():
        association.locator(f'main a[href="/org/{slug}/needs/new"]').click()
    check(association, locale, "scoping-1")
    association.fill("textarea[name=story]", texts["two"])
    submit(association, f"/org/{slug}/needs/propose")
    check(association, locale, "scoping-split")
    proposals = association.locator("main .card")
    expect(proposals).to_have_count(2)
    for index in range(2):
        card = proposals.nth(index)
        expect(card.locator("h2")).not_to_be_empty()
        expect(card.locator(".deliverable")).not_to_be_empty()
        levels = card.locator(".levels li").all_inner_texts()
        assert levels, "no competence proposed"
        assert all(re.search(r"\(e-[23]\)", level) for level in levels), levels
    with association.expect_navigation():
        proposals.nth(0).locator("button[type=submit]").click()
    check(association, locale, "scoping-2")
    association.fill("input[name=title]", f"Site {run}")
    association.select_option("select[name=work_mode]", "remote")
    for code in texts["languages"]:
        association.check(f'input[name=languages][value="{code}"]')
    submit(association, f"/org/{slug}/needs")
    check(association, locale, "need-published")
    need_path = association.url.split(live_server, 1)[1].split("?")[0]
    with association.expect_navigation():  # the newsletter, kept from the same text
        association.locator(".notice form button[type=submit]").click()
    for code in texts["languages"]:
        association.check(f'input[name=languages][value="{code}"]')
    submit(association, f"/org/{slug}/needs")
    association.goto(f"/org/{slug}")
    expect(association.locator("main table tbody tr")).to_have_count(2)

    # A volunteer writes a profile in the other language, confirms competences, applies.
    sign_up(volunteer, locale, "volunteer", f"Vol {run}", f"vol-{run}@example.org")
    check(volunteer, locale, "profile-empty")
    volunteer.fill("input[name=headline]", texts["headline"])
    volunteer.fill("textarea[name=about]", texts["about"])
    for code in texts["languages"]:
        volunteer.check(f'input[name=languages][value="{code}"]')
    volunteer.fill("input[name=city]", "Dublin")
    volunteer.fill("input[name=country]", "IE")
    volunteer.check("input[name=remote_ok]")
    volunteer.fill("input[name=hours_per_month]", "30")
    submit(volunteer, "/me/profile")
    check(volunteer, locale, "profile-suggestions")
    suggested = volunteer.locator("input[name=keep]")
    assert suggested.count() >= 3
    for index in range(3):
        suggested.nth(index).check()
    submit(volunteer, "/me/competences")
    check(volunteer, locale, "volunteer-home")
    volunteer.goto("/me/needs")
    check(volunteer, locale, "needs")
    card = volunteer.locator(".card", has_text=f"Site {run}")
    expect(card).to_be_visible()
    with volunteer.expect_navigation():  # the need's own page, read before applying
        card.locator("h3 a").click()
    check(volunteer, locale, "need-page")
    expect(volunteer.locator("h1")).to_contain_text(f"Site {run}")
    with volunteer.expect_navigation():
        volunteer.locator("main form[action$='/apply'] button[type=submit]").click()
    mission_path = volunteer.url.split(live_server, 1)[1]
    mission_id = mission_path.rsplit("/", 1)[1]
    check(volunteer, locale, "mission-applied")

    # The association sees the volunteer ranked, accepts; the mission runs.
    association.goto(need_path)
    check(association, locale, "need-ranked")
    ranked = association.locator(".card", has_text=f"Vol {run}")
    expect(ranked.locator(".fit-summary")).not_to_be_empty()  # plain words first
    expect(ranked.locator(f'a[href="/org/{slug}/missions/{mission_id}/volunteer"]')).to_be_visible()
    association.goto(f"/org/{slug}/missions/{mission_id}")
    check(association, locale, "mission-proposed")
    with association.expect_navigation():  # who applied, and why they fit, before answering
        association.locator(f'a[href="/org/{slug}/missions/{mission_id}/volunteer"]').click()
    check(association, locale, "applicant")
    expect(association.locator("main")).to_contain_text(texts["about"][:40])
    submit(association, f"/org/{slug}/missions/{mission_id}/accept")
    volunteer.goto(mission_path)
    submit(volunteer, f"/me/missions/{mission_id}/start")
    volunteer.fill("input[name=hours]", texts["hours"])  # a decimal comma in French
    volunteer.fill("input[name=description]", "Maquettes / mock-ups")
    submit(volunteer, f"/me/missions/{mission_id}/hours")
    expect(volunteer.locator("main table")).to_contain_text(texts["hours"])
    check(volunteer, locale, "mission-hours")
    association.goto(f"/org/{slug}/missions/{mission_id}")
    check(association, locale, "mission-review")
    submit(association, f"/org/{slug}/missions/{mission_id}/approve")
    submit(volunteer, f"/me/missions/{mission_id}/complete")
    association.goto(f"/org/{slug}/missions/{mission_id}")
    submit(association, f"/org/{slug}/missions/{mission_id}/complete")
    check(association, locale, "mission-completed")

    # The association is not verified yet: the badge waits for a platform admin, who checks
    # its RNA number and verifies it.
    volunteer.goto(mission_path)
    expect(volunteer.locator(".notice", has_text=texts["waits"])).to_be_visible()
    admin = new_page(browser, live_server, locale)
    sign_up(admin, locale, "volunteer", f"Admin {run}", f"admin-{run}@example.org")
    grant_admin(live_settings, f"admin-{run}@example.org")
    admin.goto("/admin/associations")
    check(admin, locale, "admin-associations")
    row = admin.locator("tr", has_text=f"Association Asso {run}")
    expect(row).to_contain_text("W751234567")
    with admin.expect_navigation():
        row.locator("button[type=submit]").first.click()
    expect(admin.locator(".notice")).to_contain_text("1")

    # The volunteer downloads the baked badge; the verifier page verifies it.
    volunteer.goto("/me/credentials")
    check(volunteer, locale, "credentials")
    with volunteer.expect_download() as download:
        volunteer.locator("a[href$='.png'][download]").first.click()
    badge = Path(download.value.path())
    assert badge.read_bytes().startswith(b"\x89PNG")
    verifier = new_page(browser, live_server, locale)
    verifier.goto("/verify")
    check(verifier, locale, "verify")
    verifier.set_input_files("input[name=file]", str(badge))
    verifier.fill("input[name=email]", f"vol-{run}@example.org")
    submit(verifier, "/verify")
    check(verifier, locale, "verify-result")
    expect(verifier.locator(".verdict")).to_contain_text(texts["valid"])
    credential_link = volunteer.locator("a[href*='/credentials/']").first.get_attribute("href")
    assert credential_link is not None
    verifier.goto(credential_link)
    check(verifier, locale, "credential-page")
    verifier.goto(f"/organisations/{slug}")  # the association the badge names
    check(verifier, locale, "organisation-public")
    expect(verifier.locator("main a[href^='/needs/']")).to_have_count(2)
    verifier.goto("/frameworks/ecf/4.0/B.1/e-2")  # where the badge's alignments point
    check(verifier, locale, "competence-page")
    verifier.goto("/needs/999999999")
    check(verifier, locale, "not-found")

    # The association revokes it; the verifier says so.
    association.goto(f"/org/{slug}/missions/{mission_id}")
    association.locator("details summary", has_text=re.compile("badge", re.I)).last.click()
    association.fill("input[name=reason_text]", "test")
    submit(association, f"/org/{slug}/missions/{mission_id}/revoke")
    verifier.goto("/verify")
    verifier.set_input_files("input[name=file]", str(badge))
    submit(verifier, "/verify")
    expect(verifier.locator(".verdict")).to_contain_text(texts["revoked"])


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Presses Tab until the element focused is the one the selector names."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_association_and_verifier_with_the_keyboard_alone(
    live_server: str, browser: Browser, locale: str
) -> None:
    run = uuid.uuid4().hex[:6]
    page = new_page(browser, live_server, locale)
    page.goto("/signup")
    tab_to(page, 'a[href="/signup?role=association"]')  # the role first
    with page.expect_navigation():
        page.keyboard.press("Enter")
    type_into(page, "input[name=display_name]", f"Key {run}")
    type_into(page, "input[name=email]", f"key-{run}@example.org")
    type_into(page, "input[name=password]", "a long enough password")
    type_into(page, "input[name=association_name]", f"Clavier {run}")
    type_into(page, "input[name=city]", "Lille")
    type_into(page, "input[name=country]", "FR")
    tab_to(page, "select[name=identifier_kind]")
    page.keyboard.press("ArrowDown")  # the first kind: an RNA number
    type_into(page, "input[name=identifier]", "W751234567")
    tab_to(page, 'form[action="/signup"] [type=submit]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    slug = association_slug(page)
    page.goto(f"/org/{slug}")
    tab_to(page, f'a[href="/org/{slug}/needs/new"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, 'input[name=template][value=""]')  # the common needs, then the text
    for _ in range(4):  # none, website, members database, newsletter, GDPR
        page.keyboard.press("ArrowDown")
    assert page.locator('input[name=template][value="gdpr"]').is_checked()
    type_into(page, "textarea[name=story]", "Nous voulons former deux bénévoles au RGPD.")
    tab_to(page, f'form[action="/org/{slug}/needs/propose"] [type=submit]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=title]")
    page.keyboard.type(f"RGPD {run}")
    tab_to(page, f'input[name=languages][value="{locale}"]')
    if not page.locator(f'input[name=languages][value="{locale}"]').is_checked():
        page.keyboard.press("Space")
    tab_to(page, f'form[action="/org/{slug}/needs"] [type=submit]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"RGPD {run}")

    verifier = new_page(browser, live_server, locale)
    verifier.goto("/verify")
    type_into(verifier, "textarea[name=badge]", "eyJhbGciOiJub25lIn0.eyJ0eXBlIjpbXX0.")
    tab_to(verifier, 'form[action="/verify"] [type=submit]')
    with verifier.expect_navigation():
        verifier.keyboard.press("Enter")
    expect(verifier.locator(".verdict")).to_be_visible()
    check(verifier, locale, "verify-keyboard")
