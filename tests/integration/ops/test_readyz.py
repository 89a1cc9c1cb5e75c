"""/readyz: 200 when the database, Redis, directory and schema are usable; 503 with a reason."""
from __future__ import annotations

import time

import pytest

from hotline.settings import testing_settings as make_settings
from hotline.store.migrate import AlembicSchema
from hotline.usecases import readiness as health
from tests.servers import free_port


def _app(settings):
    from hotline.app import create_app

    return create_app(settings)


def test_ready_when_everything_is_usable(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok",
                                                               "directory": "ok", "migrations": "ok"}}
    assert client.get("/healthz").status_code == 200


def test_unreachable_database_is_503_with_the_reason(tmp_path, redis_url, redis_prefix):
    dead = f"postgresql+psycopg://hotline@127.0.0.1:{free_port()}/hotline"
    app = _app(make_settings(tmp_path, database_url=dead, redis_url=redis_url, redis_prefix=redis_prefix))
    try:
        started = time.monotonic()
        response = app.test_client().get("/readyz")
        assert time.monotonic() - started < 5
    finally:
        app.extensions["hotline"].adapters.close()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "failed: OperationalError"
    assert body["checks"]["migrations"].startswith("skipped")
    assert body["checks"]["redis"] == "ok"


def test_pending_migrations_are_503_and_cached(tmp_path, redis_url, redis_prefix, monkeypatch):
    from hotline.store.migrate import upgrade

    settings = make_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix)
    app = _app(settings)       # nothing migrated: the SQLite file is created empty on connect
    try:
        client = app.test_client()
        first = client.get("/readyz")
        assert first.status_code == 503
        assert first.get_json()["checks"]["migrations"].startswith("pending: 0001")
        upgrade(settings.database_url)
        assert client.get("/readyz").status_code == 503      # the answer is kept for a few seconds
        app.extensions["hotline"].readiness.migrations._at -= health.MIGRATIONS_TTL_S
        assert client.get("/readyz").status_code == 200
    finally:
        app.extensions["hotline"].adapters.close()


def test_migrations_probe_computes_at_most_once_per_ttl(monkeypatch):
    calls = []
    monkeypatch.setattr("hotline.store.migrate.pending", lambda url: calls.append(url) or [])
    probe = health.MigrationsProbe(AlembicSchema("sqlite:///x.db"), ttl_s=60)
    assert [probe.status() for _ in range(20)] == ["ok"] * 20
    assert len(calls) == 1
    probe._at -= 61
    monkeypatch.setattr("hotline.store.migrate.pending", lambda url: ["0007"])
    assert probe.status() == "pending: 0007"


def test_a_failing_migration_check_is_reported_not_raised(monkeypatch):
    def broken(url):
        raise RuntimeError("no version table")
    monkeypatch.setattr("hotline.store.migrate.pending", broken)
    assert health.MigrationsProbe(AlembicSchema("sqlite:///x.db")).status() == "failed: RuntimeError"


@pytest.mark.postgres
def test_ready_on_postgres(tmp_path, redis_url, redis_prefix, migrated_postgres_url):
    app = _app(make_settings(tmp_path, database_url=migrated_postgres_url, redis_url=redis_url,
                                redis_prefix=redis_prefix))
    try:
        response = app.test_client().get("/readyz")
    finally:
        app.extensions["hotline"].adapters.close()
    assert response.status_code == 200, response.get_json()
