"""`probono match need ID` and `probono match volunteer ID`: ranked matches with their reasons,
as readable text or JSON lines (`--json`)."""

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from matching.scoring import Explanation
from models import WorkMode
from models.queries.matching import Filters
from services.actors import OPERATOR
from services.ranking.rank import RankedNeed, RankedVolunteer, rank_needs, rank_volunteers
from services.runtime import current_engine, get_embedder, get_nearby

_LANGUAGE = re.compile(r"^[a-z]{2}$")
_ECF = re.compile(r"^[A-E]\.[0-9]{1,2}$")


def _checked(pattern: re.Pattern[str], what: str) -> Any:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise argparse.ArgumentTypeError(f"{value!r} is not {what}")
        return value

    return check


def register(commands: Any) -> None:
    match = commands.add_parser("match", help="rank volunteers for a need, or needs for one")
    sides = match.add_subparsers(dest="side", required=True, metavar="SIDE")
    for side, about in (
        ("need", "the volunteers who fit a need best"),
        ("volunteer", "the open needs that fit a volunteer best"),
    ):
        parser = sides.add_parser(side, help=about)
        parser.add_argument("id", type=int, help=f"the {side}'s id")
        parser.add_argument("--top-k", type=int, default=10, help="how many matches (1-100)")
        parser.add_argument(
            "--language",
            action="append",
            type=_checked(_LANGUAGE, "a two-letter language code"),
            help="the other side works in this language (repeatable)",
        )
        parser.add_argument("--city", help="the other side's city")
        parser.add_argument(
            "--competence",
            type=_checked(_ECF, "an e-CF 4.0 code such as B.1"),
            help="an e-CF code the volunteer states or the need requires",
        )
        if side == "volunteer":
            parser.add_argument(
                "--work-mode", choices=[m.value for m in WorkMode], help="needs done this way"
            )
        parser.add_argument(
            "--include-excluded", action="store_true", help="also list excluded pairs, with why"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.set_defaults(handler=_match)


def _match(args: argparse.Namespace) -> int:
    if not 1 <= args.top_k <= 100:
        print("error: --top-k must be between 1 and 100", file=sys.stderr)
        return 2
    work_mode = getattr(args, "work_mode", None)
    filters = Filters(
        frozenset(args.language or ()),
        args.city,
        WorkMode(work_mode) if work_mode else None,
        args.competence,
    )
    options: dict[str, Any] = {
        "embedder": get_embedder(),
        "nearby": get_nearby(),
        "top_k": args.top_k,
        "filters": filters,
        "include_excluded": args.include_excluded,
    }
    with Session(current_engine()) as session:
        ranked: Sequence[RankedVolunteer | RankedNeed] = (
            rank_volunteers(session, OPERATOR, args.id, **options)
            if args.side == "need"
            else rank_needs(session, OPERATOR, args.id, **options)
        )
    if not ranked:
        print(f"no match for {args.side} {args.id} (are the texts encoded? `probono embed`)")
    for position, match in enumerate(ranked, start=1):
        print(
            json.dumps(_record(match), ensure_ascii=False) if args.json else _text(position, match)
        )
    return 0


def _record(match: RankedVolunteer | RankedNeed) -> dict[str, Any]:
    return asdict(match) | {"score": match.score}


def _text(position: int, match: RankedVolunteer | RankedNeed) -> str:
    languages = "/".join(match.languages)
    if isinstance(match, RankedVolunteer):
        who = f"volunteer {match.profile_id}: {match.display_name} — {match.headline}"
        facts = f"{match.city}, {languages}"
    else:
        who = f"need {match.need_id}: {match.title} — {match.association}"
        where = match.work_mode if match.city is None else f"{match.work_mode} in {match.city}"
        facts = f"{where}, {languages}, about {match.hours_estimate} h"
    return f"{position:>3}. {match.score:.3f}  {who} ({facts})\n" + _reasons(match.explanation)


def _level(level: int | None) -> str:
    return "a stated level" if level is None else f"e-{level}"


def _reasons(explanation: Explanation) -> str:
    lines = []
    if explanation.requirements_inferred:
        lines.append("the need states no competence: these were read from its text")
    for m in explanation.competences:
        source = f", {m.source}" if m.source else ""
        if m.status == "met":
            lines.append(
                f"has {m.code} at {_level(m.offered_level)}{source} "
                f"(asked {_level(m.required_level)})"
            )
        elif m.status == "below":
            lines.append(
                f"has {m.code} at {_level(m.offered_level)}{source}: {m.gap} level(s) below "
                f"the {_level(m.required_level)} asked"
            )
        else:
            lines.append(f"lacks {m.code} (asked {_level(m.required_level)})")
    lines += [f"EXCLUDED: {e.reason}" for e in explanation.exclusions]
    lines += [f"lower: {p.reason}" for p in explanation.penalties]
    parts = ", ".join(f"{k} {v:.2f}" for k, v in explanation.contributions.items())
    return "".join(f"       {line}\n" for line in [*lines, parts]).rstrip("\n")
