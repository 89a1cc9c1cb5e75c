"""What a production web start does once, in gunicorn's master, before workers fork.

- Settings are read once, so generated instance/ secrets are created by one process
  rather than raced for by every worker.
- The embedded Redis (when HOTLINE_REDIS_URL is unset) is started once for the same
  reason: two workers starting it at the same moment would fight over its socket.
- Alembic migrations run under a lock ("Alembic migrations on start"): several gunicorn
  instances (hotline-web@PORT) may start together, and only one may migrate at a time;
  the others then find nothing pending.
A failure is logged, never fatal: the voice webhook must come up even with the database
down, to send callers to an open line (fail-safe); /readyz then says what is missing.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Iterator, Mapping

log = logging.getLogger("hotline.cli.deploy")
ENV_VAR = "HOTLINE_MIGRATE_ON_START"
LOCK_KEY = 0x686F746C   # "hotl": the PostgreSQL advisory lock every Hotline start agrees on
LOCK_TIMEOUT = "120s"


def migrate_on_start_enabled(environ: Mapping[str, str] | None = None) -> bool:
    raw = ((os.environ if environ is None else environ).get(ENV_VAR) or "1").strip().lower()
    return raw not in ("0", "false", "no", "off")


def prepare(environ: Mapping[str, str] | None = None) -> bool:
    """Settings, embedded Redis, migrations; True when all of it worked."""
    from hotline.logging_setup import configure_logging
    from hotline.settings import from_env

    configure_logging()   # under gunicorn: keeps its handler, adds the quieting
    try:
        settings = from_env(environ)
    except Exception:
        log.exception("设置无效 / settings are invalid; run `hotline doctor`")
        return False
    ok = _start_embedded_redis(settings)
    if migrate_on_start_enabled(environ):
        ok = migrate(settings.database_url) and ok
    return ok


def migrate(url: str) -> bool:
    from hotline.store.migrate import upgrade

    try:
        with migration_lock(url):
            upgrade(url)
    except Exception:
        log.exception("启动时迁移失败，服务仍启动（故障转接可用）/ migration on start failed; "
                      "serving anyway (fail-safe works); fix and run `hotline db upgrade`")
        return False
    log.info("数据库已是最新 / database schema is up to date")
    return True


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
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

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


def _start_embedded_redis(settings) -> bool:
    if not settings.embedded_redis:
        return True
    from hotline.live.embedded import resolve_redis_url

    try:
        resolve_redis_url(settings)
    except Exception:
        log.exception("嵌入式 Redis 启动失败 / embedded Redis did not start")
        return False
    return True
