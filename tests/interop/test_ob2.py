"""Open Badges 2.0 forms through the IMS validator (openbadges-validator-core 1.1.2): the
hosted assertion, the signed JWS and both baked images, valid, then revoked; and what a key
rotation does to a signed copy downloaded before it (OB 2.0 verifiers accept one key per
issuer: the copy is signed again, and the one downloaded before must be downloaded again,
as the badge's page says)."""

from sqlmodel import Session, col, select

from models import Credential, queries
from services.actors import Actor, actor_of
from services.credentials import issuance
from tests.interop import verifiers
from tests.interop.conftest import Site
from tests.interop.test_wallets import _issue


def _forms(site: Site, credential_id: str) -> dict[str, tuple[str | bytes, str]]:
    url = f"{site.public}/ob2/assertions/{credential_id}"
    forms: dict[str, tuple[str | bytes, str]] = {"hosted": (url, "")}
    for suffix in (".jws", ".png", ".svg"):
        status, _, body = site.get(url + suffix)
        assert status == 200
        forms[suffix] = (body if suffix != ".jws" else body.decode("ascii"), suffix)
    return forms


def _member_of(session: Session, credential: Credential) -> Actor:
    """A member of the association whose mission the badge is for."""
    association = issuance._association_id(session, credential)
    return actor_of(session, queries.organisations.members(session, association)[0])


def _admin(session: Session) -> Actor:
    return actor_of(session, queries.organisations.platform_admins(session)[0])


def test_every_ob2_form_is_valid_then_revoked(site: Site) -> None:
    credential_id = _issue(site)
    for name, (badge, suffix) in _forms(site, credential_id).items():
        verdict = verifiers.validator_core(site, badge, suffix)
        assert verdict.valid, (name, verdict.reasons)
        assert verifiers.ours(site, badge).valid, name
    with site.session() as session:
        credential = queries.credentials.get_credential(session, credential_id)
        member = _member_of(session, credential)
        issuance.revoke(session, member, credential_id, "issued in error")
    for name, (badge, suffix) in _forms(site, credential_id).items():
        if name == "hosted" or suffix != ".jws":
            continue
        verdict = verifiers.validator_core(site, badge, suffix)
        assert not verdict.valid, name
        assert verdict.revoked, (name, verdict.reasons)
    hosted = verifiers.validator_core(site, f"{site.public}/ob2/assertions/{credential_id}")
    assert not hosted.valid  # HTTP 410 Gone
    assert verifiers.ours(site, f"{site.public}/ob2/assertions/{credential_id}").revoked


def test_a_signed_copy_from_before_a_rotation_must_be_downloaded_again(site: Site) -> None:
    credential_id = _issue(site)
    before = _forms(site, credential_id)
    with site.session() as session:
        issuer_id = queries.credentials.get_credential(session, credential_id).issuer_id
        issuance.rotate_keys(session, site.settings, _admin(session), issuer_id)
    after = _forms(site, credential_id)
    old_jws, _ = before[".jws"]
    assert after[".jws"][0] != old_jws  # signed again, same assertion
    stale = verifiers.validator_core(site, old_jws)
    assert not stale.valid  # OB 2.0 allows the issuer one key: the old copy no longer holds
    assert not verifiers.ours(site, old_jws).valid
    for name, (badge, suffix) in after.items():
        verdict = verifiers.validator_core(site, badge, suffix)
        assert verdict.valid, (name, verdict.reasons)
        assert verifiers.ours(site, badge).valid, name


def test_the_demo_badges_ob2_forms_pass_the_ims_validator(site: Site) -> None:
    with site.session() as session:
        demo = [
            (c.id, c.revoked_at is not None)
            for c in session.exec(select(Credential).order_by(col(Credential.issued_at))).all()
        ][:5]
    assert sum(revoked for _, revoked in demo) == 1
    for credential_id, revoked in demo:
        for name, (badge, suffix) in _forms(site, credential_id).items():
            verdict = verifiers.validator_core(site, badge, suffix)
            if not revoked:
                assert verdict.valid, (credential_id, name, verdict.reasons)
            elif name == ".jws":  # the signed copy: the issuer's RevocationList says it
                assert not verdict.valid
                assert verdict.revoked, (credential_id, verdict.reasons)
            else:  # the hosted assertion (and the images, which carry it) answer 410 Gone
                assert not verdict.valid, (credential_id, name)
