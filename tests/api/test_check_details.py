"""The verifier's check details as the pages say them: in the page's language, the badge's
content escaped, a library's English marked as English; and every detail translated."""

import ast
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from markupsafe import Markup
from sqlmodel import Session

from api.web import i18n
from api.web.check_details import check_detail
from badges.report import Check, Findings
from badges.verify_ob2 import check_properties
from config import REPOSITORY, Settings
from services.credentials import issuance, verification
from tests import webforms
from tests.factories import cast, completed

NOT_IN_KEY_SET = "the key %(kid)s is not in the issuer's key set %(url)s"
KEY_SET = "https://issuer.example/.well-known/jwks.json"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FINDINGS = {"passed", "failed", "warning", "skipped"}


@contextmanager
def page_in(locale: str) -> Iterator[None]:
    token = i18n.current.set(locale)
    try:
        yield
    finally:
        i18n.current.reset(token)


def _said(check: Check, locale: str) -> Markup:
    with page_in(locale):
        return check_detail(check)


def _one(template: str, **params: str) -> Check:
    found = Findings()
    found.failed("key provenance", template, **params)
    return found.checks[0]


def test_a_check_says_its_detail_in_the_pages_language() -> None:
    check = _one(NOT_IN_KEY_SET, kid="k-1", url=KEY_SET)
    assert check.message == f"the key k-1 is not in the issuer's key set {KEY_SET}"  # API, CLI
    assert unescape(_said(check, "en")) == check.message
    french = _said(check, "fr")
    assert unescape(french) == f"la clé k-1 n'est pas dans le jeu de clés de l'émetteur {KEY_SET}"
    assert "lang=" not in french


def test_a_library_s_english_is_marked_and_the_badge_s_content_escaped() -> None:
    check = _one(
        "the signing key %(kid)s cannot be read: %(error)s",
        kid="<script>alert(1)</script>",
        error="<img src=x onerror=alert(1)> Expecting value: line 1 column 1",
    )
    french = _said(check, "fr")
    assert "<script>" not in french
    assert "<img" not in french
    assert french.startswith("la clé de signature &lt;script&gt;alert(1)&lt;/script&gt; est")
    assert french.endswith(
        ' : <span lang="en">&lt;img src=x onerror=alert(1)&gt; Expecting value: line 1 '
        "column 1</span>"
    )


def test_dates_are_written_for_the_page_and_several_findings_each_translated() -> None:
    found = Findings()
    found.passed(
        "validity dates",
        "valid from %(start_date)s, with no end date",
        start_date="2026-03-01T09:30:00Z",
    )
    check_properties({"type": "Badge"}, found)
    dates, properties = found.checks
    assert dates.message == "valid from 2026-03-01T09:30:00Z, with no end date"
    assert _said(dates, "fr").startswith("valide à partir du 1 mars 2026")
    assert properties.message == (
        "missing id, recipient, badge, verification, issuedOn; type is not Assertion"
    )
    assert unescape(_said(properties, "fr")) == (
        "manquant : id, recipient, badge, verification, issuedOn; le type n'est pas Assertion"
    )


def _templates_in_code() -> list[tuple[str, int, ast.expr]]:
    """Every template handed to a finding (`found.failed(name, template, …)`, `detail(…)`)."""
    found = []
    for path in sorted((REPOSITORY / "badges").glob("*.py")):
        if path.name == "report.py":  # where the findings are defined, from variables
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in FINDINGS and len(node.args) > 1:
                found.append((path.name, node.lineno, node.args[1]))
            elif isinstance(func, ast.Name) and func.id == "detail" and node.args:
                found.append((path.name, node.lineno, node.args[0]))
    return found


def test_every_check_detail_is_extracted_and_translated_into_french() -> None:
    in_code = _templates_in_code()
    computed = [(f, line) for f, line, arg in in_code if not isinstance(arg, ast.Constant)]
    assert computed == [], "a template must be a literal, or pybabel cannot extract it"
    with (REPOSITORY / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)  # type: ignore[no-untyped-call]
    extracted = {
        str(message)
        for filename, _, message, _, _ in extract_from_dir(REPOSITORY, method_map, options_map)
        if filename.startswith("badges/")
    }
    assert extracted == {arg.value for _, _, arg in in_code if isinstance(arg, ast.Constant)}
    assert NOT_IN_KEY_SET in extracted
    with (i18n.FOLDER / "messages.pot").open("rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    with (i18n.FOLDER / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        french = {str(m.id): str(m.string) for m in read_po(file) if m.id}
    assert sorted(extracted - template) == [], "run pybabel extract (babel.cfg)"
    untranslated = sorted(m for m in extracted if not french.get(m))
    assert untranslated == []
    assert [
        m
        for m in extracted
        if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(french[m]))
    ] == []


def test_the_credential_page_says_every_check_in_french(
    client: TestClient, session: Session, settings: Settings
) -> None:
    credential = completed(session, settings, cast(session))
    page = client.get(f"/credentials/{credential.id}", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", page.text, flags=re.S)
    assert len(rows) >= 8
    assert all("<td lang=" not in row for row in rows)
    text = unescape(page.text)
    assert "vérifiée avec la clé de l'émetteur" in text
    assert "chaque terme est défini par les contextes publiés" in text
    assert "verified with the issuer's key" not in text


def test_a_badge_that_fails_its_checks_shows_its_claims_apart_as_unverified(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """An unsigned forgery's name, issuer and competences are not shown as its content; a
    revoked badge's are (they are authentic, only withdrawn)."""
    credential = completed(session, settings, cast(session))
    header, payload, signature = credential.ob3_jwt.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"  # the same claims, a broken signature
    people = cast(session)
    revoked = completed(session, settings, people)
    issuance.revoke(session, people.member, revoked.id, "an error")
    cases = ((credential.ob3_jwt, True), (forged, False), (revoked.ob3_jwt, True))
    for badge, valid in cases:
        page = webforms.post(client, "/verify", {"badge": badge}, headers={"Accept-Language": "fr"})
        assert page.status_code == 200
        text = unescape(page.text)
        assert ("Ce que le badge dit de lui-même, non vérifié" in text) is not valid
        assert ('class="facts unverified"' in page.text) is not valid


def test_a_genuine_badge_for_another_address_or_an_old_ob2_copy_says_so(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """Not issued to the address given: genuine, said as such, its claims shown as its
    content. An OB 2.0 signed copy from before a key rotation: a genuine old copy, to be
    downloaded again, not a forgery."""
    people = cast(session)
    credential = completed(session, settings, people)
    old_copy = credential.ob2_jws
    page = webforms.post(
        client,
        "/verify",
        {"badge": credential.ob3_jwt, "email": "someone.else@example.org"},
        headers={"Accept-Language": "fr"},
    )
    text = unescape(page.text)
    assert "Ce badge est authentique, mais il n'a pas été délivré à cette adresse e-mail." in text
    assert 'class="facts unverified"' not in page.text
    admin = people.member.__class__(**{**people.member.__dict__, "is_admin": True})
    issuance.rotate_keys(session, settings, admin, credential.issuer_id)
    report = verification.verify_badge(session, settings, old_copy)
    assert report.superseded
    assert not report.valid
    page = webforms.post(client, "/verify", {"badge": old_copy}, headers={"Accept-Language": "en"})
    text = unescape(page.text)
    assert "This is an old copy of a genuine badge" in text
    assert "a key its issuer has since replaced" in text
    assert 'class="facts unverified"' not in page.text
    forged = old_copy.rsplit(".", 1)[0] + ".AAAA"
    assert not verification.verify_badge(session, settings, forged).superseded
