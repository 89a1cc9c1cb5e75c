"""The database stops: webhooks still route; changes wait and are written when it returns."""
from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import make_url

from hotline.app import create_app
from hotline.settings import testing_settings as make_settings
from hotline.store.calls import find
from hotline.store.db import Database
from hotline.store.migrate import upgrade
from tests.faults import Forwarder
from tests.integration.voice.conftest import CALLER, GAOXIN, Voice, local
from tests.twilio_fake import call_params, new_call_sid


@pytest.fixture
def outage(tmp_path, redis_url, redis_prefix, fresh_postgres_url):
    upgrade(fresh_postgres_url)
    direct = make_url(fresh_postgres_url)
    forwarder = Forwarder(direct.port or 5432, direct.host or "127.0.0.1").start()
    through = direct.set(port=forwarder.port).render_as_string(hide_password=False)
    settings = make_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, database_url=through)
    app = create_app(settings)
    voice = Voice(app)
    voice.at(local(2026, 11, 23, 10, 0))
    voice.staff("chengdu-gaoxin", counselor_id=99, state="on_call")
    yield voice, forwarder, fresh_postgres_url
    forwarder.start() if forwarder._server is None else None
    app.extensions["hotline"].adapters.close()
    forwarder.stop()


def test_changes_wait_for_the_database_and_are_written_when_it_returns(outage):
    voice, forwarder, direct_url = outage
    first = new_call_sid()
    voice.post("/voice/incoming", call_params(first, GAOXIN, CALLER))
    voice.flush()
    forwarder.stop()                                           # the database goes away
    second = new_call_sid()
    started = time.monotonic()
    twiml = voice.post("/voice/incoming", call_params(second, GAOXIN, CALLER))
    assert twiml.find("Enqueue") is not None                  # the caller is served as usual
    assert time.monotonic() - started < 1.0
    voice.post("/voice/status", call_params(first, GAOXIN, CALLER, status="completed", CallDuration="20"))
    assert voice.services.records.backlog > 0
    forwarder.start()                                          # it returns
    assert voice.services.records.flush(30)
    db = Database(direct_url)
    with db.session() as session:
        assert find(session, second).status == "queued"
        assert find(session, first).outcome == "abandoned"
    db.dispose()
