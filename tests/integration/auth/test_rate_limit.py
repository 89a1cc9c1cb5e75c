"""Failed sign-ins: 5 per username, 20 per IP per 15 minutes; Redis, or memory if it is down."""
from __future__ import annotations

import redis

from tests.integration.auth.conftest import PASSWORD, sign_in


def test_sixth_failure_is_refused_with_429(app, client, make_user, redis_url, redis_prefix):
    make_user("wang")
    for _ in range(5):
        assert sign_in(client, "wang", "wrong-password").status_code == 401
    blocked = sign_in(client, "wang", PASSWORD)       # even the right password waits now
    html = blocked.data.decode()
    assert blocked.status_code == 429
    assert "登录失败次数过多" in html and "Too many failed sign-ins" in html
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
    store = redis.Redis.from_url(redis_url)
    assert int(store.get(f"{redis_prefix}:login-fail:user:wang")) == 5
    assert 0 < store.ttl(f"{redis_prefix}:login-fail:user:wang") <= 15 * 60


def test_username_limit_applies_from_any_address(client, make_user):
    make_user("wang")
    for index in range(5):
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{index + 1}"
        assert sign_in(client, "wang", "wrong-password").status_code == 401
    client.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    assert sign_in(client, "wang").status_code == 429


def test_other_users_are_not_locked_out(client, make_user):
    make_user("wang")
    make_user("li")
    for _ in range(5):
        sign_in(client, "wang", "wrong-password")
    assert sign_in(client, "li").status_code == 302


def test_success_resets_the_name_but_not_the_address(client, make_user):
    for name in ("u1", "u2", "u3", "u4", "u5"):
        make_user(name)
    for name in ("u1", "u2", "u3", "u4"):
        for _ in range(4):
            assert sign_in(client, name, "wrong-password").status_code == 401
    for _ in range(3):
        assert sign_in(client, "u5", "wrong-password").status_code == 401   # 19 failures
    assert sign_in(client, "u1").status_code == 302                        # success
    client.post("/logout", data={"csrf_token": _token(client)})
    assert sign_in(client, "u1", "wrong-password").status_code == 401      # u1 counts from 0: 20th
    assert sign_in(client, "u2").status_code == 429                        # the IP is at its limit


def test_redis_down_falls_back_to_a_local_counter(app, client, make_user):
    services = app.extensions["hotline"].adapters
    services.__dict__["redis"] = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2,
                                             socket_timeout=0.2)
    make_user("wang")
    make_user("li")
    assert sign_in(client, "li").status_code == 302                        # no crash, no lock-out
    client.post("/logout", data={"csrf_token": _token(client)})
    for _ in range(5):
        assert sign_in(client, "wang", "wrong-password").status_code == 401
    assert sign_in(client, "wang").status_code == 429


def _token(client) -> str:
    from tests.integration.auth.conftest import csrf_token

    return csrf_token(client)
