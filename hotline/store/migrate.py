"""Alembic, driven from code so `hotline db upgrade` and `serve` share one path."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply pending migrations; creating the SQLite file's folder if needed."""
    _ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)


def pending(url: str) -> list[str]:
    """Revisions not yet applied to the database at url (oldest first)."""
    script = ScriptDirectory.from_config(alembic_config(url))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    wanted = [rev.revision for rev in script.walk_revisions()]
    if not current:
        return list(reversed(wanted))
    applied = set()
    for head in current:
        applied.update(rev.revision for rev in script.iterate_revisions(head, "base"))
    return [rev for rev in reversed(wanted) if rev not in applied]


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
