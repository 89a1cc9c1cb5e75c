"""What a counselor's console shows, built in one place for the API and the socket.

GET /api/console/state and the Socket.IO "snapshot" must agree exactly, otherwise a
reconnecting browser would show something the page never shows after a reload. Live
state comes from Redis; the call just ended (in wrap-up) from the record, because its
live hash may be gone. Also here: who handles a call (and so may touch its notes).
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Sequence

from hotline.ports import CallQueues, Clock, HandledCall, OfferSteps, Presence, Presences, UnitOfWorkFactory
from hotline.routing.directory import Directory, Line
from hotline.usecases.notices import Notices

log = logging.getLogger(__name__)


class ConsoleView:
    def __init__(self, *, presences: Presences, steps: OfferSteps, queues: CallQueues, notices: Notices,
                 directory: Directory, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self.presences = presences
        self.steps = steps
        self.queues = queues
        self.notices = notices
        self.directory = directory
        self.uow = uow          # a ConsoleUnitOfWork factory (hotline.ports)
        self.clock = clock

    def state(self, counselor_id: int, name: str, lines: Sequence[str], simulator: bool) -> dict:
        """The whole console in one JSON-ready dict (the API's and the snapshot's shape)."""
        presence = self.presences.get(counselor_id)
        now = self.clock.now()
        return {"counselor": {"id": counselor_id, "name": name, "lines": list(lines)},
                "presence": presence_payload(presence),
                "offer": self._offer(presence, now),
                "call": self._call(presence),
                "lines": lines_payload(self.directory),
                "simulator": simulator,
                "now": now.isoformat()}

    def _offer(self, presence: Presence | None, now: datetime) -> dict | None:
        """The ringing offer, as the "offer" event carried it (expires_at included)."""
        if presence is None or presence.state != "offered" or not presence.call:
            return None
        offer = self.steps.ringing(presence.call)
        return self.notices.offer_payload(presence.call, now, offer.expires_at if offer else None)

    def _call(self, presence: Presence | None) -> dict | None:
        """The call being talked (live), or in wrap-up the one just ended (the record)."""
        if presence is None:
            return None
        if presence.state == "on_call" and presence.call:
            return self._live_call(presence.call)
        if presence.state == "wrap_up":
            last = self._last_call(presence.counselor_id)
            return self._call_dict(last.call_sid, last.line_id, last.answered_at, last.wait_seconds,
                                   last.ended_at) if last else None
        return None

    def _live_call(self, call_sid: str) -> dict:
        state = self.queues.call_state(call_sid)
        answered = _from_ts(state.get("answered_s"))
        arrived = float(state.get("arrived_ms") or 0) / 1000
        waited = round(max(answered.timestamp() - arrived, 0.0), 1) if answered and arrived else None
        return self._call_dict(call_sid, state.get("line"), answered, waited, None)

    def _last_call(self, counselor_id: int) -> HandledCall | None:
        """The counselor's latest answered call: wrap-up notes belong to it after a reload."""
        try:
            with self.uow() as uow:
                return uow.handled.last_answered(counselor_id)
        except Exception as exc:  # the console must still load while the database is away
            log.warning("无法读取上一通话 / last call unavailable: %s", type(exc).__name__)
            return None

    def _call_dict(self, call_sid, line_id, answered, waited, ended) -> dict:
        line = self.directory.get(line_id or "")
        return {"call_sid": call_sid, "line": line_id or None, "line_name": line.name if line else "",
                "answered_at": answered.isoformat() if answered else None, "waited_s": waited,
                "ended_at": ended.isoformat() if ended else None}

    def handles_call(self, user_id: int, call_sid: str) -> bool:
        """May this user write or read the call's notes? Its counselor (live state or record),
        the counselor it is offered to, or someone who already wrote a note on it. With the
        live state (Redis) unreachable the record alone decides, so the notes, assessment and
        referrals of a call already on record stay readable."""
        try:
            if self._handles_live(user_id, call_sid):
                return True
        except Exception as exc:  # the live state is down: fall through to the database record
            log.warning("实时状态不可用，按记录判断 / live state unavailable, asking the record: %s",
                        type(exc).__name__)
        with self.uow() as uow:
            return uow.handled.handled_by(user_id, call_sid)

    def _handles_live(self, user_id: int, call_sid: str) -> bool:
        presence = self.presences.get(user_id)
        if presence and presence.call == call_sid and presence.state in ("offered", "on_call"):
            return True
        return self.queues.call_state(call_sid).get("counselor") == str(user_id)


def presence_payload(presence: Presence | None) -> dict | None:
    if presence is None:
        return None
    return {"state": presence.state, "since": presence.since.isoformat(),
            "until": presence.until.isoformat() if presence.until else None, "call": presence.call}


def lines_payload(directory: Directory) -> list[dict]:
    """Every line for the transfer select, hosted first; menus so the page can name choices."""
    ordered = sorted(directory, key=lambda line: not line.hosted)   # stable: keeps file order
    return [{"id": line.id, "name": line.name, "hosted": line.hosted, "menu": _menu_labels(line)}
            for line in ordered]


def _menu_labels(line: Line) -> dict:
    if line.menu is None:
        return {}
    return {option.value: f"{option.zh} / {option.en}" for option in line.menu.options.values()}


def _from_ts(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=timezone.utc) if value else None
    except (TypeError, ValueError):
        return None
