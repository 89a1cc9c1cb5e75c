"""Sign-in, sign-out and the guard that closes every page to anonymous visitors.

`init_app` attaches Flask-Login and Flask-WTF's CSRF protection; the guard below runs
before every request, so a page whose author forgot `login_required` is still closed.
Public: /login, /healthz, /readyz, /metrics, /static/ and /voice/ (Twilio signs those,
so they are also the only state changes exempt from the CSRF token). JSON calls send
the token in the X-CSRFToken header (base.html puts it in <meta name="csrf-token">).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from flask import (Blueprint, Flask, current_app, flash, redirect, render_template, request,
                   session)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

from hotline.ports import Account
from hotline.web import device
from hotline.web.access import (CSRF_EXEMPT_BLUEPRINTS, ERROR_TEXT, AnonymousUser, error_response, home_for,
                                is_public, nav_context, register_error_handlers, roles_required,
                                safe_next, unauthorized)
from hotline.web.context import hotline

__all__ = ["bp", "init_app", "login_required", "roles_required", "csrf", "login_manager"]

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__, template_folder="templates")
login_manager = LoginManager()
csrf = CSRFProtect()
SESSION_HOURS = 12          # a long shift; the cookie is refreshed on every request
WEB_STATIC = Path(__file__).resolve().parent / "static"


def init_app(app: Flask) -> None:
    """Attach sessions, CSRF and the error pages to app (the failed-sign-in limits are
    Hotline.sign_in_gate's)."""
    _configure(app)
    login_manager.init_app(app)
    login_manager.anonymous_user = AnonymousUser
    login_manager.unauthorized_handler(unauthorized)
    csrf.init_app(app)
    register_error_handlers(app)
    app.context_processor(nav_context)


def _configure(app: Flask) -> None:
    settings = app.extensions["hotline"].settings
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False        # check_csrf below runs after the guard
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a page may stay open for a whole shift
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.public_url.startswith("https://")
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=SESSION_HOURS)
    if not Path(app.static_folder or "").is_dir():      # the app's /static/ is hotline/web/static
        app.static_folder = str(WEB_STATIC)


@login_manager.user_loader
def load_user(user_id: str) -> Account | None:
    """The signed-in user, if still active and the password has not changed since."""
    return hotline().accounts.signed_in(user_id)


@bp.before_app_request
def require_sign_in():
    if is_public(request.path) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


@bp.before_app_request
def check_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or request.blueprint in CSRF_EXEMPT_BLUEPRINTS:
        return
    csrf.protect(apply_exemptions=True)


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"))
    if request.method == "POST":
        return _attempt(target)
    if current_user.is_authenticated:
        return redirect(target or home_for(current_user))
    return render_template("login.html", next=target, username="")


def _attempt(target: str | None):
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    known = device.device_id(username)
    address = request.remote_addr or "unknown"
    client = f"device:{known}" if known else f"ip:{address}"
    attempt = hotline().sign_in_gate.attempt(username, password, client, None if known else address)
    if attempt.wait_s:
        log.warning("登录已限流 / sign-in throttled (retry in %ss)", attempt.wait_s)
        return error_response(429, {"Retry-After": str(attempt.wait_s)}, _wait_text(attempt.wait_s))
    if attempt.locked:
        log.warning("登录被拒：账号已锁定 / sign-in refused: user id %s is locked", attempt.refused_user_id)
        return error_response(423, None, ERROR_TEXT[423])
    if attempt.account is None:
        log.info("登录失败 / sign-in failed for %s",
                 f"user id {attempt.refused_user_id}" if attempt.refused_user_id is not None
                 else "an unknown username")
        return render_template("login.html", next=target, username=username, failed=True), 401
    _sign_in(attempt.account)
    return device.remember(redirect(target or home_for(attempt.account)), attempt.account.username)


def _wait_text(seconds: int) -> tuple[str, str]:
    if seconds < 120:
        return (f"登录失败次数过多，请 {seconds} 秒后再试",
                f"Too many failed sign-ins; please try again in {seconds} seconds.")
    minutes = (seconds + 59) // 60
    return (f"登录失败次数过多，请 {minutes} 分钟后再试",
            f"Too many failed sign-ins; please try again in {minutes} minutes.")


def _sign_in(user: Account) -> None:
    session.clear()               # nothing from before sign-in carries over
    login_user(user)
    session.permanent = True      # expires after SESSION_HOURS without a request
    log.info("登录成功 / signed in: user id %s (%s)", user.id, user.role)


@bp.get("/")
def home():
    """The site root sends each role to its own start page."""
    return redirect(home_for(current_user))


@bp.post("/logout")
def logout():
    """Sign out: a new session version ends this cookie and every copy of it (and the
    user's other sessions); this browser's cookie is cleared even if the database is down."""
    if current_user.is_authenticated:
        hotline().blocked_records.counselor_left(current_user.id, "signed_out")   # alerts if a record is open
        try:
            hotline().accounts.sign_out(current_user)
        except Exception as exc:  # database down: the cookie below is cleared all the same
            log.warning("退出时无法更新会话版本 / could not revoke sessions on sign-out: %s",
                        type(exc).__name__)
    logout_user()
    session.clear()
    flash("您已退出登录 / You have signed out.", "info")
    return redirect("/login")
