"""The voice path against a real `hotline serve` process, on SQLite and PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone
from xml.etree import ElementTree

import pytest
import redis
import requests
from sqlalchemy import create_engine, text

from hotline.live.keys import Keys
from hotline.live.presence import Presence, PresenceStore
from tests.servers import ROOT, free_port, running_server, server_env
from tests.twilio_fake import call_params, new_call_sid, sign

GAOXIN = "+862885337950"
pytestmark = pytest.mark.slow


def _post(base: str, public: str, path: str, params: dict) -> requests.Response:
    signature = sign("test-auth-token", public, path, params)
    return requests.post(base + path, data=params, headers={"X-Twilio-Signature": signature}, timeout=5)


def _wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_calls_through_a_real_server(tmp_path, database_url, redis_url, redis_prefix):
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    env = server_env(tmp_path, database_url, redis_url, redis_prefix, public,
                     HOTLINE_NOW="2026-11-23T10:00:00+08:00")
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    client = redis.Redis.from_url(redis_url)
    PresenceStore(client, Keys(redis_prefix)).set(
        Presence(99, "on_call", datetime.now(timezone.utc), ("chengdu-gaoxin",)))
    sids = [new_call_sid() for _ in range(3)]
    with running_server(env, port=port) as base:
        for i, sid in enumerate(sids):
            response = _post(base, public, "/voice/incoming", call_params(sid, GAOXIN, f"+861380000000{i}"))
            assert response.status_code == 200
            assert ElementTree.fromstring(response.content).find("Enqueue").text == "chengdu-gaoxin"
        wait = _post(base, public, "/voice/wait?line=chengdu-gaoxin", call_params(sids[2], GAOXIN, "+8613800000002"))
        assert "您前面还有2位来电者" in wait.text
        hangup = call_params(sids[0], GAOXIN, "+8613800000000", status="completed", CallDuration="30")
        assert _post(base, public, "/voice/status", hangup).status_code == 200
        assert _post(base, public, "/voice/status", hangup).status_code == 200   # a retry
        forged = requests.post(base + "/voice/incoming", data=call_params(new_call_sid(), GAOXIN, "+8613900000000"),
                               headers={"X-Twilio-Signature": "forged"}, timeout=5)
        assert forged.status_code == 403
        engine = create_engine(database_url)
        _wait_for(lambda: _completed_events(engine, sids[0]) == 1)   # written behind: wait for it
        time.sleep(0.5)                                              # a duplicate would show by now
        rows = _rows(engine)
        assert _completed_events(engine, sids[0]) == 1                # the retry added nothing
    assert dict(rows) == {sids[0]: "abandoned", sids[1]: "queued", sids[2]: "queued"}
    engine.dispose()


def _completed_events(engine, sid: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("select count(*) from call_events e join calls c on c.id = e.call_id "
                                 "where c.call_sid = :sid and e.kind = 'status:completed'"), {"sid": sid}).scalar()


def _rows(engine):

    with engine.connect() as conn:
        return sorted(conn.execute(text("select call_sid, status from calls")).all())
