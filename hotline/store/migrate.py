"""Alembic, driven from code so `hotline db upgrade`, `serve` and gunicorn's start share one path.

`migration_lock` is the lock every process that migrates one database agrees on
(several gunicorn instances may start together; only one may migrate at a time), and
`AlembicSchema` is the same operations as an object for the readiness probe.
"""
from __future__ import annotations

import contextlib
import fcntl
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 0x686F746C   # "hotl": the PostgreSQL advisory lock every Hotline start agrees on
LOCK_TIMEOUT = "120s"


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


class AlembicSchema:
    """The schema of one database (hotline.ports.Schema): what is pending."""

    def __init__(self, url: str) -> None:
        self.url = url

    def pending(self) -> list[str]:
        return pending(self.url)


@contextlib.contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """A lock shared by every process that migrates this database."""
    if url.startswith("postgresql"):
        with _advisory_lock(url):
            yield
    elif url.startswith("sqlite:///") and ":memory:" not in url:
        with _file_lock(Path(url.removeprefix("sqlite:///")).with_suffix(".migrate.lock")):
            yield
    else:
        yield


@contextlib.contextmanager
def _advisory_lock(url: str) -> Iterator[None]:
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT}'"))
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
