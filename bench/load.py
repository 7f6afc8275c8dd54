"""Load: concurrent clients against a real `probono serve` (several workers) on PostgreSQL.

The script makes a database of its own on the given PostgreSQL server (`probono init`: the
schema, the reference data and the demo data set, embedded with the real model), starts the
server on localhost with `--workers`, and runs `--clients` asyncio clients for `--seconds`.
Each client loops over the four requests below, one after the other, as fast as the server
answers:

- health: `GET /api/v1/health`, the framework's floor (the baseline of the same run);
- matching: `GET /api/v1/needs/{id}/matches` as a member of the need's association;
- verification: `POST /api/v1/verify` of a demo credential's VC-JWT;
- dashboard: `GET /programme/{slug}`, the manager's engagement dashboard page (signed in).

One client alone runs first for 15 s: what each request costs without queueing, beside the
figures under load.

Bounded: localhost only, `--seconds` (60) and `--clients` (50). Any answer other than 200 or
a transport error is an error; the exit status is 1 when there is one. Figures are written
to docs/performance.md by hand from the table this prints.

Run: `python -m bench.load --postgres postgresql://postgres@127.0.0.1:5432/test`.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlmodel import Session, col, select

import models
from models import (
    Account,
    Credential,
    MemberRole,
    Membership,
    Need,
    NeedStatus,
    Programme,
)
from services.actors import create_token
from services.people import accounts
from tests.databases import postgres_database

KINDS = ("health", "matching", "verification", "dashboard")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class Calls:
    """What the clients send, prepared from the demo data."""

    matching: list[tuple[str, str]]  # (path, token)
    verification: list[str]  # VC-JWTs
    dashboard: list[tuple[str, str]]  # (path, session cookie)


def _calls(url: str) -> Calls:
    engine = models.make_engine(url)
    with Session(engine) as session:
        matching = []
        needs = session.exec(select(Need).where(col(Need.status) == NeedStatus.OPEN)).all()
        for need in needs[:20]:
            member = session.exec(
                select(Account)
                .join(Membership, col(Membership.account_id) == col(Account.id))
                .where(col(Membership.organisation_id) == need.organisation_id)
                .where(col(Membership.role) == MemberRole.ASSOCIATION_MEMBER)
            ).first()
            if member is not None:
                token = create_token(session, member.email, name="load test")
                matching.append((f"/api/v1/needs/{need.id}/matches", token))
        verification = [
            c.ob3_jwt
            for c in session.exec(select(Credential).where(col(Credential.revoked_at).is_(None)))
        ][:20]
        dashboard = []
        for programme in session.exec(select(Programme)).all():
            manager = session.exec(
                select(Account)
                .join(Membership, col(Membership.account_id) == col(Account.id))
                .where(col(Membership.organisation_id) == programme.run_by_id)
            ).first()
            if manager is not None:
                cookie = accounts.open_session(session, manager)
                dashboard.append((f"/programme/{programme.slug}", cookie))
    engine.dispose()
    if not (matching and verification and dashboard):
        raise SystemExit("the demo data lacks needs, credentials or programmes to load")
    return Calls(matching, verification, dashboard)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _client(
    number: int, base: str, calls: Calls, until: float, results: Results, cookie_name: str
) -> None:
    turn = number  # clients start at different places of each list
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        while time.monotonic() < until:
            for kind in KINDS:
                turn += 1
                started = time.perf_counter()
                try:
                    response = await _send(client, kind, calls, turn, cookie_name)
                except httpx.HTTPError as exc:
                    results.errors[kind].append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    results.errors[kind].append(f"{response.status_code}: {response.text[:200]}")
                else:
                    results.latencies[kind].append(elapsed)


async def _send(
    client: httpx.AsyncClient, kind: str, calls: Calls, turn: int, cookie_name: str
) -> httpx.Response:
    if kind == "health":
        return await client.get("/api/v1/health")
    if kind == "matching":
        path, token = calls.matching[turn % len(calls.matching)]
        return await client.get(path, headers={"Authorization": f"Bearer {token}"})
    if kind == "verification":
        badge = calls.verification[turn % len(calls.verification)]
        return await client.post("/api/v1/verify", json={"badge": badge})
    path, cookie = calls.dashboard[turn % len(calls.dashboard)]
    return await client.get(path, headers={"Cookie": f"{cookie_name}={cookie}"})


def _wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {seconds:.0f} s")


def _table(results: Results, seconds: float) -> str:
    lines = [
        "| request | answered | per second | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        values = sorted(results.latencies[kind])
        if len(values) < 2:
            lines.append(
                f"| {kind} | {len(values)} | - | - | - | - | {len(results.errors[kind])} |"
            )
            continue
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        lines.append(
            f"| {kind} | {len(values)} | {len(values) / seconds:.1f} | "
            f"{cuts[49] * 1000:.1f} | {cuts[94] * 1000:.1f} | {cuts[98] * 1000:.1f} | "
            f"{len(results.errors[kind])} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("PROBONO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1/test"),
        help="a PostgreSQL server the script may create a database on (dropped afterwards)",
    )
    parser.add_argument("--clients", type=int, default=50, choices=range(1, 201), metavar="1..200")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds: between 1 and 600")

    from api.web.security import SESSION_COOKIE

    probono = str(Path(sys.executable).parent / "probono")
    with _var_dir() as var, postgres_database(args.postgres, "probono_load") as url:
        env = os.environ | {
            "PROBONO_DATABASE_URL": url,
            "PROBONO_VAR_DIR": str(var),
            # All 50 clients are one address: the load measures the service, not the limit
            # each address has on verification (tests/security/test_limits.py checks that).
            "PROBONO_VERIFY_RATE_LIMIT": "1000000/minute",
        }
        print("probono init (schema, reference data, demo data embedded)…", file=sys.stderr)
        subprocess.run([probono, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        calls = _calls(url)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = (var / "server.log").open("wb")
        server = subprocess.Popen(
            [probono, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base, server, 300)
            # Every worker answers once before the clock starts (each loads the model).
            results = Results()
            asyncio.run(_run(base, calls, 5.0, 4, results, SESSION_COOKIE))
            # One client alone first: what each request costs without waiting for others.
            alone = Results()
            print("1 client for 15 s…", file=sys.stderr)
            asyncio.run(_run(base, calls, 15.0, 1, alone, SESSION_COOKIE))
            print(f"{args.clients} clients for {args.seconds:.0f} s…", file=sys.stderr)
            results = Results()
            started = time.monotonic()
            asyncio.run(_run(base, calls, args.seconds, args.clients, results, SESSION_COOKIE))
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
            server_log = (var / "server.log").read_text(errors="replace")
    print(
        f"{args.clients} clients, {elapsed:.0f} s, {args.workers} workers, PostgreSQL, "
        f"{len(calls.matching)} needs, {len(calls.verification)} credentials, "
        f"{len(calls.dashboard)} programmes"
    )
    print("\n1 client alone, 15 s (the cost of each request without queueing):")
    print(_table(alone, 15.0))
    print(f"\n{args.clients} clients:")
    print(_table(results, elapsed))
    errors = {
        kind: found for kind, found in (*alone.errors.items(), *results.errors.items()) if found
    }
    for kind, found in errors.items():
        print(f"{kind}: {len(found)} errors, first: {found[0]}", file=sys.stderr)
    if errors:  # what the server said, before its log goes with the temporary folder
        print("server log, its last errors:", file=sys.stderr)
        lines = server_log.splitlines()
        for number, line in enumerate(lines):
            if "Traceback" in line or "ERROR" in line or "WARNING" in line:
                print("\n".join(lines[number : number + 40]), file=sys.stderr)
                break
    return 1 if errors else 0


async def _run(
    base: str, calls: Calls, seconds: float, clients: int, results: Results, cookie_name: str
) -> None:
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(_client(n, base, calls, until, results, cookie_name) for n in range(clients))
    )


@contextmanager
def _var_dir() -> Iterator[Path]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="probono-load-") as directory:
        yield Path(directory)


if __name__ == "__main__":
    raise SystemExit(main())
