"""`probono mission …`: the mission workflow from the command line, acting for a named
account (`--as EMAIL`), with the same rules as the API."""

import argparse
from datetime import date
from typing import Any

from sqlmodel import Session

from config import get_settings
from models import EndReason, InvalidData, Mission, queries, utcnow
from services import actors, workflow
from services.records import CompetenceRef
from services.runtime import current_engine

_REASONS = [r.value for r in EndReason]


def register(commands: Any) -> None:
    mission = commands.add_parser("mission", help="the mission workflow, acting for an account")
    actions = mission.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, help_text: str, *, mission_id: bool = True) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
        if mission_id:
            parser.add_argument("mission_id", type=int)
        parser.add_argument("--as", dest="actor", required=True, metavar="EMAIL")
        return parser

    listing = action("list", "the account's missions", mission_id=False)
    listing.set_defaults(handler=_list)
    apply = action("apply", "a volunteer applies to a need", mission_id=False)
    apply.add_argument("need_id", type=int)
    apply.set_defaults(handler=_apply)
    propose = action("propose", "an association proposes its need to a volunteer", mission_id=False)
    propose.add_argument("need_id", type=int)
    propose.add_argument("volunteer_id", type=int)
    propose.set_defaults(handler=_propose)
    action("accept", "accept a proposal").set_defaults(handler=_accept)
    action("start", "start an accepted mission").set_defaults(handler=_start)
    for name, text in (("decline", "decline a proposal"), ("cancel", "cancel a mission")):
        ending = action(name, text)
        ending.add_argument("--reason", required=True, choices=_REASONS)
        ending.add_argument("--note", default="")
        ending.set_defaults(handler=_end, decline=name == "decline")
    hours = action("hours", "log hours of one day of work (volunteer)")
    hours.add_argument("hours")
    hours.add_argument("--date", type=date.fromisoformat, default=None, help="default: today")
    hours.add_argument("--description", default="")
    hours.set_defaults(handler=_hours)
    for name in ("approve", "reject"):
        review = action(name, f"{name} logged hours (association)")
        review.add_argument("hours_id", type=int)
        review.set_defaults(handler=_review, approve=name == "approve")
    complete = action("complete", "confirm completion; the association assesses competences")
    complete.add_argument(
        "--assess",
        action="append",
        default=[],
        metavar="FRAMEWORK:CODE:LEVEL",
        help="a competence exercised and the level observed, e.g. ecf:B.1:e-3 (repeatable)",
    )
    complete.set_defaults(handler=_complete)


def _show(mission: Mission) -> None:
    extra = f" ({mission.end_reason.value})" if mission.end_reason else ""
    credential = f", credential {mission.credential_id}" if mission.credential_id else ""
    print(
        f"mission {mission.id}: need {mission.need_id}, volunteer {mission.volunteer_id}, "
        f"{mission.status.value}{extra}{credential}"
    )


def _run(args: argparse.Namespace, change: Any) -> int:
    with Session(current_engine(), expire_on_commit=False) as session:
        actor = actors.actor_by_email(session, args.actor)
        _show(change(session, actor))
    return 0


def _list(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        actor = actors.actor_by_email(session, args.actor)
        for mission in queries.missions.missions_of(
            session, volunteer_id=actor.profile_id, organisation_ids=sorted(actor.associations)
        ):
            _show(mission)
    return 0


def _apply(args: argparse.Namespace) -> int:
    return _run(args, lambda s, a: workflow.propose(s, a, args.need_id))


def _propose(args: argparse.Namespace) -> int:
    return _run(args, lambda s, a: workflow.propose(s, a, args.need_id, args.volunteer_id))


def _accept(args: argparse.Namespace) -> int:
    return _run(args, lambda s, a: workflow.accept(s, a, args.mission_id))


def _start(args: argparse.Namespace) -> int:
    return _run(args, lambda s, a: workflow.start(s, a, args.mission_id))


def _end(args: argparse.Namespace) -> int:
    reason = EndReason(args.reason)
    return _run(
        args,
        lambda s, a: workflow.end(s, a, args.mission_id, reason, args.note, decline=args.decline),
    )


def _hours(args: argparse.Namespace) -> int:
    with Session(current_engine(), expire_on_commit=False) as session:
        actor = actors.actor_by_email(session, args.actor)
        entry = workflow.log_hours(
            session,
            actor,
            args.mission_id,
            args.date or utcnow().date(),
            args.hours,
            args.description,
        )
        print(f"hours {entry.id}: {entry.hours} h on {entry.work_date}, waiting for approval")
    return 0


def _review(args: argparse.Namespace) -> int:
    with Session(current_engine(), expire_on_commit=False) as session:
        actor = actors.actor_by_email(session, args.actor)
        entry = workflow.review_hours(
            session, actor, args.mission_id, args.hours_id, approve=args.approve
        )
        print(f"hours {entry.id}: {entry.hours} h on {entry.work_date}, {entry.status.value}")
    return 0


def _complete(args: argparse.Namespace) -> int:
    try:
        assessed = [workflow.Assessment(CompetenceRef.model_validate(a)) for a in args.assess]
    except ValueError as exc:
        raise InvalidData(f"--assess: {exc}") from None
    with Session(current_engine(), expire_on_commit=False) as session:
        actor = actors.actor_by_email(session, args.actor)
        done = workflow.confirm_completion(
            session, get_settings(), actor, args.mission_id, assessed
        )
        _show(done.mission)
        if done.credential is None and done.mission.credential_id is None:
            print("confirmed; waiting for the other side to confirm")
    return 0
