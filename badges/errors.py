"""Errors of the Open Badges domain, each with a message a person can read."""

from errors import ProbonoError


class BadgeError(ProbonoError):
    """Base of every error raised by `badges`."""


class InvalidBadge(BadgeError):
    """Input that is not a well-formed badge: not JSON, not a JWT, a broken image."""


class BakingError(InvalidBadge):
    """An image that cannot carry or give back a badge (not a PNG/SVG, no badge inside)."""


class SigningKeyError(BadgeError):
    """A signing key that cannot be created, read or decrypted."""
