"""The account admin page (/admin): staff accounts, their locks, "sign out everywhere".

Supervisors (and admins) see every account; each action is a POSTed form (CSRF-checked)
naming the account, carried out by the accounts use case, which writes the audit line
shown at the bottom of the page. A supervisor may not act on an admin's account.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import current_user

from hotline.ports import AccountError
from hotline.web.auth import roles_required
from hotline.web.context import hotline

bp = Blueprint("accounts", __name__, template_folder="templates")
ADMIN_URL = "/admin"
AUDIT_ROWS = 50


@bp.get(ADMIN_URL)
@roles_required("supervisor")
def accounts_page():
    accounts = hotline().accounts
    return render_template("admin_accounts.html", accounts=accounts.all(), audit=accounts.audit_log(AUDIT_ROWS),
                           may_manage=lambda target: accounts.may_manage(current_user, target))


@bp.post(f"{ADMIN_URL}/sign-out-everywhere")
@roles_required("supervisor")
def sign_out_everywhere():
    name = _managed_username()
    hotline().accounts.sign_out_everywhere(name, actor=current_user.username)
    flash(f"已在所有设备上退出 / signed out everywhere: {name}", "success")
    return redirect(ADMIN_URL)


@bp.post(f"{ADMIN_URL}/unlock")
@roles_required("supervisor")
def unlock():
    name = _managed_username()
    lifted = hotline().accounts.unlock(name, actor=current_user.username)
    flash(f"已解除锁定 / unlocked: {name}" if lifted else f"账号未被锁定 / not locked: {name}",
          "success" if lifted else "info")
    return redirect(ADMIN_URL)


def _managed_username() -> str:
    """The form's account, if it exists and this user may manage it (else 404 / 403)."""
    accounts = hotline().accounts
    try:
        target = accounts.find(request.form.get("username") or "")
    except AccountError:
        target = None
    if target is None:
        abort(404)
    if not accounts.may_manage(current_user, target):
        abort(403)
    return target.username
