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

from tests.servers import ROOT, free_port, running_server, server_env
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


@pytest.fixture
def live_server(tmp_path, redis_url, redis_prefix):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = tmp_path / "hotline.db"
    env = server_env(tmp_path, f"sqlite:///{database}", redis_url, redis_prefix, base,
                     HOTLINE_REFERRALS_FILE=str(ROOT / "tests" / "fixtures" / "referrals-test.yaml"))
    server = LiveServer(base, env, database)
    server.cli("db", "upgrade")
    server.add_user("li", "counselor", "chengdu", "李老师")
    with running_server(env, port=port, log_path=tmp_path / "server.log"):
        yield server


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
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
