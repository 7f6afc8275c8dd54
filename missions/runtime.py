"""The process-wide database engine, built once from the settings."""

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from config import get_settings
from matching import embedders, frameworks
from matching.competences import CompetenceSuggester
from matching.constraints import Nearby
from matching.embedders import Embedder
from matching.esco import load_esco
from matching.exemplars import load_exemplars
from models import make_engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    url = settings.resolved_database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return make_engine(url)
    return make_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )


@lru_cache
def get_embedder() -> Embedder:
    """The configured embedding model, loaded once per process.

    Raises:
        ModelUnavailable: the model is not built or cannot be loaded (said clearly, never
            replaced by a weaker model behind the user's back).
    """
    settings = get_settings()
    spec = embedders.model_spec(settings.embedding_model)
    return embedders.SentenceTransformerEmbedder(spec, settings.model_cache_dir)


def current_engine() -> Engine:
    """The engine, once the database is known to be at the current schema."""
    from missions import schema

    engine = get_engine()
    schema.ensure_current(engine)
    return engine


@lru_cache
def get_suggester() -> CompetenceSuggester:
    """The competence suggester over the configured model, fitted once per process."""
    settings = get_settings()
    data = settings.data_dir
    return CompetenceSuggester(
        get_embedder(),
        ecf=frameworks.load_ecf(data),
        esco=load_esco(data),
        digcomp=frameworks.load_digcomp(data),
        exemplars=load_exemplars(data),
        cache_dir=settings.model_cache_dir / "vectors",  # built with the model, shared
    ).fit()


@lru_cache
def get_nearby() -> Nearby:
    """The cities close enough for hybrid missions (data/places/nearby_cities.json)."""
    return Nearby.load(get_settings().data_dir / "places" / "nearby_cities.json")
