"""Every select of the product lives in this package, one module per concern."""

from models.queries import organisations, profiles, reference

__all__ = ["organisations", "profiles", "reference"]
