"""Small HTTP helpers shared by the console's page and its JSON API.

Errors use the same JSON shape as hotline.web.access.error_response
({error, message, message_zh, message_en}) so the page shows every failure alike.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, jsonify, request
from flask_login import current_user

from hotline.web.auth import login_required
from hotline.web.console_state import may_use_console


class BadRequest(Exception):
    """A request body that does not fit the contract; the message names the field."""


def console_required(view):
    """Signed in (else 401 / the sign-in page) and allowed to answer calls (else 403)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not may_use_console(current_user):
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def api_error(code: int, message: str):
    """A JSON error; message is "中文 / English" like every ConsoleError."""
    zh, _, en = message.partition(" / ")
    return jsonify(error=code, message=message, message_zh=zh, message_en=en or zh), code


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("请求体须为 JSON 对象 / the request body must be a JSON object")
    return body


def field(body: dict, name: str, kind: type, choices=None):
    """body[name] if it has the right type (and is one of choices); else BadRequest naming it."""
    value = body.get(name)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise BadRequest(f"字段 {name} 缺失或类型错误 / field {name!r} is missing or not a {kind.__name__}")
    if choices is not None and value not in choices:
        raise BadRequest(f"字段 {name} 的值无效 / field {name!r} must be one of: {', '.join(map(str, choices))}")
    return value
