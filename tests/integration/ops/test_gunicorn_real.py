"""A real `gunicorn -c config/gunicorn.conf.py hotline.wsgi:app` with two workers, on SQLite
and the test Redis: it migrates once before forking, answers the probes and a signed
webhook, upgrades a WebSocket, and writes nothing but JSON lines when asked to."""
from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
import requests
import websocket

from tests.integration.ops.procs import running_gunicorn
from tests.twilio_fake import call_params, new_call_sid, sign

pytestmark = pytest.mark.slow


@pytest.fixture
def gunicorn(tmp_path, redis_url, redis_prefix):
    with running_gunicorn(tmp_path, redis_url, redis_prefix, HOTLINE_WEB_WORKERS="2",
                          HOTLINE_LOG_FORMAT="json", HOTLINE_LOG_LEVEL="INFO") as server:
        yield server


def test_two_workers_answer_the_probes_a_call_and_a_websocket(gunicorn):
    base = gunicorn.base
    ready = requests.get(f"{base}/readyz", timeout=5)
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["migrations"] == "ok"          # migrated by on_starting
    params = call_params(new_call_sid(), "+862885337950", "+8613551585969")
    answer = requests.post(f"{base}/voice/incoming", data=params, timeout=5,
                           headers={"X-Twilio-Signature": sign("test-auth-token", base, "/voice/incoming", params)})
    assert answer.status_code == 200
    assert ElementTree.fromstring(answer.content).tag == "Response"
    ws = websocket.create_connection(base.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                     timeout=5)
    try:
        opening = ws.recv()
    finally:
        ws.close()
    assert opening.startswith("0") and '"sid"' in opening          # Engine.IO's open packet


def test_logs_are_json_lines_and_migrations_ran_once(gunicorn):
    assert requests.get(f"{gunicorn.base}/readyz", timeout=5).status_code == 200
    gunicorn.stop()
    records = [json.loads(line) for line in gunicorn.log_lines()]   # every line is one JSON object
    assert all({"ts", "level", "logger", "message"} <= r.keys() for r in records)
    messages = [r["message"] for r in records]
    assert sum("database schema is up to date" in m for m in messages) == 1
    assert sum(r["logger"] == "gunicorn.error" and "started" in r["message"] and "worker" in r["message"]
               for r in records) == 2
