"""What a counselor's console shows, built in one place for the API and the socket.

GET /api/console/state and the Socket.IO "snapshot" must agree exactly, otherwise a
reconnecting browser would show something the page never shows after a reload.
Also here: who may use the console, and who may touch a call's notes.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from sqlalchemy import select

from hotline.ports import Presence

log = logging.getLogger(__name__)


def may_use_console(user) -> bool:
    """Counselors always; supervisors and admins only when they also answer lines."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == "counselor" or bool(user.line_ids)


def console_state(services, user) -> dict:
    """The whole console in one JSON-ready dict (the API's and the snapshot's shape)."""
    presence = services.presence.get(user.id)
    now = services.now()
    return {"counselor": {"id": user.id, "name": user.display_name, "lines": list(user.line_ids)},
            "presence": presence_payload(presence),
            "offer": offer_payload(services, presence, now),
            "call": call_payload(services, presence),
            "lines": lines_payload(services.directory),
            "simulator": not services.settings.twilio_live,
            "now": now.isoformat()}


def presence_payload(presence: Presence | None) -> dict | None:
    if presence is None:
        return None
    return {"state": presence.state, "since": presence.since.isoformat(),
            "until": presence.until.isoformat() if presence.until else None, "call": presence.call}


def offer_payload(services, presence: Presence | None, now: datetime) -> dict | None:
    """The ringing offer, as the "offer" event carried it (expires_at included)."""
    if presence is None or presence.state != "offered" or not presence.call:
        return None
    offer = services.dispatcher.current_offer(presence.call)
    expires = _from_ts(offer.get("expires")) if offer else None
    return services.notices.offer_payload(presence.call, now, expires)


def call_payload(services, presence: Presence | None) -> dict | None:
    """The call being talked (from Redis), or in wrap-up the one just ended (from the record)."""
    if presence is None:
        return None
    if presence.state == "on_call" and presence.call:
        return _live_call(services, presence.call)
    if presence.state == "wrap_up":
        return _last_call(services, presence.counselor_id)
    return None


def _live_call(services, call_sid: str) -> dict:
    state = services.queues.call_state(call_sid)
    answered = _from_ts(state.get("answered_s"))
    arrived = float(state.get("arrived_ms") or 0) / 1000
    waited = round(max(answered.timestamp() - arrived, 0.0), 1) if answered and arrived else None
    return _call_dict(services, call_sid, state.get("line"), answered, waited, None)


def _last_call(services, counselor_id: int) -> dict | None:
    """The counselor's latest answered call: wrap-up notes belong to it after a reload."""
    from hotline.store.models import Call

    query = (select(Call).where(Call.counselor_id == counselor_id, Call.answered_at.is_not(None))
             .order_by(Call.answered_at.desc(), Call.id.desc()).limit(1))
    try:
        with services.db.session() as session:
            call = session.scalar(query)
    except Exception as exc:  # the console must still load while the database is away
        log.warning("无法读取上一通话 / last call unavailable: %s", type(exc).__name__)
        return None
    if call is None:
        return None
    return _call_dict(services, call.call_sid, call.line_id, call.answered_at, call.wait_seconds, call.ended_at)


def _call_dict(services, call_sid, line_id, answered, waited, ended) -> dict:
    line = services.directory.get(line_id or "")
    return {"call_sid": call_sid, "line": line_id or None, "line_name": line.name if line else "",
            "answered_at": answered.isoformat() if answered else None, "waited_s": waited,
            "ended_at": ended.isoformat() if ended else None}


def lines_payload(directory) -> list[dict]:
    """Every line for the transfer select, hosted first; menus so the page can name choices."""
    ordered = sorted(directory, key=lambda line: not line.hosted)   # stable: keeps file order
    return [{"id": line.id, "name": line.name, "hosted": line.hosted, "menu": _menu_labels(line)}
            for line in ordered]


def _menu_labels(line) -> dict:
    if line.menu is None:
        return {}
    return {option.value: f"{option.zh} / {option.en}" for option in line.menu.options.values()}


def _from_ts(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=timezone.utc) if value else None
    except (TypeError, ValueError):
        return None


def handles_call(services, user_id: int, call_sid: str) -> bool:
    """May this user write or read the call's notes? Its counselor (live state or record),
    the counselor it is offered to, or someone who already wrote a note on it."""
    presence = services.presence.get(user_id)
    if presence and presence.call == call_sid and presence.state in ("offered", "on_call"):
        return True
    if services.queues.call_state(call_sid).get("counselor") == str(user_id):
        return True
    return _recorded_handler(services, user_id, call_sid)


def _recorded_handler(services, user_id: int, call_sid: str) -> bool:
    from hotline.store.calls import find
    from hotline.store.notes import has_written

    with services.db.session() as session:
        call = find(session, call_sid)
        if call is not None and call.counselor_id == user_id:
            return True
        return has_written(session, user_id, call_sid)
