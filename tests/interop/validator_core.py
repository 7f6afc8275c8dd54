# mypy: ignore-errors
# (It runs under .venv-ob2, with 2017 libraries the project's stubs do not describe.)
"""Runs the IMS OB 2.0 validator (openbadges-validator-core 1.1.2) on one badge, offline.

Run by the tests with the interpreter of .venv-ob2 (its own pins): python validator_core.py
PUBLIC LOCAL INPUT [EMAIL], where INPUT is a URL, a file holding a JWS, or a baked PNG/SVG.
Requests to PUBLIC go to LOCAL (the served test site), the OB 2.0 context to the copy the
validator ships; any other request is refused. Prints one JSON line: {valid, errors}.
"""

import collections
import collections.abc
import importlib
import json
import sys

# validator-core's dependencies (python-jose 3.0.1, requests-cache 0.4, future 0.16) import
# these names from `collections`, where Python 3.10 removed them.
for _name in ("Mapping", "MutableMapping", "Iterable", "Sequence", "Iterator", "Callable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import openbadges  # noqa: E402
import requests  # noqa: E402
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402

CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
PUBLIC, LOCAL, INPUT = sys.argv[1:4]
EMAIL = sys.argv[4] if len(sys.argv) > 4 else None


class _Local(HTTPAdapter):
    def send(self, request, **kwargs):
        if request.url.rstrip("/") in CONTEXTS:
            answer = requests.Response()
            answer.status_code, answer.url = 200, request.url
            answer._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
            answer.headers["Content-Type"] = "application/ld+json"
            answer.request = request
            return answer
        request.url = LOCAL + request.url[len(PUBLIC) :]
        return super().send(request, **kwargs)


_LOCAL = _Local()


def _adapter(self, url):
    if url.startswith(PUBLIC + "/") or url.rstrip("/") in CONTEXTS:
        return _LOCAL
    raise requests.ConnectionError(f"no network in the tests: {url}")


requests.Session.get_adapter = _adapter  # its own sessions, cached or not


# openbadges-bakery reads an SVG's `verify` attribute with .encode("utf-8"): text on Python 2,
# where it was written, bytes on Python 3, which validator-core then takes for no badge at all
# (any issuer's baked SVG). Decoded back, it reads the SVG as it did on Python 2.
_VERIFIER = importlib.import_module("openbadges.verifier.verifier")
_INPUT = importlib.import_module("openbadges.verifier.tasks.input")


def _unbake(image, _unbake=_VERIFIER.unbake):
    found = _unbake(image)
    return found.decode("utf-8") if isinstance(found, bytes) else found


_VERIFIER.unbake = _INPUT.unbake = _unbake

if INPUT.startswith(("http://", "https://")):
    badge = INPUT
elif INPUT.endswith((".png", ".svg")):
    badge = open(INPUT, "rb")  # noqa: SIM115
else:
    badge = open(INPUT, encoding="utf-8").read().strip()  # noqa: SIM115
profile = {"email": [EMAIL]} if EMAIL else None
report = openbadges.verify(badge, recipient_profile=profile, use_cache=False, cache_backend=None)
errors = [
    m.get("result", "") for m in report["report"]["messages"] if m.get("messageLevel") == "ERROR"
]
sys.stdout.write(json.dumps({"valid": report["report"]["valid"], "errors": errors}) + "\n")
