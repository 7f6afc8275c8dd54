"""The bar of outside verification: the demo badges and badges issued here, RS256, ES256 and
Ed25519 (the Data Integrity proof), before and after `probono keys rotate`, checked by DCC
verifier-core (Data Integrity), openbadgeslib (VC-JWT with its status check) and our own
verifier: valid ones valid, the revoked one revoked. A badge of one issuer signed with
another's key is refused by all three."""

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from badges import signing
from models import Credential, Organisation, persisted_id
from services.credentials import issuers
from tests.factories import cast, completed
from tests.interop import verifiers
from tests.interop.conftest import Site
from tests.interop.verifiers import Verdict


@dataclass(frozen=True)
class Copy:
    """A badge as its holder downloaded it: both OB 3.0 forms."""

    credential_id: str
    revoked: bool
    document: dict[str, Any]  # the .json, with its Data Integrity proof
    token: str  # the .jwt

    @property
    def issuer(self) -> str:
        return str(self.document["issuer"]["id"])


def _download(site: Site, credential_id: str, revoked: bool) -> Copy:
    url = f"{site.public}/credentials/{credential_id}"
    status, media, document = site.get(url + ".json")
    assert (status, media) == (200, "application/vc")
    status, media, token = site.get(url + ".jwt")
    assert (status, media) == (200, "application/vc+jwt")
    return Copy(credential_id, revoked, json.loads(document), token.decode("ascii"))


def _all(site: Site) -> list[Copy]:
    with site.session() as session:
        rows = session.exec(select(Credential).order_by(col(Credential.issued_at))).all()
        found = [(c.id, c.revoked_at is not None) for c in rows]
    return [_download(site, credential_id, revoked) for credential_id, revoked in found]


def _issue(site: Site, algorithm: str = "RS256") -> str:
    """A badge issued now, through the workflow; ES256 by an association's own issuer."""
    settings = site.settings.model_copy(update={"badge_algorithm": algorithm})
    with site.session() as session:
        people = cast(session)
        if algorithm != "RS256":
            organisation = session.get(Organisation, people.organisation_id)
            assert organisation is not None
            issuers.own_issuer(session, organisation, settings)
            session.commit()
        return completed(session, settings, people).id


def _expect(verdict: Verdict, copy: Copy, who: str) -> None:
    if copy.revoked:
        assert not verdict.valid, (who, copy.credential_id, verdict)
        assert verdict.revoked, (who, copy.credential_id, verdict)
    else:
        assert verdict.valid, (who, copy.credential_id, verdict.reasons)


def _check_everywhere(site: Site, copies: list[Copy]) -> None:
    for copy in copies:
        _expect(verifiers.dcc(site, copy.document), copy, "DCC verifier-core")
        _expect(verifiers.openbadgeslib(site, copy.token), copy, "openbadgeslib")
        _expect(verifiers.ours(site, copy.token), copy, "ours (VC-JWT)")
        _expect(verifiers.ours(site, json.dumps(copy.document)), copy, "ours (Data Integrity)")


def test_outside_verifiers_agree_before_and_after_a_rotation(site: Site) -> None:
    fresh = [_issue(site), _issue(site, "ES256")]
    before = _all(site)
    assert sum(c.revoked for c in before) == 1  # the demo's revoked badge
    assert {signing.header(c.token)["alg"] for c in before} == {"RS256", "ES256"}
    assert {c.credential_id for c in before} >= set(fresh)
    _check_everywhere(site, before)

    with site.session() as session:
        rotated = sorted({persisted_id(c.issuer_id) for c in session.exec(select(Credential))})
    for issuer_id in rotated:
        site.probono("keys", "rotate", str(issuer_id), "--as", "admin@example.org")
    after = [_issue(site), _issue(site, "ES256")]
    # The copies holders downloaded before the rotation, the same badges downloaded again,
    # and badges issued since.
    again = {c.credential_id: c for c in _all(site)}
    _check_everywhere(site, [*before, *again.values()])
    for credential_id in after:
        method = again[credential_id].document["proof"][0]["verificationMethod"]
        assert method not in {c.document["proof"][0]["verificationMethod"] for c in before}
