"""Shared fixtures: one migrated database per backend per test run, one rolled-back
transaction per test, the real reference data loaded once."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

import models
from api import create_app
from api.deps import get_session
from config import REPOSITORY, Environment, Settings, get_settings
from matching import embedders
from matching.embedders import SentenceTransformerEmbedder
from services import schema
from services.credentials import verification
from services.reference import loading
from services.runtime import get_engine, get_pool
from tests.databases import BACKENDS, fresh_database

DATA_DIR = REPOSITORY / "data"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(backend, tmp_path_factory.mktemp(backend)) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Built by the migrations (not create_all), with the real reference data, committed."""
    engine = models.make_engine(database_url)
    schema.upgrade(engine)
    with Session(engine) as session:
        loading.load_reference_data(session, DATA_DIR)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Commits inside the test land in a SAVEPOINT; the outer transaction is rolled back."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            yield session
        transaction.rollback()


@pytest.fixture(autouse=True)
def _fresh_vector_pools() -> Iterator[None]:
    """Each test has its own rows: no vector pool nor kept key set outlives it."""
    yield
    get_pool.cache_clear()
    verification.forget_key_sets()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        env=Environment.TEST,
        var_dir=tmp_path / "var",
        data_dir=DATA_DIR,
        database_url=database_url,
        public_base_url="https://probono.test",
    )


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real multilingual model, built by `make test` before pytest, loaded once."""
    spec = embedders.model_spec("multilingual-e5-small")
    return SentenceTransformerEmbedder(spec, Settings().model_cache_dir)


@pytest.fixture
def client(session: Session, settings: Settings) -> Iterator[TestClient]:
    """The app over the test's session and settings (its own lifespan loads the model)."""
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def cli_database(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        monkeypatch.setenv("PROBONO_DATABASE_URL", url)
        monkeypatch.setenv("PROBONO_VAR_DIR", str(tmp_path / "var"))
        get_settings.cache_clear()
        get_engine.cache_clear()
        yield url
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()
