"""`probono skills suggest`: JSON lines {"id", "text"} in, ranked competences out."""

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from matching.competences import Suggestions
from services.runtime import get_suggester

BATCH = 32


def register(commands: Any) -> None:
    skills = commands.add_parser("skills", help="competences suggested for free text")
    actions = skills.add_subparsers(dest="action", required=True, metavar="ACTION")
    suggest = actions.add_parser(
        "suggest", help='read JSON lines {"id", "text"}; write e-CF, ESCO and DigComp suggestions'
    )
    suggest.add_argument(
        "file",
        nargs="?",
        type=argparse.FileType("rb"),
        default=sys.stdin.buffer,
        help="JSON lines file (default: standard input)",
    )
    suggest.add_argument("--top-k", type=int, default=10, help="suggestions per framework")
    suggest.set_defaults(handler=_suggest)


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, str, str] | tuple[int, str]]:
    """(line, id, text) for each good line, (line, reason) for each bad one."""
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield number, f"not a UTF-8 JSON object ({exc})"
            continue
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("text"), str)
            or not item["text"].strip()
        ):
            yield number, 'expected an object with a non-empty "text"'
            continue
        yield number, str(item.get("id", number)), item["text"]


def _record(item_id: str, found: Suggestions) -> dict[str, Any]:
    return {
        "id": item_id,
        "ecf": [{"code": s.code, "level": s.level, "score": s.score} for s in found.ecf],
        "esco": [{"uri": s.uri, "label": s.label, "score": s.score} for s in found.esco],
        "digcomp": [{"code": s.code, "score": s.score} for s in found.digcomp],
    }


def _suggest(args: argparse.Namespace) -> int:
    if args.top_k < 1:
        print("error: --top-k must be at least 1", file=sys.stderr)
        return 2
    suggester = get_suggester()
    bad = 0
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        found = suggester.suggest([text for _, text in batch], top_k=args.top_k)
        for (item_id, _), suggestions in zip(batch, found, strict=True):
            print(json.dumps(_record(item_id, suggestions), ensure_ascii=False))
        batch.clear()

    for entry in _lines(args.file):
        if len(entry) == 2:
            bad += 1
            print(f"line {entry[0]}: {entry[1]}", file=sys.stderr)
            continue
        batch.append((entry[1], entry[2]))
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    return 1 if bad else 0
