"""create_app(config): the web composition root."""
from __future__ import annotations

import logging

from flask import Flask

from flask_socketio import SocketIO

from hotline.clock import warn_if_not_real
from hotline.logging_setup import configure_logging
from hotline.services import Services
from hotline.settings import Settings, from_env

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
    services = Services(settings)
    services.directory  # load now: a bad directory must stop the start, not a caller
    app.extensions["hotline"] = services
    _init_socketio(app, services)
    _register_blueprints(app)
    if settings.run_background:
        services.start_ticker()
    from hotline.web.proxy import init_app as init_proxy

    init_proxy(app)   # last: it must wrap Flask-SocketIO's WSGI wrapper too
    return app


# One blueprint per surface; a module not written yet is simply absent.
BLUEPRINT_MODULES = ("hotline.web.voice", "hotline.web.auth", "hotline.web.console", "hotline.web.api",
                     "hotline.web.dashboard", "hotline.web.admin", "hotline.web.reports",
                     "hotline.web.roster", "hotline.web.triage", "hotline.web.metrics")


def services_of(app: Flask) -> Services:
    return app.extensions["hotline"]


def socketio_of(app: Flask) -> SocketIO:
    return app.extensions["socketio"]


def _init_socketio(app: Flask, services: Services) -> None:
    """One SocketIO per app (so tests never share servers); Redis fans events out."""
    queue = None
    if services.settings.socketio_message_queue:
        try:
            queue = services.redis_url
        except Exception as exc:  # Redis unavailable: this process still serves alone
            log.error("Socket.IO 消息队列不可用 / message queue unavailable: %s", exc)
    options = {}
    if queue:
        # Built here rather than by Flask-SocketIO, which only knows redis:// URLs
        # (the embedded Redis listens on a unix:// socket).
        from socketio import RedisManager

        options["client_manager"] = RedisManager(queue, channel=f"{services.settings.redis_prefix}-socketio")
    origins = [services.settings.public_url, *services.settings.allowed_origins]
    socketio = SocketIO(app, async_mode="threading", cors_allowed_origins=origins,
                        logger=False, engineio_logger=False, **options)
    services.socketio = socketio
    try:
        from hotline.web.sockets import register_handlers
    except ModuleNotFoundError as exc:
        if exc.name != "hotline.web.sockets":
            raise
        return
    register_handlers(socketio, services)


def _register_blueprints(app: Flask) -> None:
    from hotline.web.health import bp as health_bp

    app.register_blueprint(health_bp)
    for module in BLUEPRINT_MODULES:
        try:
            surface = __import__(module, fromlist=["bp"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        if hasattr(surface, "init_app"):   # extensions a surface owns (login, CSRF, ...)
            surface.init_app(app)
        app.register_blueprint(surface.bp)
