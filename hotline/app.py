"""create_app(config): the web composition root.

Builds the Flask app of one process: its adapters (Adapters) and use cases (Hotline), Socket.IO, and every surface's blueprint, each named below (a
surface with extensions — sign-in, CSRF, the dashboard feed — attaches them first). Connections open lazily on first use: a web process starts and answers
callers through the fail-safe while the database or Redis is down.
"""
from __future__ import annotations

import logging
from contextlib import ExitStack

from flask import Flask, g

from flask_socketio import SocketIO

from hotline.bootstrap import Adapters, Hotline
from hotline.clock import warn_if_not_real
from hotline.live.held_events import HeldRedisManager
from hotline.logging_setup import configure_logging
from hotline.settings import Settings, from_env
from hotline.web import (admin, auth, conference_api, console, dashboard, health, metrics, proxy, reports, roster,
                         security, sockets, triage, voice, voice_conference)

log = logging.getLogger(__name__)


def create_app(config: Settings | None = None) -> Flask:
    """Build the Flask app for one process; connections open lazily on first use."""
    settings = config or from_env()
    configure_logging()
    warn_if_not_real(settings.clock)
    app = Flask(__name__, instance_path=str(settings.instance_dir.resolve()),
                static_folder="web/static", template_folder="web/templates")
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing,
                      MAX_CONTENT_LENGTH=256 * 1024, JSON_AS_ASCII=False)
    adapters = Adapters(settings)
    adapters.directory  # load now: a bad directory must stop the start, not a caller
    app.extensions["hotline"] = Hotline(adapters)   # what the views call (hotline.web.context.hotline)
    _init_socketio(app, adapters)
    batch_per_request(app, adapters)
    security.init_app(app)   # the CSP and security headers on every answer
    _register_blueprints(app)
    voice.init_app(app)      # Twilio's webhooks, beside Flask (web/voice.py): after Socket.IO's wrapper
    proxy.init_app(app)   # last: it must wrap Flask-SocketIO's WSGI wrapper too
    return app


def batch_per_request(app: Flask, adapters: Adapters) -> None:
    """Unless HOTLINE_RECORD_WRITES=web, a request's record changes go out as one stream
    entry when it ends (one XADD per webhook, issue #18), before the answer leaves the process."""
    if adapters.settings.record_writes == "web":
        return

    @app.before_request
    def _open_record_batch() -> None:
        stack = ExitStack()
        stack.enter_context(adapters.request_batch())
        g.hotline_record_batch = stack

    @app.teardown_request
    def _send_record_batch(_exc) -> None:
        stack = g.pop("hotline_record_batch", None)
        if stack is not None:
            stack.close()


def _init_socketio(app: Flask, adapters: Adapters) -> None:
    """One SocketIO per app (so tests never share servers); Redis fans events out."""
    queue = None
    if adapters.settings.socketio_message_queue:
        try:
            queue = adapters.redis_url
        except Exception as exc:  # Redis unavailable: this process still serves alone
            log.error("Socket.IO 消息队列不可用 / message queue unavailable: %s", exc)
    options = {}
    if queue:
        # Built here rather than by Flask-SocketIO, which only knows redis:// URLs
        # (the embedded Redis listens on a unix:// socket).
        # Held: a request's events go out with its record entry (hotline/live/held_events.py).
        options["client_manager"] = HeldRedisManager(queue, channel=f"{adapters.settings.redis_prefix}-socketio")
    origins = [adapters.settings.public_url, *adapters.settings.allowed_origins]
    socketio = SocketIO(app, async_mode="threading", cors_allowed_origins=origins,
                        logger=False, engineio_logger=False, **options)
    adapters.socketio = socketio
    sockets.register_handlers(socketio)


def _register_blueprints(app: Flask) -> None:
    """Every surface, by name; a surface's extensions (login, CSRF, ...) first."""
    app.register_blueprint(health.bp)
    for surface in (voice_conference, auth, admin, console, conference_api, dashboard, reports, roster,
                    triage, metrics):
        if hasattr(surface, "init_app"):
            surface.init_app(app)
        app.register_blueprint(surface.bp)
