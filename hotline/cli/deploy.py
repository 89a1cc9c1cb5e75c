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

config/gunicorn.conf.py imports this module only when gunicorn starts (on_starting).
"""
from __future__ import annotations

import logging
from typing import Mapping

from hotline.live.embedded import resolve_redis_url
from hotline.logging_setup import configure_logging
from hotline.settings import Settings, from_env, migrate_on_start
from hotline.store.migrate import migration_lock, upgrade

log = logging.getLogger("hotline.cli.deploy")


def prepare(environ: Mapping[str, str] | None = None) -> bool:
    """Settings, embedded Redis, migrations; True when all of it worked."""
    configure_logging()   # under gunicorn: keeps its handler, adds the quieting
    try:
        settings = from_env(environ)
    except Exception:
        log.exception("设置无效 / settings are invalid; run `hotline doctor`")
        return False
    ok = _start_embedded_redis(settings)
    if migrate_on_start(environ):   # HOTLINE_MIGRATE_ON_START
        ok = migrate(settings.database_url) and ok
    return ok


def migrate(url: str) -> bool:
    try:
        with migration_lock(url):
            upgrade(url)
    except Exception:
        log.exception("启动时迁移失败，服务仍启动（故障转接可用）/ migration on start failed; "
                      "serving anyway (fail-safe works); fix and run `hotline db upgrade`")
        return False
    log.info("数据库已是最新 / database schema is up to date")
    return True


def _start_embedded_redis(settings: Settings) -> bool:
    if not settings.embedded_redis:
        return True
    try:
        resolve_redis_url(settings)
    except Exception:
        log.exception("嵌入式 Redis 启动失败 / embedded Redis did not start")
        return False
    return True
