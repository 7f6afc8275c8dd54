"""Issuers' key sets as a verifier fetched them, kept a few minutes as JOSE clients do
(pyjwt's PyJWKClient keeps a set 300 s): verifying many badges of one issuer does not fetch
and parse its JWKS each time. A kid the kept set does not know makes it fetch again once, so
a key added by a rotation is found at once."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from badges.errors import SigningKeyError
from badges.keys import VerifyingKey, verifying_key
from badges.report import FetchError, Resolver

TTL = 300.0  # seconds


@dataclass
class Published:
    """A key as its issuer publishes it; turned into a public key object when first used."""

    jwk: dict[str, Any]
    _key: VerifyingKey | None = None
    problem: str | None = None

    @property
    def key(self) -> VerifyingKey | None:
        """None when the published JWK is not a usable public key (`problem` says why)."""
        if self._key is None and self.problem is None:
            try:
                self._key = verifying_key(self.jwk)
            except SigningKeyError as exc:
                self.problem = str(exc)
        return self._key


@dataclass
class _Set:
    fetched: float
    keys: dict[str, Published] = field(default_factory=dict)


@dataclass
class _Document:
    fetched: float
    body: Any
    keys: dict[str, Published] = field(default_factory=dict)  # JWKs read from it, by method


def _names(document: Any, method_id: str) -> bool:
    """Whether a DID document lists the method (as one of its methods or embedded)."""
    if not isinstance(document, dict):
        return False
    listed = [*(document.get("verificationMethod") or []), *(document.get("assertionMethod") or [])]
    return any(m == method_id or (isinstance(m, dict) and m.get("id") == method_id) for m in listed)


class KeySets:
    def __init__(self, *, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._sets: dict[str, _Set] = {}
        self._documents: dict[str, _Document] = {}
        self._lock = threading.Lock()

    def document(
        self, url: str, wanted: str, resolver: Resolver, *, accept: str
    ) -> tuple[Any, dict[str, Published]]:
        """An issuer's DID document, kept as key sets are; fetched again when it does not name
        `wanted` (a key added by a rotation is found at once). With it, the JWKs already read
        from it (the caller adds to them).

        Raises:
            FetchError: the document cannot be fetched or read."""
        with self._lock:
            kept = self._documents.get(url)
        if kept is None or self.clock() - kept.fetched > self.ttl or not _names(kept.body, wanted):
            fetched = resolver.fetch(url, accept=accept)
            if fetched.status != 200:
                raise FetchError(f"the DID document {url} answered HTTP {fetched.status}")
            kept = _Document(self.clock(), fetched.json())
            with self._lock:
                self._documents[url] = kept
        return kept.body, kept.keys

    def find(self, url: str, kid: str, resolver: Resolver) -> Published | None:
        """The key `kid` of the set at `url`, or None if the set does not list it.

        Raises:
            FetchError: the set cannot be fetched or read.
        """
        with self._lock:
            kept = self._sets.get(url)
        if kept is None or self.clock() - kept.fetched > self.ttl or kid not in kept.keys:
            kept = self._fetch(url, resolver)
        return kept.keys.get(kid)

    def _fetch(self, url: str, resolver: Resolver) -> _Set:
        fetched = resolver.fetch(url, accept="application/jwk-set+json")
        if fetched.status != 200:
            raise FetchError(f"{url} answered HTTP {fetched.status}")
        document = fetched.json()
        listed = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(listed, list):
            raise FetchError(f"{url} is not a JWK set")
        kept = _Set(self.clock())
        for jwk in listed:
            if isinstance(jwk, dict) and isinstance(jwk.get("kid"), str):
                kept.keys[jwk["kid"]] = Published(jwk)
        with self._lock:
            self._sets[url] = kept
        return kept

    def clear(self) -> None:
        with self._lock:
            self._sets.clear()
            self._documents.clear()
