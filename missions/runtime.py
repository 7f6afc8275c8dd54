"""The process-wide database engine, built once from the settings."""

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from config import get_settings
from models import make_engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    url = settings.resolved_database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return make_engine(url)
    return make_engine(url, pool_size=settings.database_pool_size)
