"""`probono verify`, `probono credential`, `probono keys`, `probono issuers`, `probono token`:
badges for verifiers and operators."""

import argparse
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session

from badges.report import Report
from config import get_settings
from models import InvalidData, queries
from services import actors
from services.credentials import addresses, issuance, publication, verification
from services.runtime import current_engine

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
_MARKS = {"passed": "ok  ", "failed": "FAIL", "warning": "warn", "skipped": "skip"}


def register(commands: Any) -> None:
    verify = commands.add_parser(
        "verify",
        help="verify a badge: a file (baked PNG/SVG, .jwt, .json), a URL, or a JWT",
        description="Prints a report of every check; exits 0 when the badge is valid, 1 when not.",
    )
    verify.add_argument("badge", help="a file path, a URL, a JWT, or - for standard input")
    verify.add_argument("--email", help="check that the badge was issued to this email")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(handler=_verify)

    credential = commands.add_parser("credential", help="show or revoke an issued credential")
    actions = credential.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="a credential's state and the links to its forms")
    show.add_argument("credential_id")
    show.set_defaults(handler=_show)
    revoke = actions.add_parser("revoke", help="withdraw a credential (every form at once)")
    revoke.add_argument("credential_id")
    revoke.add_argument("--reason", required=True)
    revoke.add_argument(
        "--as",
        dest="actor",
        required=True,
        metavar="EMAIL",
        help="the association member or platform admin who revokes",
    )
    revoke.set_defaults(handler=_revoke)

    keys = commands.add_parser("keys", help="issuers' signing keys")
    key_actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = key_actions.add_parser("list", help="every issuer's keys, active and retired")
    listing.set_defaults(handler=_keys)
    rotate = key_actions.add_parser("rotate", help="retire an issuer's keys and make new ones")
    rotate.add_argument("issuer_id", type=int)
    rotate.add_argument("--as", dest="actor", required=True, metavar="EMAIL")
    rotate.set_defaults(handler=_rotate)

    issuers = commands.add_parser("issuers", help="the addresses badges are published at")
    issuer_actions = issuers.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = issuer_actions.add_parser("addresses", help="every address badges name")
    listing.set_defaults(handler=_addresses)
    move = issuer_actions.add_parser(
        "move-address",
        help="serve at a new PROBONO_PUBLIC_BASE_URL; badges issued at the old one stay valid",
    )
    move.add_argument("old", help="the address badges were published at so far")
    move.add_argument("new", help="the new PROBONO_PUBLIC_BASE_URL")
    move.set_defaults(handler=_move_address)

    token = commands.add_parser("token", help="API tokens")
    token_actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = token_actions.add_parser("create", help="make an API token for an account")
    create.add_argument("email")
    create.add_argument("--name", default="", help="what the token is for")
    create.set_defaults(handler=_token)


def _input(badge: str) -> bytes | str:
    if badge == "-":
        return sys.stdin.buffer.read()
    if badge.startswith(("http://", "https://")):
        return badge
    path = Path(badge)
    try:
        is_file = path.is_file()
    except OSError:  # a JWT is longer than any file name
        is_file = False
    if is_file:
        return path.read_bytes()
    if _JWS.match(badge):
        return badge
    raise InvalidData(f"no such file: {path} (give a file, a URL or a JWT)")


def print_report(report: Report) -> None:
    print(report.summary)
    print(f"  {report.form}" + (f", from a {report.source}" if report.source else ""))
    for check in report.checks:
        print(f"  [{_MARKS[check.outcome]}] {check.name}: {check.message}")


def _verify(args: argparse.Namespace) -> int:
    settings = get_settings()
    with Session(current_engine()) as session:
        report = verification.verify_badge(session, settings, _input(args.badge), email=args.email)
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2, default=str))
    else:
        print_report(report)
    return 0 if report.valid else 1


def _show(args: argparse.Namespace) -> int:
    settings = get_settings()
    with Session(current_engine()) as session:
        credential = queries.credentials.get_credential(session, args.credential_id)
        state = (
            "revoked: " + str(credential.revocation_reason) if credential.revoked_at else "valid"
        )
        print(f"credential {credential.id} of mission {credential.mission_id}: {state}")
        for name, url in publication.credential_links(settings, credential).items():
            print(f"  {name:<12} {url}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        actor = actors.actor_by_email(session, args.actor)
        credential = issuance.revoke(session, actor, args.credential_id, args.reason)
        print(f"credential {credential.id} revoked: {credential.revocation_reason}")
    return 0


def _keys(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        for issuer in queries.credentials.issuers(session):
            print(f"issuer {issuer.id}: {issuer.name}")
            for key in queries.credentials.keys_of(session, issuer.id or 0):
                print(f"  {key.algorithm.value} {key.status.value:<7} {key.kid}")
    return 0


def _rotate(args: argparse.Namespace) -> int:
    settings = get_settings()
    with Session(current_engine()) as session:
        actor = actors.actor_by_email(session, args.actor)
        for key in issuance.rotate_keys(session, settings, actor, args.issuer_id):
            print(f"new {key.algorithm.value} key {key.kid}")
        signed_again = len(queries.credentials.credentials_of_issuer(session, args.issuer_id))
    print(
        "the retired keys stay in the issuer's DID document: every Open Badges 3.0 form they "
        "signed still verifies"
    )
    print(
        f"{signed_again} signed Open Badges 2.0 copies were signed again with the new key (OB "
        "2.0 allows an issuer one key): a copy downloaded before no longer verifies in OB 2.0 "
        "tools, and each badge's page tells its holder to download it again"
    )
    return 0


def _addresses(args: argparse.Namespace) -> int:
    settings = get_settings()
    with Session(current_engine()) as session:
        for base in queries.credentials.public_addresses(session):
            here = " (PROBONO_PUBLIC_BASE_URL)" if base == addresses.current(settings) else ""
            print(f"{base}{here}")
    return 0


def _move_address(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        moved = addresses.move(session, args.old, args.new)
    print(
        f"badges are now published at {args.new} ({moved} issuer home pages moved); those "
        f"issued at {args.old} stay verifiable as long as {args.old} reaches this service. "
        f"Set PROBONO_PUBLIC_BASE_URL={args.new} and restart."
    )
    return 0


def _token(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        token = actors.create_token(session, args.email, name=args.name)
    print(token)
    print(
        "keep it: only its hash is stored. Send it as 'Authorization: Bearer <token>'.",
        file=sys.stderr,
    )
    return 0
