"""Offline conformance checks: the 1EdTech JSON schema of OB 3.0 credentials, and JSON-LD
terms that no context defines (processors drop them silently, so a verifier that reads the
credential as linked data would not see them).

Contexts and the schema come from local copies (data/openbadges/, with their sha256); no
check ever fetches a document over the network.
"""

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator
from pyld import jsonld

from badges.errors import BadgeError
from badges.ob2 import OB2_CONTEXT
from badges.ob3 import EXTENSIONS_CONTEXT, OB3_CONTEXT, SCHEMA_URL, VC_CONTEXT

# The URLs each local file stands for (both OB 2.0 spellings map to the published context).
_FILES = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB3_CONTEXT: "ob-v3p0-3.0.3.json",
    EXTENSIONS_CONTEXT: "ob-v3p0-extensions.json",
    OB2_CONTEXT: "openbadges-v2.json",
    "https://openbadgespec.org/v2/context.json": "openbadges-v2.json",
    "https://w3id.org/openbadges/v1": "openbadges-v1.json",
    SCHEMA_URL: "ob_v3p0_achievementcredential_schema.json",
    SCHEMA_URL.replace("/schema/json/", "/schema/json-ld/"): (
        "ob_v3p0_achievementcredential_schema.json"
    ),
}


class UnknownDocument(BadgeError):
    """A context or schema the service has no local copy of (it never fetches one)."""


class Documents:
    """The local copies of the standards' documents, by the URL they stand for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, Any] = {}

    def get(self, url: str) -> Any:
        name = _FILES.get(url.split("#", 1)[0])
        if name is None:
            raise UnknownDocument(f"no local copy of {url} (documents are never fetched)")
        if name not in self._cache:
            self._cache[name] = json.loads((self.folder / name).read_text(encoding="utf-8"))
        return self._cache[name]

    def load(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """A pyld document loader over the local copies."""
        return {"contextUrl": None, "documentUrl": url, "document": self.get(url)}

    def _validator(self, url: str) -> Draft201909Validator:
        key = f"validator:{_FILES[url]}"
        if key not in self._cache:
            self._cache[key] = Draft201909Validator(
                self.get(url), format_checker=Draft201909Validator.FORMAT_CHECKER
            )
        validator: Draft201909Validator = self._cache[key]
        return validator

    def schema_errors(self, credential: dict[str, Any], schema: str = SCHEMA_URL) -> list[str]:
        """What the schema (by default the OB 3.0 AchievementCredential one) refuses, each
        with where it is.

        Raises:
            UnknownDocument: a schema we have no local copy of.
        """
        if schema.split("#", 1)[0] not in _FILES:
            raise UnknownDocument(f"no local copy of the schema {schema}")
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in sorted(self._validator(schema).iter_errors(credential), key=lambda e: e.path)
        ]

    def undefined_terms(self, document: dict[str, Any]) -> list[str]:
        """Properties of the document that its contexts do not define, as paths.

        The document is expanded and compacted again with its own context: whatever a JSON-LD
        processor dropped on the way is missing from the result. Which terms a context defines
        depends on the properties, the types and the contexts, not on the other values: the
        answer is kept by that shape, so badges built alike are expanded once.

        Raises:
            BadgeError: the document is not valid JSON-LD, or names a context we have no copy of.
        """
        key = f"shape:{_shape(document)!r}"
        if key not in self._cache:
            self._cache[key] = self._undefined(document)
        found: list[str] = self._cache[key]
        return list(found)

    def _undefined(self, document: dict[str, Any]) -> list[str]:
        options = {"documentLoader": self.load}
        try:
            expanded = jsonld.expand(document, options)
            compacted = jsonld.compact(expanded, {"@context": document["@context"]}, options)
        except jsonld.JsonLdError as exc:
            cause = exc.cause if isinstance(exc.cause, BadgeError) else None
            raise cause or BadgeError(f"not valid JSON-LD: {exc}") from exc
        return sorted(set(_paths(document)) - set(_paths(compacted)))


def _shape(value: Any) -> Any:
    """What term definitions depend on: property names, `type` values and contexts."""
    if isinstance(value, list):
        return tuple(sorted({repr(_shape(item)) for item in value}))
    if isinstance(value, dict):
        return tuple(
            (key, repr(item) if key in ("@context", "type", "@type") else _shape(item))
            for key, item in sorted(value.items())
        )
    return None


def _paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every property path of a JSON value (array positions ignored), contexts left out."""
    if isinstance(value, list):
        for item in value:
            yield from _paths(item, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                continue
            path = f"{prefix}/{key}"
            yield path
            yield from _paths(item, path)


@lru_cache(maxsize=4)
def local(folder: Path) -> Documents:
    """The local copies in `folder`, parsed once per process."""
    return Documents(folder)
