"""What the encoding benchmarks share: the texts they encode and rounds timed in turn."""

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from matching.embedders import Embedder

Timed = Callable[[], float]  # runs once; the seconds of the part that is measured


@dataclass(frozen=True)
class Texts:
    profiles: list[str]  # encoded as documents
    needs: list[str]  # encoded as queries

    def __len__(self) -> int:
        return len(self.profiles) + len(self.needs)


def embedder_run(embedder: Embedder, texts: Texts, batch_size: int) -> Timed:
    """Profiles as documents, then needs as queries, through the embedder."""

    def run() -> float:
        started = time.perf_counter()
        embedder.encode_documents(texts.profiles, batch_size=batch_size)
        embedder.encode_queries(texts.needs, batch_size=batch_size)
        return time.perf_counter() - started

    return run


def interleaved(runs: Mapping[str, Timed], rounds: int) -> dict[str, list[float]]:
    """One warm-up each, then `rounds` rounds in turn; the seconds of every timed round."""
    for run in runs.values():
        run()
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            seconds[name].append(run())
    return seconds


def rate(seconds: Sequence[float], count: int) -> float:
    """The median rate, in texts per second."""
    return statistics.median(count / s for s in seconds)
