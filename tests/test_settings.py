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
    settings = Settings(
        env=Environment.PRODUCTION,
        secret_key=SecretStr("s" * 40),
        key_encryption_key=SecretStr("k" * 40),
        _env_file=None,
    )
    assert settings.secret("secret_key").get_secret_value() == "s" * 40


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
