"""What a counselor's console shows (the ConsoleView use case), for the API and the socket,
and who may use the console at all.

GET /api/console/state and the Socket.IO "snapshot" both call console_state, so a
reconnecting browser shows exactly what the page shows after a reload.
"""
from __future__ import annotations

import logging

from hotline.web.context import hotline

log = logging.getLogger(__name__)


def may_use_console(user) -> bool:
    """Counselors always; supervisors and admins only when they also answer lines."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == "counselor" or bool(user.line_ids)


def console_state(user) -> dict:
    """The whole console of a signed-in user in one JSON-ready dict."""
    use_cases = hotline()
    state = use_cases.console_view.state(user.id, user.display_name, user.line_ids,
                                         simulator=not use_cases.settings.twilio_live)
    return state | {"blocked": blocked_record(user.id)}


def blocked_record(counselor_id: int) -> dict | None:
    """The counselor's record the close guard holds open (the console opens it after a reload
    or a new sign-in), or None. Unknown while the database is down: None, logged."""
    blocked = hotline().blocked_records
    try:
        found = blocked.of_counselor(counselor_id)
    except Exception as exc:
        log.error("无法读取未完成记录 / blocked record of counselor %s unavailable: %s", counselor_id,
                  type(exc).__name__)
        return None
    return blocked.as_dict(found) if found else None
