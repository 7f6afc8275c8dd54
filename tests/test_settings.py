import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from config import Environment, Settings


def test_production_refuses_to_start_without_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROBONO_SECRET_KEY", raising=False)
    monkeypatch.delenv("PROBONO_KEY_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ValidationError) as caught:
        Settings(env=Environment.PRODUCTION, _env_file=None)
    message = str(caught.value)
    assert "PROBONO_SECRET_KEY" in message
    assert "PROBONO_KEY_ENCRYPTION_KEY" in message


def test_production_starts_with_its_secrets() -> None:
    key = secrets.token_urlsafe(32)
    settings = Settings(
        env=Environment.PRODUCTION,
        secret_key=SecretStr(key),
        key_encryption_key=SecretStr(secrets.token_hex(32)),
        _env_file=None,
    )
    assert settings.secret("secret_key").get_secret_value() == key


@pytest.mark.parametrize("weak", ["x", "s" * 64, "abcd" * 20, "correct horse battery"])
def test_production_refuses_a_weak_secret(weak: str) -> None:
    with pytest.raises(ValidationError, match=r"PROBONO_SECRET_KEY .* is too weak"):
        Settings(
            env=Environment.PRODUCTION,
            secret_key=SecretStr(weak),
            key_encryption_key=SecretStr(secrets.token_urlsafe(32)),
            _env_file=None,
        )


def test_serving_in_production_with_one_character_secrets_is_refused(tmp_path: Path) -> None:
    env = os.environ | {
        "PROBONO_ENV": "production",
        "PROBONO_SECRET_KEY": "x",
        "PROBONO_KEY_ENCRYPTION_KEY": "y",
        "PROBONO_VAR_DIR": str(tmp_path),
    }
    refused = subprocess.run(
        [str(Path(sys.executable).parent / "probono"), "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "PROBONO_SECRET_KEY (signs sessions and tokens) is too weak" in refused.stderr
    assert "PROBONO_KEY_ENCRYPTION_KEY" in refused.stderr
    assert "secrets.token_urlsafe(32)" in refused.stderr


def test_development_generates_a_secret_once_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(env=Environment.DEVELOPMENT, var_dir=tmp_path, _env_file=None)
    first = settings.secret("secret_key").get_secret_value()
    assert "generated a development secret" in caplog.text
    assert len(first) >= 40
    assert settings.secret("secret_key").get_secret_value() == first  # kept across restarts
    assert (tmp_path / "secrets" / "secret_key").stat().st_mode & 0o077 == 0


def test_database_defaults_to_sqlite_in_var_dir(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, _env_file=None)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'probono.db'}"


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBONO_DATABASE_URL", "postgresql://postgres@db:5432/probono")
    assert Settings(_env_file=None).resolved_database_url.startswith("postgresql://")
