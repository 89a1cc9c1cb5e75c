"""Socket.IO for the dashboard: a full snapshot on (re)connect, coalesced pushes to the
dashboard room (and no raw per-call events there), alerts and acknowledgements in the
next push, and nothing built when nobody watches."""
from __future__ import annotations

import time

import pytest

from tests.integration.dashboard.conftest import GAOXIN_LINE, line_of, received


@pytest.fixture
def running_feed(feed):
    feed.start()
    yield feed
    feed.stop()


def test_the_connect_snapshot_is_the_api_snapshot(floor, watcher):
    boss = watcher()
    floor.caller()
    floor.flush()
    socket = boss.socket()
    assert socket.is_connected()
    [snapshot] = received(socket, "snapshot")
    assert snapshot["role"] == "supervisor"
    live, api = snapshot["dashboard"], boss.snapshot()
    for volatile in ("seq", "now"):
        live.pop(volatile), api.pop(volatile)
    assert live == api
    assert line_of(live)["waiting"] == 1


def test_other_pages_keep_their_snapshots(watcher):
    assert received(watcher().socket(page=None), "snapshot") == [{"role": "supervisor"}]
    counselor = watcher("li", "counselor", lines=(GAOXIN_LINE,))
    [console] = received(counselor.socket(page="dashboard"), "snapshot")
    assert console["counselor"]["id"] == counselor.user.id and "dashboard" not in console


def test_a_sync_redraws_from_a_fresh_snapshot(floor, watcher):
    socket = watcher().socket()
    socket.get_received()
    floor.caller()
    socket.emit("sync", {"page": "dashboard"})
    [snapshot] = received(socket, "snapshot")
    assert line_of(snapshot["dashboard"])["waiting"] == 1


def test_dashboard_sockets_count_as_watchers(watcher, feed, app):
    services = app.extensions["hotline"].adapters
    assert not feed.watched()
    socket = watcher().socket()
    assert len(feed.watchers) == 1 and services.redis.exists(f"{services.settings.redis_prefix}:dashboard:watched")
    socket.disconnect()
    assert feed.watchers == set()
    watcher("deputy").socket(page=None)            # a supervisor on another page does not watch
    assert feed.watchers == set()


def test_a_push_reaches_dashboards_only(floor, watcher, feed):
    boss = watcher()
    dashboard, elsewhere = boss.socket(), boss.socket(page=None)
    counselor = watcher("li", "counselor", lines=(GAOXIN_LINE,)).socket(page="console")
    for socket in (dashboard, elsewhere, counselor):
        socket.get_received()
    floor.caller()
    feed.push()
    [pushed] = received(dashboard, "dashboard")
    assert line_of(pushed)["waiting"] == 1
    assert received(elsewhere, "dashboard") == [] and received(counselor, "dashboard") == []


def test_dashboards_are_spared_the_raw_events(floor, watcher):
    boss = watcher()
    dashboard, elsewhere = boss.socket(), boss.socket(page=None)
    dashboard.get_received(), elsewhere.get_received()
    floor.counselor(1, GAOXIN_LINE)
    floor.caller()
    floor.tick()
    assert [m["name"] for m in dashboard.get_received()] == []
    names = {m["name"] for m in elsewhere.get_received()}
    assert {"queue.changed", "presence", "offer"} <= names


def test_nothing_is_built_while_nobody_watches(feed, monkeypatch):
    monkeypatch.setattr(feed.builder, "snapshot", lambda **_: pytest.fail("built a snapshot for nobody"))
    assert feed.push() is None


def test_a_burst_of_events_becomes_a_few_pushes(floor, watcher, running_feed):
    socket = watcher().socket()
    socket.get_received()
    started = time.monotonic()
    for _ in range(12):                              # 12 callers: 12+ events within a few ms
        floor.caller()
    time.sleep(1.6)                                  # window + the trailing refresh
    elapsed = time.monotonic() - started
    pushes = received(socket, "dashboard")
    assert 1 <= len(pushes) <= elapsed / running_feed.interval_s + 2
    assert line_of(pushes[-1])["waiting"] == 12
    assert pushes[-1]["today"]["offered"] == 12      # the trailing push sees the stored records
    seqs = [p["seq"] for p in pushes]
    assert seqs == sorted(seqs)


def test_a_single_change_is_pushed_within_the_window(floor, watcher, running_feed):
    socket = watcher().socket()
    time.sleep(0.3)
    socket.get_received()
    floor.counselor(1, GAOXIN_LINE)                  # one presence change
    deadline = time.monotonic() + 1.0
    pushes = []
    while not pushes and time.monotonic() < deadline:
        pushes = received(socket, "dashboard")
        time.sleep(0.02)
    assert pushes, "no push within a second"
    assert [c["state"] for c in pushes[-1]["counselors"] if c["id"] == 1] == ["available"]


def wait_for_push(socket, accept, timeout: float = 2.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pushed in received(socket, "dashboard"):
            if accept(pushed):
                return pushed
        time.sleep(0.02)
    raise AssertionError("no matching push")


def test_alerts_and_acknowledgements_reach_every_screen(watcher, app, running_feed):
    hotline = app.extensions["hotline"]
    boss, deputy = watcher(), watcher("deputy")
    dashboards = [boss.socket(), deputy.socket()]
    elsewhere = boss.socket(page=None)
    time.sleep(0.3)
    for socket in dashboards + [elsewhere]:
        socket.get_received()
    alert = hotline.alerts.raise_alert("risk", "imminent", hotline.settings.clock.now(), call_sid="CA9",
                                       line_id=GAOXIN_LINE)
    for socket in dashboards:
        pushed = wait_for_push(socket, lambda p: [a["id"] for a in p["alerts"]] == [alert.id])
        assert pushed["alerts"][0]["sounding"] is True
    boss.ack(alert.id)
    for socket in dashboards:
        wait_for_push(socket, lambda p: p["alerts"] == [])
    raw = elsewhere.get_received()                   # other pages get the store's raw events
    assert [m["args"][0]["id"] for m in raw if m["name"] in ("alert", "alert.ack")] == [alert.id, alert.id]
