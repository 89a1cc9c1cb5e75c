"""Shared fixtures: settings, app, client, real Redis and PostgreSQL per test run.

Each run uses its own Redis key prefix and its own PostgreSQL database, and
removes them afterwards: tests never touch data they did not create.
"""
from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

import pytest

from hotline.settings import testing_settings
from hotline.store.users import User, create_user
from tests.e2e.screenshots import FOLDER, written
from tests.servers import copy_sqlite, scratch_database

os.environ.setdefault("HOTLINE_ARGON2_PROFILE", "test")   # cheap hashes: sign-ins in tests stay fast
REDIS_URL = os.environ.get("HOTLINE_TEST_REDIS_URL")
POSTGRES_URL = os.environ.get("HOTLINE_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("no Redis: set HOTLINE_TEST_REDIS_URL (./scripts/test does)")
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix private to one test; its keys are deleted afterwards."""
    import redis

    prefix = f"hotline-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    remove_rq_jobs(redis_url, prefix)
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def remove_rq_jobs(redis_url: str, prefix: str) -> None:
    """RQ keeps jobs under global rq:* keys: remove the ones this test's queues made."""
    import redis
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    client = redis.Redis.from_url(redis_url)
    for name in ("default", "reports"):
        rq = Queue(f"{prefix}-{name}", connection=client)
        ids = set(rq.job_ids)
        for registry in (rq.scheduled_job_registry, rq.finished_job_registry, rq.failed_job_registry,
                         rq.started_job_registry, rq.deferred_job_registry, rq.canceled_job_registry):
            ids.update(registry.get_job_ids())
        for job_id in ids:
            try:
                Job.fetch(job_id, connection=client).delete(remove_from_queue=True)
            except NoSuchJobError:
                pass
            client.delete(f"rq:results:{job_id}")
        client.srem("rq:queues", rq.key)
    for worker in client.smembers("rq:workers"):
        if prefix.encode() in (client.hget(worker, "queues") or b""):
            client.delete(worker)
            client.srem("rq:workers", worker)
    keys = list(client.scan_iter(f"rq:*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL: set HOTLINE_TEST_POSTGRES_URL (./scripts/test does)")
    return POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_url(postgres_server_url):
    """A fresh database for this test run, dropped at the end."""
    with scratch_database(postgres_server_url, f"hotline_test_{uuid.uuid4().hex[:10]}") as url:
        yield url


@pytest.fixture
def fresh_postgres_url(postgres_server_url):
    """A database private to one test (for tests that migrate or truncate)."""
    with scratch_database(postgres_server_url, f"hotline_t_{uuid.uuid4().hex[:12]}") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """Run a test on both backends: an SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hotline.db'}"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_url):
    """The run's PostgreSQL database, migrated once; tests only touch their own rows."""
    from hotline.store.migrate import upgrade

    upgrade(postgres_url)
    return postgres_url


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory) -> Path:
    """One SQLite file per test process, migrated by upgrade() itself."""
    from hotline.store.migrate import upgrade

    path = tmp_path_factory.mktemp("migrated-sqlite") / "hotline.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def migrate(migrated_sqlite_template):
    """migrate(url) = upgrade(url), where a new SQLite file first starts as a copy of the process's
    migrated template: ~5 ms instead of ~0.3 s per test, the same schema (the copy is
    upgrade()'s own result, and upgrade() still runs on it)."""
    from sqlalchemy.engine import make_url

    from hotline.store.migrate import upgrade

    def run(url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
            copy_sqlite(migrated_sqlite_template, Path(parsed.database))
        upgrade(url)
    return run


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix):
    return testing_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)


@pytest.fixture(params=["sqlite", "postgres"])
def both_backends_settings(request, tmp_path, redis_url, redis_prefix):
    """Settings on an SQLite file, then on the run's PostgreSQL database."""
    values = dict(redis_url=redis_url, redis_prefix=redis_prefix)
    if request.param == "postgres":
        values["database_url"] = request.getfixturevalue("migrated_postgres_url")
    return testing_settings(tmp_path, **values)


@pytest.fixture
def app(settings, migrate):
    from hotline.app import create_app

    migrate(settings.database_url)
    application = create_app(settings)
    yield application
    application.extensions["hotline"].adapters.close()


@pytest.fixture
def client(app):
    return app.test_client()


# --- accounts and sign-in (shared by every surface's tests) -------------------------
PASSWORD = "correct-horse-42"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def make_user(app):
    """make_user("li", "counselor", lines=("chengdu",), password=...) → the saved User."""
    services = app.extensions["hotline"].adapters

    def make(username: str, role: str = "counselor", lines=(), password: str = PASSWORD,
             display_name: str | None = None, active: bool = True) -> User:
        with services.db.session() as db:
            user = create_user(db, username, role, password, now=services.now(),
                               display_name=display_name, lines=tuple(lines))
            user.active = active
        return user
    return make


def token_in(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    match = _TOKEN.search(text)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def csrf_token(client) -> str:
    """The session's CSRF token, from the sign-in form or (signed in) any page's <meta>."""
    return token_in(client.get("/login", follow_redirects=True).data)


def sign_in(client, username: str, password: str = PASSWORD, next: str | None = None):
    """POST the sign-in form as a browser would; returns the (unfollowed) response."""
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    if next is not None:
        data["next"] = next
    return client.post("/login", data=data)


@pytest.fixture
def login():
    """login(client, username, password=PASSWORD) → the response of POST /login."""
    return sign_in


@pytest.fixture
def signed_in(client, make_user):
    """signed_in("counselor") → a client signed in as a new user with that role."""
    def sign(role: str = "counselor", username: str | None = None, lines=()):
        user = make_user(username or f"{role}-user", role, lines=lines)
        response = sign_in(client, user.username)
        assert response.status_code == 302, response.data
        return client
    return sign


# --- the screenshots the browser tests leave for a reviewer (tests/e2e/screenshots.py) ----
_RUN_STARTED = time.time()


def pytest_terminal_summary(terminalreporter) -> None:
    """Name the folder of this run's screenshots, so a reviewer knows where to look."""
    fresh = [path for path in written() if path.stat().st_mtime >= _RUN_STARTED]
    if fresh:
        terminalreporter.write_sep("-", "screenshots / 截图")
        terminalreporter.write_line(f"{len(fresh)} 张截图 / screenshots in {FOLDER}")
