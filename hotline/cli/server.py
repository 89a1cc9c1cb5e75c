"""`hotline db upgrade` and `hotline serve`."""
from __future__ import annotations

import importlib
import logging
import signal
import sys

import click
from sqlalchemy.engine import make_url

from hotline.live.embedded import stop_embedded
from hotline.long_lived import freeze_start_objects
from hotline.settings import from_env
from hotline.store.migrate import upgrade

log = logging.getLogger(__name__)
# The web composition root sits above the entry points (docs/architecture.md), so `serve`
# names it the way gunicorn names hotline.wsgi:app rather than importing it.
APP_FACTORY = "hotline.app:create_app"


@click.group()
def db() -> None:
    """数据库 / database schema."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """应用迁移 / apply Alembic migrations to HOTLINE_DATABASE_URL."""
    settings = from_env()
    upgrade(settings.database_url, revision)
    click.echo(f"数据库已是最新 / database at {revision}: {_safe_url(settings.database_url)}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """运行网页与语音服务 / run the web application (Flask-SocketIO server)."""
    settings = from_env()
    if settings.database_url.startswith("sqlite"):
        _upgrade_embedded(settings.database_url)
    app = _app_factory()(settings)
    freeze_start_objects()
    click.echo(f"Hotline 服务地址 / listening on http://{host}:{port}")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)      # SIGTERM unwinds like Ctrl-C: finally runs
    try:
        app.extensions["socketio"].run(app, host=host, port=port, allow_unsafe_werkzeug=True,
                                       use_reloader=False, log_output=False)
    except KeyboardInterrupt:
        pass
    finally:
        if settings.embedded_redis:      # the instance's private redis-server ends with its server
            stop_embedded(settings.instance_dir)
            click.echo("嵌入式 Redis 已停止 / embedded Redis stopped")


def _exit_on_sigterm(signum, frame) -> None:
    sys.exit(0)


def _app_factory():
    module, _, name = APP_FACTORY.partition(":")
    return getattr(importlib.import_module(module), name)


def _upgrade_embedded(url: str) -> None:
    try:
        upgrade(url)
    except Exception:  # the voice fail-safe must still start: log, do not die
        log.exception("嵌入式数据库迁移失败 / embedded database migration failed")


def _safe_url(url: str) -> str:
    """A database URL without its password, for printing."""
    return make_url(url).render_as_string(hide_password=True)
