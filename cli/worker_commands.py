"""`probono worker` (the emails and the answer deadlines) and `probono mail failed | retry`
(the platform admin's dead letters)."""

import argparse
from typing import Any

from sqlmodel import Session

from api.mail import worker
from config import get_settings
from models import DeliveryState, queries
from services.notifications import delivery
from services.runtime import current_engine


def register(commands: Any) -> None:
    run = commands.add_parser(
        "worker", help="send the emails waiting in the outbox and keep the answer deadlines"
    )
    run.add_argument(
        "--once", action="store_true", help="deliver what is due now, then exit (for cron)"
    )
    run.set_defaults(handler=_worker)

    mail = commands.add_parser("mail", help="emails that could not be sent (platform admins)")
    actions = mail.add_subparsers(dest="action", required=True, metavar="ACTION")
    failed = actions.add_parser("failed", help="the dead letters: every try failed")
    failed.set_defaults(handler=_failed)
    retry = actions.add_parser("retry", help="send a dead letter again")
    retry.add_argument("id", type=int)
    retry.set_defaults(handler=_retry)


def _worker(args: argparse.Namespace) -> int:
    counts = worker.run(current_engine(), get_settings(), once=args.once)
    print(
        f"{counts.sent} sent, {counts.retried} to try again, {counts.failed} failed"
        + (f", {counts.unconfirmed} handed over before a stop" if counts.unconfirmed else "")
    )
    return 0


def _failed(_: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        rows = queries.notifications.by_state(session, DeliveryState.FAILED)
        for notification, account in rows:
            print(
                f"{notification.id}: {notification.kind.value} to {account.email}, "
                f"{notification.attempts} tries: {notification.last_error}"
            )
        if not rows:
            print("no failed email")
    return 0


def _retry(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        delivery.retry(session, args.id)
    print(f"email {args.id} will be sent again")
    return 0
