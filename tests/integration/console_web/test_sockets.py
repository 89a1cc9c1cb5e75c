"""Socket.IO: anonymous sockets refused, rooms joined, a snapshot on connect, live offers."""
from __future__ import annotations


def events(socket, name: str) -> list:
    return [message["args"][0] for message in socket.get_received() if message["name"] == name]


def test_anonymous_socket_is_refused(app):
    socketio = app.extensions["socketio"]
    socket = socketio.test_client(app, flask_test_client=app.test_client())
    assert not socket.is_connected()


def test_counselor_gets_a_snapshot_like_the_state_api(desk):
    li = desk("li")
    li.go("available")
    socket = li.socket()
    assert socket.is_connected()
    [snapshot] = events(socket, "snapshot")
    state = li.state()
    snapshot.pop("now"), state.pop("now")
    assert snapshot == state
    assert snapshot["presence"]["state"] == "available"


def test_offer_arrives_live_after_a_dispatch(floor, desk):
    li = desk("li")
    li.go("available")
    socket = li.socket()
    socket.get_received()
    sid = floor.caller()
    floor.tick()
    [offer] = [o for o in events(socket, "offer") if o["call"] == sid]
    assert offer["line"] == "chengdu-gaoxin" and offer["expires_at"]
    assert "history" in offer and "flagged" in offer


def test_reconnect_resyncs_the_ringing_offer(offered):
    floor, li, sid = offered
    socket = li.socket()
    [snapshot] = events(socket, "snapshot")
    assert snapshot["offer"]["call"] == sid and snapshot["presence"]["state"] == "offered"


def test_accept_hangup_and_presence_events_reach_the_counselor(offered):
    floor, li, sid = offered
    socket = li.socket()
    socket.get_received()
    li.accept(sid)
    li.hangup(sid)
    received = socket.get_received()
    names = [m["name"] for m in received]
    assert "call.answered" in names and "call.ended" in names
    states = [m["args"][0]["state"] for m in received if m["name"] == "presence"]
    assert states[-2:] == ["on_call", "wrap_up"]


def test_counselor_on_another_line_does_not_hear_the_offer(floor, desk):
    li = desk("li")
    li.go("available")
    other = desk("zhao", lines=("sichuan",))
    socket = other.socket()
    socket.get_received()
    floor.caller()
    floor.tick()
    assert events(socket, "offer") == []


def test_supervisor_joins_the_supervisors_room(floor, desk):
    li = desk("li")
    li.go("available")
    boss = desk("boss", "supervisor", lines=())
    socket = boss.socket()
    assert socket.is_connected()
    assert events(socket, "snapshot") == [{"role": "supervisor"}]
    sid = floor.caller()
    floor.tick()
    assert [o["call"] for o in events(socket, "offer")] == [sid]


def test_supervisor_with_lines_gets_the_console_snapshot_on_the_console(desk):
    boss = desk("boss", "supervisor", lines=("chengdu-gaoxin",))
    assert events(boss.socket(), "snapshot") == [{"role": "supervisor"}]
    [snapshot] = events(boss.socket(page="console"), "snapshot")
    assert snapshot["counselor"]["id"] == boss.id


def test_sync_sends_a_fresh_snapshot(desk):
    li = desk("li")
    socket = li.socket()
    socket.get_received()
    li.go("break")
    socket.emit("sync", {"page": "console"})
    [snapshot] = events(socket, "snapshot")
    assert snapshot["presence"]["state"] == "break"
