"""Fixtures for the unit tests: the shipped unit, a scratch copy of it, and the real articles."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from question_bank.units import UNITS_DIR, Unit, copied_runs, load_unit, word_runs

REPO_ROOT = Path(__file__).resolve().parents[3]
FIRST_UNIT = UNITS_DIR / "russia-dprk-treaty"


def material_dir() -> Path:
    """Where the five background articles live (DEBRIEF_MATERIAL overrides)."""
    override = os.environ.get("DEBRIEF_MATERIAL")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "material"


@pytest.fixture(scope="session")
def unit() -> Unit:
    """The first shipped unit, loaded once."""
    return load_unit(FIRST_UNIT)


@pytest.fixture
def unit_copy(tmp_path: Path) -> Path:
    """A scratch copy of the first unit's folder that a test may break."""
    target = tmp_path / "russia-dprk-treaty"
    shutil.copytree(FIRST_UNIT, target)
    return target


@pytest.fixture(scope="session")
def articles(unit: Unit) -> dict[str, str]:
    """The text of each source article by source id; skips when the material is absent."""
    folder = material_dir()
    if not folder.is_dir():
        pytest.skip(f"background articles not found at {folder} (set DEBRIEF_MATERIAL)")
    texts = {}
    for source in unit.sources:
        path = folder / source.file
        if not path.is_file():
            pytest.skip(f"article {source.file} is missing from {folder}")
        texts[source.id] = path.read_text(encoding="utf-8")
    return texts


@pytest.fixture(scope="session")
def find_copies(articles: dict[str, str]) -> Callable[[Unit], list[str]]:
    """A check that lists every 8-word run of the unit's prose also found in an article."""
    runs: set[tuple[str, ...]] = set()
    for text in articles.values():
        runs |= word_runs(text, 8)

    def check(checked: Unit) -> list[str]:
        return [f"{where}: {run!r}" for where, text in checked.prose()
                for run in copied_runs(text, runs, 8)]

    return check
