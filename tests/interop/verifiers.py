"""The verifiers a badge holder may meet, each run the way its own users run it, on the test
site: DCC verifier-core (node), openbadgeslib, the IMS OB 2.0 validator, and ours."""

import contextlib
import io
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openbadgeslib import util
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from openbadgeslib.verify import issuer_did_from_token

from badges.ob3 import EXTENSIONS_CONTEXT
from config import REPOSITORY
from services.credentials import verification
from tests.interop.conftest import Site

HERE = Path(__file__).parent
SCHEMAS = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
OB2_PYTHON = REPOSITORY / ".venv-ob2" / "bin" / "python"
# What DCC would fetch from 1EdTech (the extensions context, the JSON schema): our copies.
LOCAL_COPIES = REPOSITORY / "data" / "openbadges"


@dataclass(frozen=True)
class Verdict:
    valid: bool
    revoked: bool | None  # None: the verifier could not tell
    reasons: list[str]


def dcc(site: Site, credential: dict[str, Any]) -> Verdict:
    """DCC verifier-core (the Learner Credential Wallet's) on a credential with its proof."""
    done = subprocess.run(
        [
            "node",
            str(HERE / "dcc_verify.mjs"),
            "--map",
            f"{site.public}={site.local}",
            "--map",
            f"{SCHEMAS}=file://{LOCAL_COPIES}/",
            "--map",
            f"{EXTENSIONS_CONTEXT}=file://{LOCAL_COPIES / 'ob-v3p0-extensions.json'}",
        ],
        input=json.dumps(credential),
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"DCC verifier-core said nothing: {done.stderr[-2000:]}"
    found = json.loads(lines[-1])
    reasons = [f"{e.get('name')}: {e.get('message', '')}" for e in found["errors"]]
    return Verdict(bool(found["valid"]), found["revoked"], reasons)


def openbadgeslib(site: Site, token: str) -> Verdict:
    """openbadgeslib on a VC-JWT, as a verifier that knows only the badge does: the key from
    the issuer's DID (the token's `kid` picks the method), then the status list."""

    def download(url: str) -> bytes:
        with contextlib.redirect_stdout(io.StringIO()):  # it warns on stdout about plain HTTP
            return bytes(
                util.download_file(site.local_url(url), allow_insecure=True, allow_private=True)
            )

    try:
        verifier = OB3Verifier.for_issuer_did(issuer_did_from_token(token), download=download)
        verifier.verify(token, check_status=True, verify_status_list=True, download=download)
    except (OB3VerificationError, ValueError) as exc:
        revoked = "'revocation' is set" in str(exc)
        return Verdict(False, revoked, [str(exc)])
    return Verdict(True, False, [])


def validator_core(site: Site, badge: str | bytes, suffix: str = ".jws") -> Verdict:
    """The IMS OB 2.0 validator on a URL, a JWS, or a baked PNG/SVG (bytes)."""
    with tempfile.TemporaryDirectory() as folder:
        if isinstance(badge, str) and badge.startswith("https://"):
            given = badge
        else:
            path = Path(folder) / f"badge{suffix}"
            path.write_bytes(badge if isinstance(badge, bytes) else badge.encode("ascii"))
            given = str(path)
        done = subprocess.run(
            [str(OB2_PYTHON), str(HERE / "validator_core.py"), site.public, site.local, given],
            capture_output=True,
            text=True,
            timeout=180,
        )
    lines = done.stdout.strip().splitlines()
    assert lines, f"validator-core said nothing: {done.stderr[-2000:]}"
    found = json.loads(lines[-1])
    errors = [str(e) for e in found["errors"]]
    return Verdict(bool(found["valid"]), any("revoked" in e.lower() for e in errors), errors)


def ours(site: Site, badge: str | bytes) -> Verdict:
    with site.session() as session:
        report = verification.verify_badge(session, site.settings, badge)
    failed = [f"{c.name}: {c.message}" for c in report.checks if c.outcome == "failed"]
    return Verdict(report.valid, report.revoked, failed)
