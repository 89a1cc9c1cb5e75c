"""Screenshots the browser tests leave for a reviewer: one folder, named at the end of the run.

`shoot(page, name)` writes test-screenshots/<name>.png at the repository root (git-ignored);
tests/conftest.py's terminal summary prints the folder when the run wrote any.
"""
from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "test-screenshots"


def shoot(page, name: str, full_page: bool = False) -> Path:
    FOLDER.mkdir(exist_ok=True)
    path = FOLDER / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def written() -> list[Path]:
    return sorted(FOLDER.glob("*.png")) if FOLDER.exists() else []
