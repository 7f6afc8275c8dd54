"""`probono export` / `probono restore` of the whole database: a round trip on each backend
gives back every row of every table, keys included (still encrypted), credentials that still
verify, and ids that continue; a bad file or a database that is not empty is refused whole."""

import gzip
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlmodel import Session, SQLModel, select

import models
from cli import main
from config import Environment, Settings, get_settings
from models import Credential, InvalidData, SigningKey
from services import backup, schema
from services.credentials import issuers, verification
from services.credentials.urls import PublicUrls
from services.reference import loading
from services.runtime import get_engine
from tests import factories
from tests.conftest import DATA_DIR
from tests.databases import fresh_database

KEK = "a key-encryption key for the backup tests"


def _everything(engine: sa.Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in SQLModel.metadata.sorted_tables
        }


@pytest.fixture
def source(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, Settings, str]:
    """A database with people, a completed mission, its credential and the issuer's keys,
    as the `probono` commands see it (environment)."""
    monkeypatch.setenv("PROBONO_KEY_ENCRYPTION_KEY", KEK)
    monkeypatch.setenv("PROBONO_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PROBONO_PUBLIC_BASE_URL", "https://backup.test")
    settings = Settings(
        env=Environment.TEST,
        var_dir=tmp_path / "var",
        data_dir=DATA_DIR,
        public_base_url="https://backup.test",
        key_encryption_key=SecretStr(KEK),
    )
    return backend, settings, str(tmp_path)


def _filled(url: str, settings: Settings) -> tuple[sa.Engine, Credential]:
    """The database at `url`, migrated, with the reference data and one completed mission
    (its credential and the issuer's keys)."""
    engine = models.make_engine(url)
    schema.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        loading.load_reference_data(session, DATA_DIR)
        credential = factories.completed(session, settings, factories.cast(session))
        session.commit()
    return engine, credential


def _use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("PROBONO_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_round_trip(
    source: tuple[str, Settings, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backend, settings, _ = source
    backup_file = tmp_path / "probono.backup.gz"
    with fresh_database(backend, tmp_path) as first, fresh_database(backend, tmp_path) as second:
        engine, credential = _filled(first, settings)
        before = _everything(engine)
        assert before[SigningKey.__tablename__], "the issuer's keys are in the backup"

        _use(monkeypatch, first)
        assert main(["export", "-o", str(backup_file)]) == 0
        assert "rows" in capsys.readouterr().out
        _use(monkeypatch, second)
        assert main(["restore", str(backup_file)]) == 0
        assert "restored" in capsys.readouterr().out

        restored = models.make_engine(second)
        assert _everything(restored) == before  # every row of every table, keys encrypted
        with Session(restored) as session:
            report = verification.verify_badge(session, settings, credential.ob3_jwt)
            assert report.valid, report
            # Ids continue after the restored ones (PostgreSQL sequences).
            factories.completed(session, settings, factories.cast(session))
            session.commit()

        # A second restore into the now filled database is refused, and changes nothing.
        filled = _everything(restored)
        assert main(["restore", str(backup_file)]) == 1
        assert "restore needs an empty database" in capsys.readouterr().err
        assert _everything(restored) == filled
        engine.dispose()
        restored.dispose()
        get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_a_cut_or_foreign_file_is_refused_and_nothing_is_written(
    source: tuple[str, Settings, str], tmp_path: Path
) -> None:
    backend, settings, _ = source
    with fresh_database(backend, tmp_path) as first, fresh_database(backend, tmp_path) as second:
        engine, _ = _filled(first, settings)
        whole = tmp_path / "whole.gz"
        with whole.open("wb") as out:
            summary = backup.export_database(engine, out)
        assert summary.total > 1000  # the reference data is in

        lines = gzip.decompress(whole.read_bytes()).splitlines(keepends=True)
        cut = tmp_path / "cut.gz"
        cut.write_bytes(gzip.compress(b"".join(lines[: len(lines) // 2])))
        target = models.make_engine(second)
        for bad, says in (
            (cut, "cut short"),
            (tmp_path / "not.gz", "not a complete probono backup"),
            (tmp_path / "other.gz", "not a probono backup"),
        ):
            if bad.name == "not.gz":
                bad.write_bytes(b"plain text, not gzip")
            if bad.name == "other.gz":
                bad.write_bytes(gzip.compress(b'{"hello": "world"}\n'))
            with bad.open("rb") as handle, pytest.raises(InvalidData, match=says):
                backup.restore_database(target, settings, handle)
            counts = _everything(target)
            assert all(not rows for rows in counts.values()), "a refused restore wrote rows"
        engine.dispose()
        target.dispose()


def test_keys_kept_as_files_travel_in_the_backup(
    source: tuple[str, Settings, str], tmp_path: Path
) -> None:
    backend, base, _ = source
    settings = base.model_copy(
        update={"signing_key_store": "files", "signing_key_dir": tmp_path / "keys-here"}
    )
    elsewhere = base.model_copy(update={"signing_key_dir": tmp_path / "keys-there"})
    with fresh_database(backend, tmp_path) as first, fresh_database(backend, tmp_path) as second:
        engine, credential = _filled(first, settings)
        whole = tmp_path / "whole.gz"
        with whole.open("wb") as out:
            backup.export_database(engine, out)
        target = models.make_engine(second)
        with whole.open("rb") as handle:
            backup.restore_database(target, elsewhere, handle)
        with Session(target) as session:
            restored = session.exec(select(SigningKey)).all()
            assert restored
            for key in restored:
                path = Path(str(key.private_key_path))
                assert path.parent == tmp_path / "keys-there"
                assert path.read_text() == (tmp_path / "keys-here" / path.name).read_text()
                assert "ENCRYPTED" in path.read_text()  # still encrypted, as at rest
                assert issuers.private_key(
                    elsewhere, key, PublicUrls.of(elsewhere.public_base_url)
                )  # decrypts where it now lives
            assert verification.verify_badge(session, elsewhere, credential.ob3_jwt).valid
        engine.dispose()
        target.dispose()
