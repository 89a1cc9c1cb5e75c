"""Sessions are revocable: a cookie saved before a sign-out, a password change, a disable,
an enable or a supervisor's "sign out everywhere" no longer opens anything afterwards —
replayed from another browser, as an attacker who copied it would."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from hotline.cli.main import main
from tests.integration.auth.conftest import PASSWORD, csrf_token, sign_in


def saved_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str):
    """A fresh browser carrying only the saved cookie: the probe's status (200 = signed in)."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/authprobe/anyone").status_code


@pytest.fixture
def wang(app, client, make_user):
    make_user("wang")
    assert sign_in(client, "wang").status_code == 302
    cookie = saved_cookie(client)
    assert replay(app, cookie) == 200
    return cookie


def test_logout_ends_every_copy_of_the_cookie(app, client, wang):
    assert client.post("/logout", data={"csrf_token": csrf_token(client)}).status_code == 302
    assert replay(app, wang) == 302
    assert sign_in(client, "wang").status_code == 302                      # signing in again works
    assert replay(app, saved_cookie(client)) == 200


def test_logout_also_ends_the_users_other_browsers(app, client, wang):
    laptop = app.test_client()
    assert sign_in(laptop, "wang").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert laptop.get("/authprobe/anyone").status_code == 302


def test_a_password_change_ends_it(app, wang):
    app.extensions["hotline"].accounts.set_password("wang", "brand-new-pass-1")
    assert replay(app, wang) == 302


def test_disable_then_enable_does_not_bring_it_back(app, wang):
    accounts = app.extensions["hotline"].accounts
    accounts.set_active("wang", False)
    assert replay(app, wang) == 302
    accounts.set_active("wang", True)
    assert replay(app, wang) == 302


def test_the_supervisors_button_signs_out_everywhere_and_is_audited(app, client, make_user, wang):
    make_user("li", "supervisor")
    boss = app.test_client()
    assert sign_in(boss, "li").status_code == 302
    page = boss.get("/admin")
    assert page.status_code == 200 and 'data-username="wang"' in page.data.decode()
    answer = boss.post("/admin/sign-out-everywhere", data={"username": "wang", "csrf_token": csrf_token(boss)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin"
    assert replay(app, wang) == 302
    audit = app.extensions["hotline"].accounts.audit_log(5)
    assert [(e.username, e.action, e.actor) for e in audit] == [("wang", "sign-out-everywhere", "li")]
    assert "sign-out-everywhere" in boss.get("/admin").data.decode()


def test_the_button_needs_a_supervisor_a_token_and_an_account_they_manage(app, client, make_user, wang):
    make_user("boss", "admin")
    make_user("li", "supervisor")
    assert client.get("/admin").status_code == 403                           # a counselor
    assert client.post("/admin/sign-out-everywhere", data={"username": "wang",
                                                           "csrf_token": csrf_token(client)}).status_code == 403
    sup = app.test_client()
    sign_in(sup, "li")
    assert sup.post("/admin/sign-out-everywhere", data={"username": "wang"}).status_code == 400   # no CSRF
    assert sup.post("/admin/sign-out-everywhere", data={"username": "boss",
                                                        "csrf_token": csrf_token(sup)}).status_code == 403
    assert sup.post("/admin/sign-out-everywhere", data={"username": "ghost",
                                                        "csrf_token": csrf_token(sup)}).status_code == 404
    assert replay(app, wang) == 200


def test_the_command_line_signs_out_everywhere(app, wang, database_url, tmp_path):
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_DATABASE_URL": database_url,
           "HOTLINE_NOW": None, "HOTLINE_LINES_FILE": None, "HOTLINE_CONFIG_DIR": None}
    result = CliRunner().invoke(main, ["users", "sign-out-everywhere", "wang"], env=env)
    assert result.exit_code == 0, result.output
    assert "signed out everywhere: wang" in result.output
    assert replay(app, wang) == 302
    missing = CliRunner().invoke(main, ["users", "sign-out-everywhere", "ghost"], env=env)
    assert missing.exit_code == 1 and "no such user: ghost" in missing.output
