"""/readyz's decisions: every dependency ok and the schema current, or why not — the
migrations only asked when the database answers, and at most once per TTL."""
from __future__ import annotations

from hotline.usecases.readiness import MigrationsProbe, Readiness
from tests.unit.usecases.fakes_ops import FakeMonotonic


class Schema:
    def __init__(self, pending=None, error: Exception | None = None) -> None:
        self.revisions = pending or []
        self.error = error
        self.asked = 0

    def pending(self):
        self.asked += 1
        if self.error is not None:
            raise self.error
        return list(self.revisions)


def fails(exc: Exception):
    def probe():
        raise exc
    return probe


def readiness(schema=None, database=lambda: True, redis=lambda: True, directory=lambda: True):
    schema = schema or Schema()
    return Readiness(database, redis, directory, MigrationsProbe(schema, clock=FakeMonotonic())), schema


def test_ready_when_everything_answers():
    ready, checks = readiness()[0].check()
    assert ready and checks == {"database": "ok", "redis": "ok", "directory": "ok", "migrations": "ok"}


def test_a_dead_database_skips_the_migrations_and_names_the_error():
    probe, schema = readiness(database=fails(ConnectionRefusedError("secret://url")))
    ready, checks = probe.check()
    assert not ready and checks["database"] == "failed: ConnectionRefusedError"
    assert checks["migrations"] == "skipped: database unavailable" and schema.asked == 0
    assert "secret" not in str(checks)


def test_redis_down_or_an_empty_directory_is_not_ready():
    ready, checks = readiness(redis=fails(TimeoutError()), directory=lambda: False)[0].check()
    assert not ready and checks["redis"] == "failed: TimeoutError" and checks["directory"] == "failed"
    assert checks["migrations"] == "ok"


def test_pending_migrations_are_named_in_order():
    ready, checks = readiness(Schema(["0006", "0007"]))[0].check()
    assert not ready and checks["migrations"] == "pending: 0006, 0007"


def test_an_unreadable_schema_is_reported_not_raised():
    ready, checks = readiness(Schema(error=RuntimeError("no version table")))[0].check()
    assert not ready and checks["migrations"] == "failed: RuntimeError"


def test_the_migrations_are_looked_at_once_per_ttl():
    schema, clock = Schema(["0007"]), FakeMonotonic()
    probe = MigrationsProbe(schema, ttl_s=5, clock=clock)
    assert [probe.status() for _ in range(10)] == ["pending: 0007"] * 10 and schema.asked == 1
    schema.revisions = []
    clock.at += 4.9
    assert probe.status() == "pending: 0007"
    clock.at += 0.2
    assert probe.status() == "ok" and schema.asked == 2


def test_while_another_thread_refreshes_the_last_answer_is_used():
    schema, clock = Schema(), FakeMonotonic()
    probe = MigrationsProbe(schema, ttl_s=5, clock=clock)
    assert probe.status() == "ok"
    clock.at += 10
    with probe._lock:                      # someone else is refreshing right now
        assert probe.status() == "ok" and schema.asked == 1
