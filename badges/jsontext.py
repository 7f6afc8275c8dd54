"""JSON read from outside (a badge, a token's payload, a fetched document), with a bound on
its nesting: Python's parser, and every walk over the result, recurse once per level, and a
badge nested a thousand levels deep would exhaust the stack instead of failing a check."""

import json
from typing import Any

# Far above any badge (an OB 3.0 credential nests about 8 levels: alignment entries inside
# an achievement inside the subject).
MAX_DEPTH = 32


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH levels."""


def loads(text: str | bytes) -> Any:
    """Raises:
    TooDeep: nested deeper than MAX_DEPTH.
    ValueError: not JSON."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise TooDeep(f"the JSON is nested deeper than {MAX_DEPTH} levels") from None
    if _depth(document) > MAX_DEPTH:
        raise TooDeep(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    return document


def _depth(document: Any) -> int:
    """The nesting of objects and arrays, walked without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, level + 1) for child in children)
    return deepest
