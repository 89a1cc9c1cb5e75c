"""A web process is killed mid-call: another serves the call's next webhook."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest
import redis
import requests
from sqlalchemy import create_engine, text

from hotline.live.keys import Keys
from hotline.live.presence import Presence, PresenceStore
from tests.servers import ROOT, free_port, server_env, wait_healthy
from tests.twilio_fake import call_params, new_call_sid, sign

GAOXIN = "+862885337950"
pytestmark = pytest.mark.slow


def _start(env, port):
    process = subprocess.Popen([sys.executable, "-m", "hotline", "serve", "--port", str(port)], env=env,
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}", process)
    return process


def _post(port, public, path, params):
    headers = {"X-Twilio-Signature": sign("test-auth-token", public, path, params)}
    return requests.post(f"http://127.0.0.1:{port}{path}", data=params, headers=headers, timeout=5)


def test_next_webhook_served_by_the_other_process(tmp_path, redis_url, redis_prefix):
    ports = [free_port(), free_port()]
    public = "https://hotline.example.org"
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'hotline.db'}", redis_url, redis_prefix, public,
                     HOTLINE_NOW="2026-11-23T10:00:00+08:00")
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    PresenceStore(redis.Redis.from_url(redis_url), Keys(redis_prefix)).set(
        Presence(99, "on_call", datetime.now(timezone.utc), ("chengdu-gaoxin",)))
    first, second = (_start(env, port) for port in ports)
    try:
        sids = [new_call_sid(), new_call_sid()]
        for sid in sids:
            assert "<Enqueue" in _post(ports[0], public, "/voice/incoming", call_params(sid, GAOXIN, "+8613800001111")).text
        time.sleep(0.5)                                     # let its writer flush, as in normal running
        first.send_signal(signal.SIGKILL)                   # killed mid-call, no clean shutdown
        first.wait(timeout=5)
        wait = _post(ports[1], public, "/voice/wait?line=chengdu-gaoxin",
                     call_params(sids[1], GAOXIN, "+8613800001111"))
        assert wait.status_code == 200 and "您前面还有1位来电者" in wait.text
        done = _post(ports[1], public, "/voice/status", call_params(sids[0], GAOXIN, "+8613800001111",
                                                                      status="completed", CallDuration="9"))
        assert done.status_code == 200
        time.sleep(1.0)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
    engine = create_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("select call_sid, outcome from calls")).all())
    engine.dispose()
    assert rows == {sids[0]: "abandoned", sids[1]: None}
