"""Browser tests: a real `hotline serve` and the system's headless Chromium (never downloaded).

The server gets its own SQLite file, Redis key prefix and port; users are created with
the real CLI. Skipped with a clear reason when Chromium, Playwright or Redis is missing.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.servers import ROOT, copy_sqlite, free_port, running_server, server_env
from tests.twilio_fake import sign

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct-horse-42"
TWILIO_TOKEN = "test-auth-token"   # what server_env gives the server


class LiveServer:
    """A running server plus what the test needs to drive it from outside."""

    def __init__(self, base: str, env: dict[str, str], database: Path) -> None:
        self.base = base
        self.env = env
        self.database = database

    def cli(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run([sys.executable, "-m", "hotline", *args], env=self.env, cwd=ROOT,
                                input=stdin, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def add_user(self, name: str, role: str, lines: str, display_name: str) -> None:
        self.cli("users", "add", name, "--role", role, "--lines", lines, "--display-name", display_name,
                 "--password-stdin", stdin=PASSWORD + "\n")

    def flag(self, number: str) -> None:
        """Mark a caller's file high-risk, as triage will (Redis set of caller keys)."""
        import redis

        from hotline.store.privacy import DataKeyring

        key = DataKeyring.from_setting(self.env["HOTLINE_DATA_KEY"]).caller_key(number)
        client = redis.Redis.from_url(self.env["HOTLINE_REDIS_URL"])
        client.sadd(f"{self.env['HOTLINE_REDIS_PREFIX']}:flagged", key)
        client.close()

    def twilio(self, path: str, params: dict) -> requests.Response:
        """POST a webhook signed exactly as Twilio would sign it for this server."""
        signature = sign(TWILIO_TOKEN, self.base, path, params)
        response = requests.post(self.base + path, data=params, headers={"X-Twilio-Signature": signature},
                                 timeout=10)
        assert response.status_code == 200, response.text
        return response


NO_CHROMIUM = ("没有 /usr/bin/chromium / no system Chromium: install it with `apt-get install -y chromium` "
               "(browser tests never download a browser)")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
VENDOR = ROOT / "hotline" / "web" / "static" / "vendor" / "socket.io.min.js"
needs_vendor = pytest.mark.skipif(not VENDOR.exists(), reason="前端库未复制 / front-end libraries missing: "
                                  "run `npm ci && python scripts/vendor.py` (./scripts/test does)")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    return CHROMIUM


def live_env(instance: Path, database: Path, redis_url: str, redis_prefix: str, base: str) -> dict[str, str]:
    return server_env(instance, f"sqlite:///{database}", redis_url, redis_prefix, base,
                      HOTLINE_REFERRALS_FILE=str(ROOT / "tests" / "fixtures" / "referrals-test.yaml"))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory, redis_url) -> Path:
    """One SQLite file per test process, migrated and holding counselor li, both done by the
    real CLI; each browser test starts from a copy of it (two CLI runs fewer per test)."""
    folder = tmp_path_factory.mktemp("e2e-template")
    database = folder / "hotline.db"
    template = LiveServer("http://127.0.0.1:1", live_env(folder, database, redis_url, "e2e-template", "http://127.0.0.1:1"),
                          database)
    template.cli("db", "upgrade")
    template.add_user("li", "counselor", "chengdu", "李老师")
    return database


@pytest.fixture
def live_server(tmp_path, redis_url, redis_prefix, migrated_template):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = tmp_path / "hotline.db"
    copy_sqlite(migrated_template, database)
    env = live_env(tmp_path, database, redis_url, redis_prefix, base)
    server = LiveServer(base, env, database)
    with running_server(env, port=port, log_path=tmp_path / "server.log"):
        yield server


@pytest.fixture(scope="module")
def playwright_driver(chromium_path):
    """Playwright's driver, once per test module (a second sync_playwright() in the same
    thread is refused: a test that needs its own browser launches it from this one). Not per
    session: while it runs, its event loop counts as running, and asyncio.run() elsewhere fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_driver, chromium_path):
    """One Chromium per test module; every test gets its own context (cookies, storage)."""
    instance = playwright_driver.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    yield instance
    instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
