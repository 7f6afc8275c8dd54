"""The HTTP API (FastAPI): transport only, over the use-cases of `missions`."""

from api.app import API_PREFIX, create_app

__all__ = ["API_PREFIX", "create_app"]
