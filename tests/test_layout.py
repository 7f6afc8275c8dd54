"""The shape of the house: our generic package names resolve to this repository, modules and
functions stay small, the use-cases are grouped and are the only ones to commit."""

import ast
import importlib
from pathlib import Path

import pytest

from config import REPOSITORY

PACKAGES = [
    "api",
    "badges",
    "cli",
    "config",
    "errors",
    "matching",
    "models",
    "reporting",
    "services",
]
FUNCTION_LINES = 65  # "about sixty": a docstring and a signature over several lines


@pytest.mark.parametrize("name", PACKAGES)
def test_package_is_ours(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().parent == REPOSITORY / name


def test_every_module_stays_small() -> None:
    too_big = {
        str(path.relative_to(REPOSITORY)): n
        for name in [*PACKAGES, "tests"]
        for path in (REPOSITORY / name).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert too_big == {}


def test_the_image_carries_every_package() -> None:
    dockerfile = (REPOSITORY / "Dockerfile").read_text(encoding="utf-8")
    missing = [n for n in PACKAGES if f"COPY --chown=probono:probono {n} ./{n}" not in dockerfile]
    assert missing == []


def test_only_the_use_cases_commit() -> None:
    """The API reads its input and answers; the use-case it calls commits (services/)."""
    committing = [
        f"{path.relative_to(REPOSITORY)}:{number}"
        for path in (REPOSITORY / "api").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ".commit(" in line
    ]
    assert committing == []


def test_the_use_cases_are_grouped_not_heaped() -> None:
    """A newcomer finds a use-case by its concern: no folder of services/ holds more than
    a dozen modules side by side."""
    crowded = {
        str(folder.relative_to(REPOSITORY)): n
        for folder in [REPOSITORY / "services", *(REPOSITORY / "services").glob("*/")]
        if folder.is_dir()
        and (n := len([p for p in folder.glob("*.py") if p.name != "__init__.py"])) > 12
    }
    assert crowded == {}


def test_functions_stay_short() -> None:
    """Past about sixty lines a function does several things: split along its seams."""
    long = {
        f"{path.relative_to(REPOSITORY)}:{node.lineno} {node.name}": length
        for name in PACKAGES
        for path in (REPOSITORY / name).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > FUNCTION_LINES
    }
    assert long == {}
