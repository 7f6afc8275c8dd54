"""Badges name the service's address for years: a change of PROBONO_PUBLIC_BASE_URL is
refused until it is said on purpose, and then badges issued at the old address still verify,
here and for any verifier that reaches the old address."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from badges import did
from cli import main
from config import Settings, get_settings
from models import Credential, InvalidData
from services.credentials import addresses, publication, verification
from services.runtime import get_engine
from tests import factories
from tests.factories import cast, completed

OLD, NEW = "https://probono.test", "https://badges.example.org"


def _moved(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_base_url": NEW})


def test_another_address_is_refused_naming_both_and_the_command(
    session: Session, settings: Settings
) -> None:
    completed(session, settings, cast(session))
    with pytest.raises(InvalidData) as refused:
        addresses.check(session, _moved(settings))
    message = str(refused.value)
    assert f"published its badges at {OLD}" in message
    assert f"PROBONO_PUBLIC_BASE_URL is {NEW}" in message
    assert f"`probono issuers move-address {OLD} {NEW}`" in message
    with pytest.raises(InvalidData, match="not an address badges were published at"):
        addresses.move(session, "https://elsewhere.example", NEW)


def test_after_a_move_old_badges_verify_and_new_ones_name_the_new_address(
    session: Session, settings: Settings
) -> None:
    old = completed(session, settings, cast(session))
    addresses.move(session, OLD, NEW)
    moved = _moved(settings)
    addresses.check(session, moved)
    for form in (
        old.ob3_jwt,
        old.ob2_jws,
        f"{OLD}/ob2/assertions/{old.id}",
        f"{NEW}/credentials/{old.id}",
    ):
        report = verification.verify_badge(session, moved, form)
        assert report.valid, [c for c in report.checks if c.outcome == "failed"]
    new = completed(session, moved, cast(session))
    header = json.loads(publication.serve(session, moved, f"/credentials/{new.id}.json").body)
    assert header["issuer"]["id"].startswith(did.of_url(NEW) + ":issuers:")
    assert verification.verify_badge(session, moved, new.ob3_jwt).valid
    # The key set names its keys at the address it is read at: an old badge's verifier
    # reaching the old address finds the kid its badge names.
    at_old = json.loads(publication.serve(session, moved, "/.well-known/jwks.json", OLD).body)
    at_new = json.loads(publication.serve(session, moved, "/.well-known/jwks.json").body)
    assert all(k["kid"].startswith(f"{OLD}/keys/") for k in at_old["keys"])
    assert all(k["kid"].startswith(f"{NEW}/keys/") for k in at_new["keys"])


def test_documents_read_through_the_old_address_name_it(
    client: TestClient, session: Session, settings: Settings
) -> None:
    old = completed(session, settings, cast(session))
    addresses.move(session, OLD, NEW)
    client.app.state.settings = _moved(settings)  # type: ignore[attr-defined]
    issuer = f"/issuers/{old.issuer_id}"
    through_old = client.get(f"{OLD}{issuer}").json()
    through_new = client.get(f"{NEW}{issuer}").json()
    assert through_old["id"] == did.of_url(f"{OLD}{issuer}")
    assert through_new["id"] == did.of_url(f"{NEW}{issuer}")


def test_the_public_page_and_the_json_address_verify_the_badge(
    session: Session, settings: Settings
) -> None:
    credential: Credential = completed(session, settings, cast(session))
    for pasted in (
        f"{OLD}/credentials/{credential.id}",
        f"  {OLD}/credentials/{credential.id}.json ",
    ):
        report = verification.verify_badge(session, settings, pasted)
        assert report.valid, [c for c in report.checks if c.outcome == "failed"]
        assert report.version == "3.0"


def test_serve_refuses_then_move_address_lets_it_start(
    cli_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PROBONO_PUBLIC_BASE_URL", OLD)
    get_settings.cache_clear()
    assert main(["init", "--no-demo"]) == 0
    with Session(get_engine(), expire_on_commit=False) as session:
        completed(session, get_settings(), factories.cast(session))
    monkeypatch.setenv("PROBONO_PUBLIC_BASE_URL", NEW)
    get_settings.cache_clear()
    capsys.readouterr()
    assert main(["serve"]) == 1
    assert f"probono issuers move-address {OLD} {NEW}" in capsys.readouterr().err
    assert main(["issuers", "move-address", OLD, NEW]) == 0
    assert "stay verifiable" in capsys.readouterr().out
    assert main(["issuers", "addresses"]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == [OLD, f"{NEW} (PROBONO_PUBLIC_BASE_URL)"]
    with Session(get_engine()) as session:
        addresses.check(session, get_settings())  # `probono serve` starts past this point
