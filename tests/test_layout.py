"""Our generic package names (api, config, models) must resolve to this repository."""

import importlib
from pathlib import Path

import pytest

from config import REPOSITORY

PACKAGES = ["api", "badges", "cli", "config", "matching", "missions", "models", "reporting"]


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
