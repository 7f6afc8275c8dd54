"""The report's charts as PNG images, drawn once and reused by the dashboard and the XLSX
export. matplotlib's Figure without pyplot (matplotlib's advice for web servers: no global
state shared by the threads, no display); its DejaVu fonts carry accented letters."""

import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reporting.figures import Report

_GREEN, _BLUE = "#0b5d3b", "#0b4f8a"
LEVELS = ("e-1", "e-2", "e-3", "e-4", "e-5")
_LEVEL_COLOURS = ("#c7e9d6", "#86c9a3", "#3e9b6b", "#0b5d3b", "#063b25")


def _figure(size: tuple[float, float]) -> tuple[Figure, Any]:
    figure = Figure(figsize=size)
    return figure, figure.subplots()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(
        buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None}
    )  # same figures, same bytes
    return buffer.getvalue()


def hours_by_association(report: Report, title: str, unit: str) -> bytes:
    lines = [line for line in report.by_association if line.hours_approved > 0][:12]
    figure, axes = _figure((7, 0.45 * max(len(lines), 2) + 1))
    names = [line.name for line in lines][::-1]
    values = [float(line.hours_approved) for line in lines][::-1]
    axes.barh(names, values, color=_GREEN)
    axes.set_xlabel(unit)
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def competences_by_area(report: Report, title: str, unit: str) -> bytes:
    """Assessed e-CF competences per area, stacked by the level observed."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (area, level), n in report.by_area_level.items():
        counts[area][level] = n
    areas = sorted(counts) or ["—"]
    figure, axes = _figure((7, 0.5 * len(areas) + 1.5))
    left = [0.0] * len(areas)
    for level, colour in zip(LEVELS, _LEVEL_COLOURS, strict=True):
        values = [float(counts[a].get(level, 0)) for a in areas]
        axes.barh(areas, values, left=left, color=colour, label=level, edgecolor="white")
        left = [x + y for x, y in zip(left, values, strict=True)]
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # assessments are counted
    axes.set_xlabel(unit)
    axes.set_title(title)
    axes.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def hours_by_month(report: Report, title: str, unit: str) -> bytes:
    months = report.hours_by_month or [(report.period.start.strftime("%Y-%m"), Decimal(0))]
    figure, axes = _figure((7, 3))
    axes.bar([m for m, _ in months], [float(h) for _, h in months], color=_BLUE)
    axes.set_ylabel(unit)
    axes.set_title(title)
    axes.tick_params(axis="x", labelrotation=45)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
