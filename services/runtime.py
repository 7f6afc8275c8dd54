"""The process's shared resources, each built once from its settings: the database engine,
the embedding model, the competence suggester, the places and the vector pools.

With the CLI commands and `api.app.create_app`, the one place that reads
`config.get_settings()`; use-cases are given the settings they need."""

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from config import get_settings
from matching import embedders, frameworks
from matching.competences import CompetenceSuggester
from matching.constraints import Nearby
from matching.ecf_model import framework_texts, load_bank
from matching.embedders import Embedder, ModelUnavailable
from matching.esco import load_esco
from matching.scoping import Scoper, load_common_needs
from models import make_engine
from models.queries.embeddings import Owner
from services.ranking.vector_pool import VectorPool


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


def model_state() -> tuple[bool, str]:
    """Whether the embedding model can serve, and in words: loaded, ready to load on first
    use, or not built (without loading it: a health check stays fast)."""
    settings = get_settings()
    try:
        spec = embedders.model_spec(settings.embedding_model)
    except ModelUnavailable as exc:
        return False, str(exc)
    if get_embedder.cache_info().currsize:
        return True, f"{spec.name} loaded ({spec.version})"
    if spec.built(settings.model_cache_dir):
        return True, f"{spec.name} ready, loaded on first use ({spec.version})"
    return False, f"{spec.name} is not built: run `probono model build`"


def current_engine() -> Engine:
    """The engine, once the database is known to be at the current schema."""
    from services import schema

    engine = get_engine()
    schema.ensure_current(engine)
    return engine


@lru_cache
def get_suggester() -> CompetenceSuggester:
    """The competence suggester over the configured model, fitted once per process."""
    settings = get_settings()
    data = settings.data_dir
    ecf = frameworks.load_ecf(data)
    return CompetenceSuggester(
        get_embedder(),
        ecf=ecf,
        esco=load_esco(data),
        digcomp=frameworks.load_digcomp(data),
        bank=load_bank(data, ecf) + framework_texts(ecf),
        cache_dir=settings.model_cache_dir / "vectors",  # built with the model, shared
    ).fit()


@lru_cache
def get_nearby() -> Nearby:
    """The cities' other names and the cities close enough for hybrid missions (data/places/)."""
    places = get_settings().data_dir / "places"
    return Nearby.load(places / "nearby_cities.json", places / "city_aliases.json")


@lru_cache
def get_pool(owner: Owner, model: str) -> VectorPool:
    """This process's pool of one owner's vectors for one model."""
    settings = get_settings()
    return VectorPool(
        owner, model, exact_limit=settings.exact_search_limit, folder=settings.var_dir / "index"
    )


@lru_cache
def get_scoper() -> Scoper:
    """The scoping assistant's reader of common needs, its examples encoded once."""
    return Scoper(get_embedder(), load_common_needs(get_settings().data_dir))
