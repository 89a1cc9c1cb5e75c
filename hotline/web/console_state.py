"""What a counselor's console shows (the ConsoleView use case), for the API and the socket,
and who may use the console at all.

GET /api/console/state and the Socket.IO "snapshot" both call console_state, so a
reconnecting browser shows exactly what the page shows after a reload.
"""
from __future__ import annotations

from hotline.web.context import hotline


def may_use_console(user) -> bool:
    """Counselors always; supervisors and admins only when they also answer lines."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == "counselor" or bool(user.line_ids)


def console_state(user) -> dict:
    """The whole console of a signed-in user in one JSON-ready dict."""
    use_cases = hotline()
    return use_cases.console_view.state(user.id, user.display_name, user.line_ids,
                                        simulator=not use_cases.settings.twilio_live)
