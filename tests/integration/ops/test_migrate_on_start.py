"""Migrations on start: several web instances starting together migrate once, in turn."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from hotline.cli import deploy
from hotline.store.migrate import pending


def _together(url: str, n: int = 3) -> list[bool]:
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _: deploy.migrate(url), range(n)))


def test_concurrent_starts_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'db' / 'hotline.db'}"
    assert _together(url) == [True, True, True]
    assert pending(url) == []


@pytest.mark.postgres
def test_concurrent_starts_on_postgres(fresh_postgres_url):
    assert _together(fresh_postgres_url) == [True, True, True]
    assert pending(fresh_postgres_url) == []


def test_a_failed_migration_is_logged_not_raised(tmp_path, caplog):
    dead = "postgresql+psycopg://hotline@127.0.0.1:1/none"
    assert deploy.migrate(dead) is False
    assert "migration on start failed" in caplog.text


def test_prepare_reads_settings_and_honours_the_switch(tmp_path, monkeypatch):
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0",
           "HOTLINE_MIGRATE_ON_START": "0"}
    assert deploy.prepare(env) is True
    assert not (tmp_path / "hotline.db").exists()
    assert (tmp_path / "secret_key").exists()          # created once, here, not raced by workers
    assert deploy.prepare({**env, "HOTLINE_MIGRATE_ON_START": "1"}) is True
    assert pending(f"sqlite:///{tmp_path / 'hotline.db'}") == []
    assert deploy.prepare({**env, "HOTLINE_NOW": "garbage"}) is False
