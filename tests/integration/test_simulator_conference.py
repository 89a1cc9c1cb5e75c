"""The simulator end to end in conference mode: `hotline simulate` against a real server,
machine-played counselors accepting, and a supervisor who coaches one call: every answered
call is a conference named for the call, its callbacks (as the simulator plays Twilio's)
end in one record where every party has left, and the coaching is in the audit trail."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from hotline.bootstrap import Adapters, Hotline
from hotline.devtools.virtual_counselors import Persona, VirtualCounselors
from hotline.settings import from_env
from hotline.usecases.calls.conference_actions import ConferenceError, Supervisor
from tests.servers import ROOT, free_port, running_server, server_env

pytestmark = pytest.mark.slow
CALLS = 4
LINES = """
version: 1
lines:
  - id: alpha
    name: 甲线
    region: 成都市
    hosted: true
    numbers: [{number: "028-61000001", schedule: "24小时"}]
    max_wait_s: 900
"""


def test_simulated_calls_are_conferences_and_a_supervisor_coaches(tmp_path, redis_url, redis_prefix):
    lines = tmp_path / "lines.yaml"
    lines.write_text(LINES, encoding="utf-8")
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    database = f"sqlite:///{tmp_path / 'hotline.db'}"
    env = server_env(tmp_path, database, redis_url, redis_prefix, public, HOTLINE_LINES_FILE=str(lines),
                     HOTLINE_CONFERENCE_CALLS="on")
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    hotline = Hotline(Adapters(from_env(env)))
    floor = VirtualCounselors(hotline.console, hotline.dispatcher, [Persona(i, f"C{i}", ("alpha",)) for i in (1, 2)])
    stop = threading.Event()
    coached: list[str] = []
    with running_server(env, port=port) as base:
        agents = threading.Thread(target=floor.run, args=(stop,), daemon=True)
        coach = threading.Thread(target=_coach_one, args=(hotline, floor, coached, stop), daemon=True)
        agents.start()
        coach.start()
        try:
            summary = _simulate(env, base, public)
        finally:
            stop.set()
            agents.join(timeout=5)
            coach.join(timeout=5)
    hotline.adapters.records.flush(10)
    hotline.close()
    assert summary["errors"] == 0 and summary["answered"] >= 2, {k: v for k, v in summary.items() if k != "calls"}
    answered = [c["call_sid"] for c in summary["calls"] if c["outcome"] == "answered"]
    for call in summary["calls"]:
        if call["outcome"] == "answered":
            assert call["clients"] == [f"conference:call-{call['call_sid']}"]
    engine = create_engine(database)
    with engine.connect() as conn:
        for sid in answered:
            events = _events(conn, sid)
            labels = {json.loads(d)["label"] for k, d in events if k == "conference"}
            assert "caller" in labels and any(label.startswith("counselor-") for label in labels), labels
            summaries = [json.loads(d) for k, d in events if k == "conference_summary"]
            assert summaries, f"no conference summary for {sid}"
            final = max(summaries, key=lambda s: len(s["parties"]))
            assert all(p["state"] == "left" for p in final["parties"])
        assert coached, "the supervisor never found a call to coach"
        audit = [json.loads(d) for k, d in _events(conn, coached[0]) if k == "supervision"]
        assert [a["mode"] for a in audit] == ["coach"]
        joins = [json.loads(d) for k, d in _events(conn, coached[0]) if k == "conference"]
        assert any(j["label"] == "supervisor-50" and j.get("coaching") is True for j in joins), joins
    engine.dispose()


def _coach_one(hotline, floor, coached, stop) -> None:
    """The supervisor coaches the first call whose conference has started (once)."""
    boss = Supervisor(50, "admin")
    while not stop.is_set() and not coached:
        for taken in list(floor.accepted):
            try:
                hotline.conference_actions.supervise(taken["call"], boss, "coach")
            except (ConferenceError, PermissionError):
                continue
            coached.append(taken["call"])
            break
        time.sleep(0.1)


def _events(conn, sid):
    return conn.execute(text("select e.kind, e.detail from call_events e join calls c on c.id = e.call_id "
                             "where c.call_sid = :sid order by e.id"), {"sid": sid}).all()


def _simulate(env, base, public) -> dict:
    command = [sys.executable, "-m", "hotline", "simulate", "--calls", str(CALLS), "--concurrency", "2",
               "--rate", "2", "--patience-mean", "0", "--talk-mean", "30", "--time-scale", "0.2",
               "--repeat-fraction", "0", "--seed", "7", "--json", "--no-progress", "--public-url", public,
               "--lines", "alpha", "--redis-url", env["HOTLINE_REDIS_URL"],
               "--redis-prefix", env["HOTLINE_REDIS_PREFIX"], "--url", base]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
