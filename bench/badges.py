"""Issuance and verification speed of badges, against raw pyjwt in the same run.

Issuance: (a) raw `jwt.encode` RS256 of the very payloads a credential carries (the OB 3.0
claims and the signed OB 2.0 assertion: two signatures, as issuance makes) against (b0) both
Open Badges versions built from the record and signed, no database, (b) `issuance.issue` from
a mission in hand — take a status entry, read what the credential names, build both versions,
sign both, store the row — then the mission's link to it and the commit, and (c) the whole
completion use-case (`confirm_completion`: checks, assessments, events, issuance, commit), on
a database built as the product builds one (SQLite, or PostgreSQL with --postgres). Target:
(b) >= 0.8x (a). Two floors beside them: (f) signing both and storing the very same row with
one INSERT and a COMMIT through the data layer, reading nothing — the least any issuance that
keeps its credential costs here — and (f0) the same through the database driver alone.

Verification of the same VC-JWTs: (a) raw `jwt.decode` with the public key, against (b) the
verifier's signature path (header rules, the key taken from the issuer's JWKS with its
provenance, the pinned-algorithm signature check, the claims against the credential) and (c)
the full report (also schema, linked data, status list, dates, recipient). Target: (b) >=
0.8x (a). Rounds interleave (a, b, c, a, b, c, ...); medians are reported.

Run: `python -m bench.badges [--quick] [--postgres postgresql://…]`.
"""

import argparse
import hashlib
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import jwt
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt import api_jws
from psycopg.types.json import Jsonb
from pydantic import SecretStr
from pyld import jsonld
from sqlmodel import Session

import models
from badges import dataintegrity, keys, ob3, signing
from badges.keysets import KeySets
from badges.record import BadgeRecord, Recipient
from badges.report import Findings
from badges.verify_ob3 import check_claims, check_signature
from config import REPOSITORY, Environment, Settings
from models import (
    CompetenceAssessment,
    Credential,
    KeyAlgorithm,
    Mission,
    MissionStatus,
    SigningKey,
    persisted_id,
    queries,
    utcnow,
)
from models.queries.issuance import IssuerRow
from services import schema, workflow
from services.actors import Actor
from services.credentials import issuance, issuers, verification
from services.credentials.urls import PublicUrls
from services.reference import loading
from tests.databases import postgres_database
from tests.factories import ASSESSED, cast, mission_in_progress

TARGET = 0.8


def _settings(folder: Path) -> Settings:
    return Settings(
        env=Environment.TEST,
        var_dir=folder,
        data_dir=REPOSITORY / "data",
        public_base_url="https://probono.bench",
        key_encryption_key=SecretStr("bench key-encryption key"),
    )


def _ready(session: Session, settings: Settings, count: int) -> list[tuple[int, Actor]]:
    """Missions in progress whose volunteer has confirmed: each waits for its association."""
    ready: list[tuple[int, Actor]] = []
    for _ in range(count):
        people = cast(session)
        mission_id = mission_in_progress(session, people)
        workflow.confirm_completion(session, settings, people.volunteer, mission_id)
        ready.append((mission_id, people.member))
    return ready


def _issue(session: Session, settings: Settings, mission: Mission) -> Credential:
    """Issuance from a mission in hand (completion has loaded it for its checks): the
    credential built, signed, stored and linked from the mission, committed."""
    now = utcnow()
    credential = issuance.issue(session, settings, mission, completed_at=now)
    mission.status, mission.completed_at, mission.association_confirmed_at = (
        MissionStatus.COMPLETED,
        now,
        now,
    )
    mission.credential_id = credential.id
    session.commit()
    return credential


def _floor_table(session: Session, issued: Credential) -> tuple[sa.Insert, dict[str, Any]]:
    """The least any durable issuance stores: the credential's row, in a table of the same
    columns with no constraint but its key, and the values of a row issued here."""
    credential = sa.inspect(Credential).local_table
    columns = [sa.Column(c.name, c.type, primary_key=c.name == "id") for c in credential.columns]
    table = sa.Table("bench_store", sa.MetaData(), *columns)
    table.create(session.connection())
    session.commit()
    row = session.execute(sa.select(credential).where(credential.c.id == issued.id)).one()
    return sa.insert(table), dict(row._mapping)


class _DriverStore:
    """The same row stored through the database driver alone (its own connection, no
    SQLAlchemy on the way): what the database itself costs, under the data layer."""

    def __init__(self, engine: sa.Engine, issued: Credential) -> None:
        self.connection = engine.raw_connection()
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        self.sqlite = engine.dialect.name == "sqlite"
        names = [c.name for c in sa.inspect(Credential).local_table.columns]
        assert names[0] == "id"
        listed = ", ".join(names)
        cursor = self.connection.cursor()
        cursor.execute(f"SELECT {listed} FROM credential WHERE id = {mark}", (issued.id,))
        self.row = list(cursor.fetchone() or ())
        cursor.close()
        marks = ", ".join([mark] * len(names))
        self.insert = f"INSERT INTO bench_store ({listed}) VALUES ({marks})"

    def store(self) -> None:
        cursor = self.connection.cursor()
        if self.sqlite:  # the product's connections leave transactions to the caller
            cursor.execute("BEGIN")
        # JSON as the data layer sends it: text to SQLite, JSONB to PostgreSQL.
        document = json.dumps if self.sqlite else Jsonb
        values = [document(v) if isinstance(v, dict) else v for v in self.row[1:]]
        cursor.execute(self.insert, (str(uuid.uuid4()), *values))
        if self.sqlite:
            cursor.execute("COMMIT")
        else:
            self.connection.commit()
        cursor.close()

    def close(self) -> None:
        self.connection.close()


def _mission(session: Session, mission_id: int) -> Mission:
    return queries.missions.get_mission(session, mission_id)


def _record_of(session: Session, settings: Settings, credential: Credential) -> BadgeRecord:
    """The record of an issued credential, rebuilt as issuance built it."""
    issuer = queries.credentials.get_issuer(session, credential.issuer_id)
    facts = queries.issuance.facts(
        session,
        credential.mission_id,
        credential.issuer_id,
        KeyAlgorithm(settings.badge_algorithm),
        KeyAlgorithm.RS256,
    )
    return issuance.badge_record(
        settings,
        credential.mission_id,
        facts,
        issuer=IssuerRow(
            credential.issuer_id,
            issuer.organisation_id,
            issuer.name,
            issuer.url,
            issuer.email,
            issuer.description,
        ),
        credential_id=credential.id,
        status=(credential.status_list, credential.status_list_index),
        recipient=Recipient(
            credential.subject_id, credential.recipient_hash, credential.recipient_salt
        ),
        completed_at=credential.valid_from,
    )


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1e3


def _row(name: str, values: list[float], base: float) -> str:
    ms = _median_ms(values)
    return f"| {name} | {ms:.2f} | {1e3 / ms:.0f} | {base / ms:.2f} |"


def issuance_rounds(session: Session, settings: Settings, rounds: int) -> list[str]:
    # Assessments for the missions (b) issues directly, as the association's confirmation
    # would have stored them.
    direct = _ready(session, settings, rounds + 1)
    b1 = queries.reference.get_competence(session, "ecf-4.0", "B.1")
    for mission_id, _ in direct:
        queries.missions.replace_assessments(
            session,
            mission_id,
            [
                CompetenceAssessment(
                    mission_id=mission_id, competence_id=persisted_id(b1.id), level=3
                )
            ],
        )
    session.commit()
    whole = _ready(session, settings, rounds + 1)
    # The first warms the key cache and the statement caches.
    first = _issue(session, settings, _mission(session, direct[0][0]))
    workflow.confirm_completion(session, settings, whole[0][1], whole[0][0], ASSESSED)
    stored_key = queries.credentials.get_key(session, first.signing_key_id)
    proof_key = queries.credentials.active_key(session, first.issuer_id, KeyAlgorithm.EDDSA)
    assert proof_key is not None  # made with the first credential
    signers = issuance.Keys(stored_key, stored_key, proof_key)
    key = issuers.private_key(settings, stored_key, PublicUrls.of(settings.public_base_url))
    claims = signing.unverified_payload(first.ob3_jwt)
    assertion = signing.unverified_payload(first.ob2_jws)
    record = _record_of(session, settings, first)
    store, row = _floor_table(session, first)
    engine = session.get_bind()
    assert isinstance(engine, sa.Engine)
    driver = _DriverStore(engine, first)
    prove = _raw_proof(settings, proof_key, ob3.credential(record))
    raw, alone, floor, driven, ours, full = [], [], [], [], [], []
    for i in range(1, rounds + 1):
        t0 = time.perf_counter()
        jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": key.kid})
        api_jws.encode(signing.canonical(assertion), key.key, algorithm="RS256")
        prove()
        raw.append(time.perf_counter() - t0)
        dataintegrity._canonical_text.cache_clear()  # a new badge is never canonicalized yet
        t0 = time.perf_counter()
        issuance.sign_documents(record, settings, signers)
        alone.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": key.kid})
        api_jws.encode(signing.canonical(assertion), key.key, algorithm="RS256")
        prove()
        session.execute(store, {**row, "id": str(uuid.uuid4())})
        session.commit()
        floor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": key.kid})
        api_jws.encode(signing.canonical(assertion), key.key, algorithm="RS256")
        prove()
        driver.store()
        driven.append(time.perf_counter() - t0)
        mission = _mission(session, direct[i][0])
        t0 = time.perf_counter()
        _issue(session, settings, mission)
        ours.append(time.perf_counter() - t0)
        mission_id, member = whole[i]
        t0 = time.perf_counter()
        workflow.confirm_completion(session, settings, member, mission_id, ASSESSED)
        full.append(time.perf_counter() - t0)
    driver.close()
    base = _median_ms(raw)
    ratio = base / _median_ms(ours)
    return [
        f"\nIssuance, {rounds} credentials each, interleaved (target: (b) >= {TARGET}x (a))",
        "| method | median ms | per second | x raw |",
        "|---|---|---|---|",
        _row(
            "(a) raw: pyjwt RS256 of the same two payloads, pyld RDFC-1.0 and Ed25519 of the "
            "credential's proof",
            raw,
            base,
        ),
        _row("(b0) build both versions + sign both, no database", alone, base),
        _row("(f) floor: (a) + one INSERT of the same row + COMMIT, nothing read", floor, base),
        _row("(f0) the same through the database driver alone, no data layer", driven, base),
        _row("(b) issuance.issue: build + sign both + store + commit", ours, base),
        _row("(c) confirm_completion: the whole use-case", full, base),
        f"(b) is {ratio:.2f}x raw: {'ok' if ratio >= TARGET else 'BELOW the target'}",
    ]


def _raw_proof(
    settings: Settings, proof_key: SigningKey, credential: dict[str, Any]
) -> Callable[[], bytes]:
    """The Data Integrity proof of a credential by the libraries alone: canonicalize the proof
    options and the document with pyld, hash both, sign with Ed25519."""
    signer = issuers.private_key(settings, proof_key, PublicUrls.of(settings.public_base_url))
    key = signer.key
    assert isinstance(key, Ed25519PrivateKey)
    loader = issuers.documents(settings).load
    options = {"@context": credential["@context"], "type": "DataIntegrityProof"}
    normalize = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": loader,
    }

    def prove() -> bytes:
        hashed = b"".join(
            hashlib.sha256(jsonld.normalize(d, normalize).encode()).digest()
            for d in (options, credential)
        )
        return key.sign(hashed)

    return prove


def verification_rounds(session: Session, settings: Settings, rounds: int) -> list[str]:
    platform = persisted_id(issuers.platform_issuer(session, settings).id)
    credentials = queries.credentials.credentials_of_issuer(session, platform)[:rounds]
    key = queries.credentials.get_key(session, credentials[0].signing_key_id)
    public = keys.verifying_key(key.public_jwk)
    resolver = verification.LocalResolver(session, settings)

    keysets = KeySets()

    def path(token: str) -> None:
        found = Findings()
        parsed = signing.parse(token)
        check_signature(parsed, resolver, keysets, found)
        check_claims(parsed.payload, found)
        if not found.ok:
            raise RuntimeError(f"the signature path failed: {found.checks}")

    steps: list[tuple[str, Callable[[str], object]]] = [
        (
            "(a) raw pyjwt decode, RS256",
            lambda t: jwt.decode(t, public, algorithms=["RS256"], options={"verify_nbf": False}),
        ),
        (
            "(b) the verifier's signature path (kept DID document, provenance, signature, claims)",
            path,
        ),
        (
            "(c) the full report (also the embedded proof, schema, linked data, status, dates)",
            lambda t: verification.verify_badge(session, settings, t),
        ),
    ]
    for _, step in steps:
        step(credentials[0].ob3_jwt)  # warm up
    times: dict[str, list[float]] = {name: [] for name, _ in steps}
    for _ in range(3):
        for credential in credentials:
            for name, step in steps:
                t0 = time.perf_counter()
                step(credential.ob3_jwt)
                times[name].append(time.perf_counter() - t0)
    base = _median_ms(times[steps[0][0]])
    ratio = base / _median_ms(times[steps[1][0]])
    return [
        f"\nVerification of {len(credentials)} VC-JWTs x 3, interleaved "
        f"(target: (b) >= {TARGET}x (a))",
        "| method | median ms | per second | x raw |",
        "|---|---|---|---|",
        *(_row(name, values, base) for name, values in times.items()),
        f"(b) is {ratio:.2f}x raw: {'ok' if ratio >= TARGET else 'BELOW the target'}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="10 rounds")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server to make the database on (SQLite in a folder otherwise)",
    )
    args = parser.parse_args()
    rounds = 10 if args.quick else args.rounds
    with (
        tempfile.TemporaryDirectory(prefix="probono-bench-") as folder,
        (
            postgres_database(args.postgres, "probono_bench")
            if args.postgres
            else nullcontext(f"sqlite:///{Path(folder) / 'bench.db'}")
        ) as url,
    ):
        settings = _settings(Path(folder))
        engine = models.make_engine(url)
        schema.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            loading.load_reference_data(session, settings.data_dir)
            issuers.signing_key(
                session, settings, issuers.platform_issuer(session, settings), KeyAlgorithm.RS256
            )
            session.commit()
            backend = "PostgreSQL" if args.postgres else "SQLite"
            print(f"# badges, {backend} ({engine.url.database}), RSA {keys.RSA_BITS} bits")
            for line in issuance_rounds(session, settings, rounds):
                print(line)
            for line in verification_rounds(session, settings, rounds):
                print(line)
        engine.dispose()


if __name__ == "__main__":
    main()
