"""`probono association list | verify | reject` and `probono admin grant`: the platform
admin's checks of associations, from the command line."""

import argparse
from typing import Any

from sqlmodel import Session

from config import get_settings
from models import queries
from services import actors
from services.people import associations
from services.runtime import current_engine


def register(commands: Any) -> None:
    association = commands.add_parser("association", help="verify associations (platform admins)")
    actions = association.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="associations, those waiting for a check first")
    listing.set_defaults(handler=_list)
    verify = actions.add_parser("verify", help="verify one: its waiting badges are issued")
    verify.add_argument("slug")
    verify.add_argument("--as", dest="actor", required=True, metavar="EMAIL")
    verify.set_defaults(handler=_verify)
    reject = actions.add_parser("reject", help="reject one, saying why (the association reads it)")
    reject.add_argument("slug")
    reject.add_argument("--as", dest="actor", required=True, metavar="EMAIL")
    reject.add_argument("--reason", required=True)
    reject.set_defaults(handler=_reject)

    admin = commands.add_parser("admin", help="platform admins")
    admin_actions = admin.add_subparsers(dest="action", required=True, metavar="ACTION")
    grant = admin_actions.add_parser("grant", help="make an account a platform admin")
    grant.add_argument("email")
    grant.set_defaults(handler=_grant)


def _list(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        for found, document, waiting in queries.organisations.associations_to_verify(session):
            proof = (
                f"{found.identifier_kind.value} {found.identifier or ''}".strip()
                if found.identifier_kind
                else "nothing given"
            )
            extra = f", document {document}" if document else ""
            print(
                f"{found.slug}: {found.verification.value} ({proof}{extra}); "
                f"{waiting} badges waiting"
            )
    return 0


def _verify(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        actor = actors.actor_by_email(session, args.actor)
        issued = associations.verify(session, get_settings(), actor, args.slug)
    print(f"{args.slug} verified: {issued} waiting badges issued")
    return 0


def _reject(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        actor = actors.actor_by_email(session, args.actor)
        associations.reject(session, actor, args.slug, args.reason)
    print(f"{args.slug} rejected: {args.reason}")
    return 0


def _grant(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        account = queries.organisations.get_account(session, args.email.strip().lower())
        account.is_platform_admin = True
        session.add(account)
        session.commit()
    print(f"{args.email} is a platform admin")
    return 0
