"""The sign-in form: success by role, failure, `next` without open redirects, CSRF, sign-out."""
from __future__ import annotations

import re

import pytest

from hotline.store.users import find_by_username, set_password
from tests.integration.auth.conftest import PASSWORD, csrf_token, sign_in


def test_login_page_is_bilingual_and_self_contained(client):
    page = client.get("/login")
    html = page.data.decode()
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "用户名 / Username" in html and "密码 / Password" in html
    assert 'name="username"' in html and 'name="password"' in html and 'name="csrf_token"' in html
    assert "/static/css/app.css" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no external resources"
    assert client.get("/static/css/app.css").status_code == 200


@pytest.mark.parametrize("role, home", [("counselor", "/console"), ("supervisor", "/dashboard"),
                                        ("admin", "/dashboard")])
def test_success_redirects_by_role(client, make_user, role, home):
    make_user("wang", role)
    response = sign_in(client, "wang")
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert client.get("/").headers["Location"] == home
    assert client.get("/login").headers["Location"] == home


def test_success_records_last_sign_in(app, client, make_user):
    make_user("wang")
    sign_in(client, "wang")
    with app.extensions["hotline"].adapters.db.session() as db:
        assert find_by_username(db, "wang").last_login_at is not None


@pytest.mark.parametrize("username, password", [("wang", "wrong-password"), ("nobody", PASSWORD),
                                                ("", ""), ("WANG", PASSWORD)])
def test_failure_shows_the_form_again(client, make_user, username, password):
    make_user("wang")
    response = sign_in(client, username, password)
    assert response.status_code == 401
    assert "用户名或密码错误 / Wrong username or password" in response.data.decode()
    assert client.get("/authprobe/anyone").status_code == 302


def test_disabled_user_cannot_sign_in(client, make_user):
    make_user("wang", active=False)
    assert sign_in(client, "wang").status_code == 401


def test_next_local_path_is_followed(client, make_user):
    make_user("wang", "supervisor")
    target = "/reports/weekly?week=2026-W47"
    page = client.get("/login", query_string={"next": target})
    assert 'name="next" value="/reports/weekly?week=2026-W47"' in page.data.decode()
    assert sign_in(client, "wang", next=target).headers["Location"] == target


def test_anonymous_redirect_carries_next_through_sign_in(client, make_user):
    make_user("wang")
    response = client.get("/console?tab=queue&line=chengdu")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/console?tab%3Dqueue%26line%3Dchengdu"
    form = client.get(response.headers["Location"]).data.decode()
    assert 'name="next" value="/console?tab=queue&amp;line=chengdu"' in form
    assert sign_in(client, "wang", next="/console?tab=queue&line=chengdu").headers["Location"] == \
        "/console?tab=queue&line=chengdu"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "\\\\evil.example", "http:/evil.example", "javascript:alert(1)",
                                    "evil.example", "/\t/evil.example", "/login", "/logout"])
def test_next_never_leaves_the_site(client, make_user, target):
    make_user("wang")
    assert sign_in(client, "wang", next=target).headers["Location"] == "/console"


def test_login_post_requires_csrf_token(client, make_user):
    make_user("wang")
    client.get("/login")
    missing = client.post("/login", data={"username": "wang", "password": PASSWORD})
    wrong = client.post("/login", data={"username": "wang", "password": PASSWORD, "csrf_token": "forged"})
    assert missing.status_code == wrong.status_code == 400
    assert "请刷新页面后重试" in missing.data.decode()
    assert client.get("/authprobe/anyone").status_code == 302


def test_logout_requires_post_and_csrf(client, signed_in):
    signed_in("counselor")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/authprobe/anyone").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/authprobe/anyone").status_code == 302


def test_signed_in_page_shows_user_role_and_sign_out_form(client, make_user):
    make_user("wang", "supervisor", display_name="王督导")
    sign_in(client, "wang")
    html = client.get("/authprobe/missing-page").data.decode()
    assert "王督导" in html and "督导 / Supervisor" in html
    assert 'action="/logout"' in html and 'name="csrf_token"' in html


def test_new_password_ends_open_sessions(app, client, make_user):
    make_user("wang")
    sign_in(client, "wang")
    assert client.get("/authprobe/anyone").status_code == 200
    with app.extensions["hotline"].adapters.db.session() as db:
        set_password(find_by_username(db, "wang"), "another-password-1")
    assert client.get("/authprobe/anyone").status_code == 302


def test_disabling_ends_open_sessions(app, client, make_user):
    make_user("wang")
    sign_in(client, "wang")
    with app.extensions["hotline"].adapters.db.session() as db:
        find_by_username(db, "wang").active = False
    assert client.get("/authprobe/anyone").status_code == 302


def test_api_state_change_needs_csrf_header(client, signed_in):
    signed_in("counselor")
    token = csrf_token(client)
    assert client.post("/api/authprobe/echo", json={}).status_code == 400
    assert client.post("/api/authprobe/echo", json={}).json["error"] == 400
    assert client.post("/api/authprobe/echo", json={}, headers={"X-CSRFToken": token}).json == {"ok": True}
