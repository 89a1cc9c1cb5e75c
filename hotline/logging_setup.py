"""Logging that never carries a caller's number or note.

Two formats: readable text (the default) and JSON lines (`HOTLINE_LOG_FORMAT=json`) for
a log shipper. Either way every record passes the privacy RedactingFilter, and a record
made while Twilio calls /voice/* carries the call id (CallSid): the one identifier that
ties the lines of a call together without saying who called.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Iterator

from hotline.settings import log_format as parse_log_format, log_level
from hotline.store.privacy import RedactingFilter

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
# INFO lines that are noise unless debugging: werkzeug's one per request, Alembic's plugin list.
_QUIET_LOGGERS = ("werkzeug", "alembic.runtime.plugins")
# The webhook being served beside Flask (hotline/web/voice.py): its CallSid, as Twilio sent it.
_serving: ContextVar[str | None] = ContextVar("hotline_call_sid", default=None)


def configure_logging(level: str | None = None, log_format: str | None = None) -> None:
    """Put one Hotline handler on the root logger; idempotent.

    A handler already installed (by an earlier call, or by gunicorn's logconfig_dict in
    the master before the fork) counts, so a process never prints each line twice.
    """
    root = logging.getLogger()
    if not any(getattr(h, "_hotline", False) for h in root.handlers):
        root.addHandler(make_handler(log_format))
        root.setLevel((level or log_level()).upper())
    quiet_noisy_loggers(logging.getLevelName(root.getEffectiveLevel()))


def log_format_from_env(value: str | None = None) -> str:
    """HOTLINE_LOG_FORMAT (or `value`): text (default) or json; anything else is a start-up error."""
    return parse_log_format(value)


def make_handler(log_format: str | None = None, stream=None) -> logging.Handler:
    """A handler with the chosen formatter, the redaction filter and the call-id filter."""
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(RedactingFilter())
    handler.addFilter(CallSidFilter())
    handler._hotline = True  # type: ignore[attr-defined]
    return handler


def make_formatter(log_format: str | None = None) -> logging.Formatter:
    if log_format_from_env(log_format) == "json":
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT)


def quiet_noisy_loggers(level: str) -> None:
    """werkzeug logs every request at INFO: keep that only when HOTLINE_LOG_LEVEL=DEBUG.

    Alembic announces its context each time /readyz looks for pending migrations (every
    few seconds per process): those two lines are dropped, the upgrades themselves kept.
    """
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    migration = logging.getLogger("alembic.runtime.migration")
    if level != "DEBUG" and not any(isinstance(f, AlembicChatterFilter) for f in migration.filters):
        migration.addFilter(AlembicChatterFilter())


class AlembicChatterFilter(logging.Filter):
    CHATTER = ("Context impl ", "Will assume ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.CHATTER)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, call_sid (when known), exc."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": _iso(record.created), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        call_sid = getattr(record, "call_sid", None)
        if call_sid:
            entry["call_sid"] = call_sid
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def _iso(created: float) -> str:
    return datetime.fromtimestamp(created, timezone.utc).isoformat(timespec="milliseconds")


class CallSidFilter(logging.Filter):
    """Adds `call_sid` from the Twilio webhook being served, if any.

    Reads only the CallSid field, only under /voice/, only a form that the view has
    already parsed (a log line must never consume the request body), and only a value
    shaped like a CallSid, so nothing a caller controls reaches the log through it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "call_sid", None) is None:
            record.call_sid = current_call_sid()
        return True


@contextmanager
def serving_call(call_sid: str | None) -> Iterator[None]:
    """While a webhook served outside Flask runs, its log lines carry its CallSid."""
    token = _serving.set(call_sid)
    try:
        yield
    finally:
        _serving.reset(token)


def current_call_sid() -> str | None:
    served = _serving.get()
    if served is not None:
        return served if _CALL_SID.match(served) else None
    # Imported here: a CLI command or an RQ worker logs without ever loading Flask (issue #18).
    from flask import has_request_context, request

    if not has_request_context():
        return None
    try:
        if not request.path.startswith("/voice/"):
            return None
        parsed = request._get_current_object().__dict__   # werkzeug caches the form here once parsed
        form = parsed.get("form")
        value = (form.get("CallSid") if form is not None else None) or request.args.get("CallSid")
    except Exception:  # a logging filter must never raise
        return None
    return value if isinstance(value, str) and _CALL_SID.match(value) else None


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def gunicorn_logconfig(level: str | None = None, log_format: str | None = None) -> dict:
    """gunicorn's logconfig_dict: its own lines (and the workers' root logger) through the
    same Hotline handler, so a JSON deployment emits JSON only. Access logs stay off:
    nginx keeps them, and gunicorn's would add nothing but client addresses."""
    level = (level or log_level()).upper()
    log_format = log_format_from_env(log_format)
    handler = {"()": "hotline.logging_setup.make_handler", "log_format": log_format}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": level, "handlers": ["hotline"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
            **{name: {"level": "DEBUG" if level == "DEBUG" else "WARNING"} for name in _QUIET_LOGGERS},
        },
        "handlers": {"hotline": handler},
        "formatters": {},
    }
