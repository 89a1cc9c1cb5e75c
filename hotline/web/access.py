"""Who may open what: the public paths, role checks, safe redirects and error pages.

Every surface imports its decorators from hotline.web.auth (which re-exports these);
the sign-in guard there uses `is_public` so that a page without a decorator is still
closed to anonymous visitors. Error answers are JSON under /api/ and a bilingual page
everywhere else.
"""
from __future__ import annotations

import logging
from functools import wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from hotline.bootstrap.outages import is_outage
from hotline.ports import ROLE_LABELS

log = logging.getLogger(__name__)

PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/login", "/favicon.ico"})
PUBLIC_PREFIXES = ("/voice/", "/static/", "/roster/feed/")   # the feed is guarded by its secret token
CSRF_EXEMPT_BLUEPRINTS = frozenset({"voice", "voice_conference"})   # Twilio signs these; no token
HOME_BY_ROLE = {"counselor": "/console", "supervisor": "/dashboard", "admin": "/dashboard"}

CSRF_TEXT = ("表单已过期或无效，请刷新页面后重试", "The form has expired or is invalid; reload the page and try again.")
ERROR_TEXT = {
    400: ("请求无效，请检查后重试", "The request is invalid; check it and try again."),
    401: ("请先登录", "Please sign in first."),
    403: ("您的角色无权访问此页面", "Your role does not allow access to this page."),
    404: ("页面不存在", "Page not found."),
    405: ("不支持此操作", "This method is not allowed here."),
    413: ("提交的内容过大", "The request body is too large."),
    423: ("账号因登录失败次数过多已锁定，请联系督导解锁",
          "This account is locked after too many failed sign-ins; ask a supervisor to unlock it."),
    429: ("登录失败次数过多，请稍后再试", "Too many failed sign-ins; please try again later."),
    500: ("服务器内部错误，已记录，请稍后再试", "Internal error; it has been logged, please try again later."),
    503: ("后台服务暂时不可用，请稍后再试", "A back-end service is temporarily unavailable; please try again shortly."),
}
OUTAGE_RETRY_S = "5"


class AnonymousUser(AnonymousUserMixin):
    """The visitor before sign-in; answers the same questions as a User."""

    role = None
    display_name = ""
    role_label = ""
    line_ids: tuple[str, ...] = ()

    def has_role(self, *roles: str) -> bool:
        return False


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def is_api(path: str | None = None) -> bool:
    path = request.path if path is None else path
    return path == "/api" or path.startswith("/api/")


def safe_next(target: str | None) -> str | None:
    """target if it is a path on this site (no scheme, host or '//' trick), else None."""
    if not target or len(target) > 2048 or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout"):
        return None
    return target


def home_for(user) -> str:
    return HOME_BY_ROLE.get(getattr(user, "role", None), "/console")


def current_target() -> str:
    """The path and query of this request, for the login page's `next`."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def unauthorized():
    """Anonymous: 401 JSON for the API, otherwise a redirect to the sign-in page."""
    if is_api():
        return error_response(401)
    return redirect(url_for("auth.login", next=current_target()))


def roles_required(*roles: str) -> Callable:
    """Allow only users with one of roles (an admin has supervisor rights); else 403."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def error_response(code: int, headers: dict | None = None, detail: tuple[str, str] | None = None):
    zh, en = detail or ERROR_TEXT.get(code, ("出错了", "Something went wrong."))
    if is_api():
        response = jsonify(error=code, message=f"{zh} / {en}", message_zh=zh, message_en=en)
    else:
        try:
            response = render_template("error.html", code=code, message_zh=zh, message_en=en)
        except Exception:  # the page itself needs what is down (the user's row): plain text then
            response = current_app.response_class(f"{code} {zh} / {en}\n", mimetype="text/plain")
    return response, code, headers or {}


def register_error_handlers(app: Flask) -> None:
    """Bilingual errors: JSON under /api/ (every status, an unexpected exception included),
    a page elsewhere. A dependency outage (Redis, the database) is 503 with Retry-After,
    never a 500. /voice/ keeps its own fail-safe answers (a caller never hears an error)."""
    def handle(exc: HTTPException):
        headers = {"Retry-After": exc.retry_after} if getattr(exc, "retry_after", None) else None
        return error_response(exc.code or 500, headers)

    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return handle(exc)
        outage = is_outage(exc)
        if request.path.startswith("/voice/") or not (outage or is_api()):
            raise exc                      # the voice fail-safe, or Flask's own 500 path
        log.error("%s %s → %s: %s", request.method, request.path, 503 if outage else 500, type(exc).__name__,
                  exc_info=not outage)
        return error_response(503, {"Retry-After": OUTAGE_RETRY_S}) if outage else error_response(500)

    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, handle)
    app.register_error_handler(CSRFError, lambda exc: error_response(400, None, CSRF_TEXT))
    app.register_error_handler(Exception, unexpected)


NAV_ITEMS = (("/console", "接线台 / Console", ("counselor",)),
             ("/dashboard", "监控 / Dashboard", ("supervisor",)),
             ("/roster", "排班 / Roster", ("supervisor",)),
             ("/roster/mine", "我的排班 / My shifts", ("counselor",)),
             ("/triage", "分诊 / Triage", ("supervisor",)),
             ("/reports", "报告 / Reports", ("supervisor",)),
             ("/admin", "账号 / Accounts", ("supervisor",)))


def nav_context() -> dict:
    """Links in the top bar: only pages that exist and that this user may open."""
    if not current_user.is_authenticated:
        return {"nav_items": [], "role_labels": ROLE_LABELS, "home_url": "/login"}
    rules = {rule.rule for rule in current_app.url_map.iter_rules()}
    items = [(path, label) for path, label, roles in NAV_ITEMS
             if path in rules and current_user.has_role(*roles)]
    return {"nav_items": items, "role_labels": ROLE_LABELS, "home_url": home_for(current_user)}
