"""Failed sign-ins, tried over HTTP as a guesser would: a growing wait per (account, client),
a ceiling per account that locks it until a supervisor unlocks it, a per-address limit
high enough for a center behind one NAT — and the owner is never the one held back."""
from __future__ import annotations

import redis
from click.testing import CliRunner

from hotline.cli.main import main
from hotline.usecases.sign_in_limits import ACCOUNT_CEILING, ADDRESS_LIMIT, FREE_FAILURES
from tests.integration.auth.conftest import PASSWORD, csrf_token, sign_in


class Guesser:
    """One browser at one address posting the sign-in form (one CSRF token per session)."""

    def __init__(self, app, address: str) -> None:
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address
        self.token = csrf_token(self.client)

    def post(self, username: str, password: str = "wrong-password"):
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": self.token})


def move_time(app, seconds: float) -> None:
    """The throttle's wall clock, moved on (the streak's waits are measured with it)."""
    throttle = app.extensions["hotline"].sign_in_limits
    start = throttle.wall()
    throttle.wall = lambda: start + seconds


def test_after_the_free_failures_each_wait_doubles_and_is_a_bilingual_429(app, make_user):
    make_user("wang")
    guesser = Guesser(app, "10.0.0.66")
    for _ in range(FREE_FAILURES):
        assert guesser.post("wang").status_code == 401
    blocked = guesser.post("wang", PASSWORD)                # even the right password waits: no oracle
    html = blocked.data.decode()
    assert blocked.status_code == 429 and 1 <= int(blocked.headers["Retry-After"]) <= 3
    assert "登录失败次数过多" in html and "Too many failed sign-ins" in html
    move_time(app, 3)
    assert guesser.post("wang").status_code == 401           # the 4th failure: the wait is now 4 s
    assert 3 <= int(guesser.post("wang").headers["Retry-After"]) <= 5
    move_time(app, 3 + 5)
    assert guesser.post("wang", PASSWORD).status_code == 302


def test_the_owner_elsewhere_is_not_held_back_by_a_guesser(app, make_user):
    make_user("wang")
    guesser = Guesser(app, "203.0.113.9")
    for _ in range(FREE_FAILURES + 1):
        guesser.post("wang")
    assert guesser.post("wang", PASSWORD).status_code == 429
    owner = Guesser(app, "10.1.1.20")
    assert owner.post("wang", PASSWORD).status_code == 302


def test_the_owner_behind_the_same_nat_keeps_their_device(app, make_user):
    make_user("wang")
    owner = Guesser(app, "10.0.0.1")
    assert owner.post("wang", PASSWORD).status_code == 302     # gets the device cookie
    owner.client.post("/logout", data={"csrf_token": csrf_token(owner.client)})
    owner.token = csrf_token(owner.client)
    guesser = Guesser(app, "10.0.0.1")                          # same NAT address, no cookie
    for _ in range(FREE_FAILURES + 2):
        guesser.post("wang")
    assert guesser.post("wang", PASSWORD).status_code == 429
    assert owner.post("wang", PASSWORD).status_code == 302
    forged = Guesser(app, "10.0.0.1")
    forged.client.set_cookie("hotline_device", "eyJ3YW5nIjoieCJ9.forged.sig", path="/login")
    assert forged.post("wang", PASSWORD).status_code == 429      # a made-up cookie is no device


def test_the_account_ceiling_locks_until_a_supervisor_unlocks_and_both_are_audited(app, make_user):
    make_user("wang")
    make_user("li", "supervisor")
    for index in range(ACCOUNT_CEILING):                         # a spread-out attack: one try per address
        assert Guesser(app, f"198.51.{index // 200}.{index % 200 + 1}").post("wang").status_code == 401
    owner = Guesser(app, "10.1.1.20")
    locked = owner.post("wang", PASSWORD)
    assert locked.status_code == 423
    assert "已锁定" in locked.data.decode() and "locked" in locked.data.decode()
    boss = Guesser(app, "10.1.1.21")
    assert boss.post("li", PASSWORD).status_code == 302
    page = boss.client.get("/admin").data.decode()
    assert "已锁定 / locked" in page and "/admin/unlock" in page
    answer = boss.client.post("/admin/unlock", data={"username": "wang", "csrf_token": csrf_token(boss.client)})
    assert answer.status_code == 302
    assert owner.post("wang", PASSWORD).status_code == 302
    audit = app.extensions["hotline"].accounts.audit_log(5)
    assert [(e.username, e.action, e.actor) for e in audit] == [("wang", "unlock", "li"), ("wang", "lock", "system")]
    assert Guesser(app, "198.51.9.9").post("wang").status_code == 401   # the count started afresh: no relock
    assert Guesser(app, "10.1.1.22").post("wang", PASSWORD).status_code == 302


def test_the_command_line_unlocks(app, make_user, database_url, tmp_path, redis_url, redis_prefix):
    make_user("wang")
    assert app.extensions["hotline"].accounts.lock("wang", "test")
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_DATABASE_URL": database_url,
           "HOTLINE_REDIS_URL": redis_url, "HOTLINE_REDIS_PREFIX": redis_prefix,   # the app's Redis, not an embedded one
           "HOTLINE_NOW": None, "HOTLINE_LINES_FILE": None, "HOTLINE_CONFIG_DIR": None}
    result = CliRunner().invoke(main, ["users", "unlock", "wang"], env=env)
    assert result.exit_code == 0 and "unlocked: wang" in result.output, result.output
    assert CliRunner().invoke(main, ["users", "unlock", "wang"], env=env).output.strip().endswith("not locked: wang")
    assert Guesser(app, "10.0.0.5").post("wang", PASSWORD).status_code == 302
    assert app.extensions["hotline"].accounts.audit_log(1)[0].actor == "cli"


def test_one_address_gets_a_whole_centers_typos_then_waits(app, make_user, redis_url, redis_prefix):
    make_user("wang")
    nat = Guesser(app, "10.9.9.9")
    for index in range(ADDRESS_LIMIT):                 # 300 failures over many names: a center's typos
        assert nat.post(f"user{index % 150}").status_code == 401, index
    blocked = nat.post("wang", PASSWORD)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 60
    assert Guesser(app, "10.9.9.10").post("wang", PASSWORD).status_code == 302
    keys = redis.Redis.from_url(redis_url).keys(f"{redis_prefix}:limits*")
    assert keys, "the counters are shared through Redis"


def test_redis_down_falls_back_to_counting_in_process(app, make_user):
    services = app.extensions["hotline"].adapters
    services.__dict__["redis"] = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2,
                                                      socket_timeout=0.2)   # as the app builds it: no retries
    make_user("wang")
    make_user("li")
    assert Guesser(app, "10.0.0.2").post("li", PASSWORD).status_code == 302   # no crash, no lock-out
    guesser = Guesser(app, "10.0.0.3")
    for _ in range(FREE_FAILURES):
        assert guesser.post("wang").status_code == 401
    assert guesser.post("wang", PASSWORD).status_code == 429
    assert Guesser(app, "10.0.0.4").post("wang", PASSWORD).status_code == 302
