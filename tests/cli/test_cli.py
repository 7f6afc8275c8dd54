"""The `probono` command end to end on a real database file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from cli import main
from config import get_settings
from models import queries
from services.credentials import publication
from services.people import accounts
from services.runtime import get_engine
from tests import factories


def test_init_import_export(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "esco-1.1.1: loaded (13412 competences)" in out
    assert "demo data loaded: 20 organisations, 200 volunteers, 60 needs" in out
    assert "demo costs loaded: 4 companies" in out
    password = (tmp_path / "var" / "secrets" / "demo_password").read_text().strip()
    assert f"password in {tmp_path / 'var' / 'secrets' / 'demo_password'}" in out
    with Session(get_engine()) as session:
        signed = accounts.sign_in(
            session,
            email="fondation-estuaire-solidaire.1@example.org",
            password=password,
            address="127.0.0.1",
        )
        assert signed.token

    assert main(["init"]) == 0  # a second run reuses everything
    assert "demo data already loaded" in capsys.readouterr().out

    needs = tmp_path / "needs.jsonl"
    good = {
        "association": "",
        "ref": "x1",
        "title": "Refaire notre site",
        "description": "Le site est lent.",
        "hours_estimate": 25,
        "work_mode": "remote",
        "languages": ["fr"],
        "competences": ["ecf:B.1:e-2"],
    }
    assert main(["export", "needs", "-o", str(tmp_path / "all.jsonl")]) == 0
    association = json.loads((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()[0])[
        "association"
    ]
    good["association"] = association
    needs.write_text(
        json.dumps(good) + "\n" + json.dumps(good | {"ref": "x2", "hours_estimate": 0}) + "\n",
        encoding="utf-8",
    )
    assert main(["import", "needs", str(needs)]) == 1
    captured = capsys.readouterr()
    assert "needs: 1 created, 0 updated, 0 unchanged, 1 errors" in captured.out
    assert f"{needs}:line 2, field hours_estimate:" in captured.err
    assert main(["import", "needs", str(needs)]) == 1
    assert "needs: 0 created, 0 updated, 1 unchanged, 1 errors" in capsys.readouterr().out

    assert main(["export", "volunteers", "--format", "csv", "-o", str(tmp_path / "v.csv")]) == 0
    lines = (tmp_path / "v.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("email,display_name,headline,about,languages")
    assert len(lines) == 201


def test_a_missing_file_is_a_clear_error(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "needs", "/nonexistent/needs.csv"]) == 1
    assert capsys.readouterr().err.strip() == "error: no such file: /nonexistent/needs.csv"


def test_the_installed_entry_point_runs() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "probono"), "--help"],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    assert result.returncode == 0
    for command in ("migrate", "reference", "demo", "import", "export", "serve"):
        assert command in result.stdout


def test_production_without_secrets_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PROBONO_ENV", "production")
    monkeypatch.delenv("PROBONO_SECRET_KEY", raising=False)
    monkeypatch.delenv("PROBONO_KEY_ENCRYPTION_KEY", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["serve"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("error: invalid configuration: ")
    assert "PROBONO_SECRET_KEY" in err
    assert "Traceback" not in err


@pytest.mark.model
def test_skills_suggest_reads_and_writes_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "texts.jsonl"
    source.write_text(
        json.dumps({"id": "fr", "text": "Nous cherchons quelqu'un pour refaire notre site web."})
        + "\n{broken\n"
        + json.dumps({"id": "en", "text": "I set up CRM databases for charities."})
        + "\n",
        encoding="utf-8",
    )
    assert main(["skills", "suggest", str(source), "--top-k", "10"]) == 1  # one bad line
    captured = capsys.readouterr()
    assert "line 2: not a UTF-8 JSON object" in captured.err
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["id"] for line in lines] == ["fr", "en"]
    for line in lines:
        assert len(line["ecf"]) == 10
        assert len(line["esco"]) == 10
        assert {"code", "level", "score"} <= set(line["ecf"][0])
        assert {"uri", "label", "score"} <= set(line["esco"][0])


@pytest.mark.model
def test_match_both_ways_on_the_demo_data(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    assert main(["embed"]) == 0
    capsys.readouterr()
    assert main(["match", "need", "1", "--top-k", "3", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert 1 <= len(lines) <= 3
    assert all(0 < m["score"] <= 1 and not m["explanation"]["exclusions"] for m in lines)
    assert [m["score"] for m in lines] == sorted((m["score"] for m in lines), reverse=True)
    volunteer = lines[0]["profile_id"]
    assert main(["match", "volunteer", str(volunteer), "--include-excluded"]) == 0
    text = capsys.readouterr().out
    assert text.lstrip().startswith("1. ")
    assert "semantic" in text
    assert "coverage" in text
    assert main(["match", "volunteer", "999999"]) == 1
    assert "no volunteer profile 999999" in capsys.readouterr().err
    assert main(["match", "need", "1", "--top-k", "0"]) == 2


def test_mission_to_badge_and_verify_from_the_command_line(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--no-demo"]) == 0
    with Session(get_engine(), expire_on_commit=False) as session:
        people = factories.cast(session)
        admin = factories.make_account(session, is_platform_admin=True)
        session.commit()
        volunteer, member, need = people.volunteer_email, people.member.email, people.need_id
    capsys.readouterr()
    assert main(["mission", "apply", str(need), "--as", volunteer]) == 0
    mission = capsys.readouterr().out.split()[1].rstrip(":")
    for actor, action in ((member, "accept"), (volunteer, "start")):
        assert main(["mission", action, mission, "--as", actor]) == 0
    assert main(["mission", "hours", mission, "3.5", "--as", volunteer]) == 0
    hours_id = capsys.readouterr().out.split("hours ")[-1].split(":")[0]
    assert main(["mission", "approve", mission, hours_id, "--as", member]) == 0
    assert main(["mission", "complete", mission, "--as", volunteer]) == 0
    assert "waiting for the other side" in capsys.readouterr().out
    assert main(["mission", "complete", mission, "--as", member, "--assess", "ecf:B.1:e-3"]) == 0
    completed = capsys.readouterr().out
    assert "completed" in completed
    credential_id = completed.split("credential ")[1].split()[0]

    with Session(get_engine()) as session:
        found = queries.credentials.get_credential(session, credential_id)
        png = publication.serve(session, get_settings(), f"/credentials/{credential_id}.png")
        token = found.ob3_jwt
    (tmp_path / "badge.png").write_bytes(png.body)
    assert main(["verify", str(tmp_path / "badge.png"), "--email", volunteer]) == 0
    report = capsys.readouterr().out
    assert report.startswith("Valid")
    assert "[ok  ] signature" in report
    assert main(["verify", token]) == 0
    assert main(["keys", "rotate", "1", "--as", admin.email]) == 0
    assert main(["verify", token]) == 0  # signed by a key now retired
    capsys.readouterr()
    assert main(["credential", "revoke", credential_id, "--reason", "test", "--as", member]) == 0
    assert main(["verify", token]) == 1
    assert "REVOKED" in capsys.readouterr().out
    assert main(["verify", str(tmp_path / "missing.png")]) == 1
    assert "no such file" in capsys.readouterr().err
