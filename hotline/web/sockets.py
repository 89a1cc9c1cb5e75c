"""Socket.IO: signed-in browsers join their rooms and get a full snapshot on connect.

Rooms are named in hotline/ports.py: `counselor:<id>` for the console's own events,
`line:<id>` for each line the user answers, `supervisors` for supervisors and admins.
A snapshot on every (re)connect means a browser that lost its connection never has
to replay missed events: it simply redraws from the snapshot.

The supervisor's dashboard connects with auth={"page": "dashboard"}: it joins only
the dashboard room (hotline/usecases/dashboard_feed.py: coalesced snapshots, alerts
included, instead of every raw event), its snapshot carries the whole dashboard
(the same dict as GET /api/dashboard), and while it is connected this process
tells the dashboard feed that someone is watching.
"""
from __future__ import annotations

import logging

from flask import current_app, request
from flask_login import current_user
from flask_socketio import emit, join_room

from hotline.ports import SUPERVISORS, counselor_room, line_room
from hotline.usecases.dashboard_feed import DASHBOARD_ROOM
from hotline.web.console_state import console_state, may_use_console

log = logging.getLogger(__name__)


def rooms_for(user) -> list[str]:
    rooms = []
    if may_use_console(user):
        rooms.append(counselor_room(user.id))
        rooms.extend(line_room(line_id) for line_id in user.line_ids)
    if user.has_role("supervisor"):
        rooms.append(SUPERVISORS)
    return rooms


def snapshot_for(user, page: str | None = None) -> dict:
    """The console's state for a console; a minimal supervisor snapshot otherwise.

    A supervisor who also answers lines gets the console's state only when the
    connecting page says it is the console (auth={"page": "console"})."""
    wants_console = user.role == "counselor" or page == "console"
    if wants_console and may_use_console(user):
        return console_state(user)
    if page == "dashboard" and user.has_role("supervisor"):
        feed = _dashboard_feed()
        if feed is not None:
            return {"role": "supervisor", "dashboard": feed.builder.snapshot()}
    return {"role": "supervisor"}


def _dashboard_feed():
    """The dashboard feed of this app (absent when the dashboard module is not installed)."""
    return current_app.extensions.get("hotline_dashboard")


def _watching(page: str | None) -> bool:
    return page == "dashboard" and current_user.has_role("supervisor") and _dashboard_feed() is not None


def register_handlers(socketio) -> None:
    @socketio.on("connect")
    def connect(auth=None):
        """Refuse anonymous sockets; join the user's rooms; send the full state at once."""
        if not current_user.is_authenticated:
            return False
        if _watching(_page(auth)):
            join_room(DASHBOARD_ROOM)
            _dashboard_feed().watcher_joined(request.sid)
        else:
            for room in rooms_for(current_user):
                join_room(room)
        emit("snapshot", _safe_snapshot(_page(auth)))
        return True

    @socketio.on("disconnect")
    def disconnect(*_reason):
        feed = _dashboard_feed()
        if feed is not None:
            feed.watcher_left(request.sid)

    @socketio.on("sync")
    def sync(data=None):
        """The page asks again (e.g. after waking from sleep): answer with a fresh snapshot."""
        if not current_user.is_authenticated:
            return
        emit("snapshot", _safe_snapshot(_page(data)))


def _page(data) -> str | None:
    return data.get("page") if isinstance(data, dict) and isinstance(data.get("page"), str) else None


def _safe_snapshot(page: str | None) -> dict:
    """A snapshot, or an error marker the page can show: a Redis hiccup must not drop the socket."""
    try:
        return snapshot_for(current_user, page)
    except Exception as exc:
        log.warning("快照不可用 / snapshot unavailable for user %s: %s", current_user.id, type(exc).__name__)
        return {"error": "unavailable", "message": "状态暂不可用，正在重试 / state unavailable, retrying"}
