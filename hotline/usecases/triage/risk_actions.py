"""What a call's peak level sets off — the supervisors' alert, the flag the router reads,
the 24-hour follow-up — each once per call across every process.

The database already holds the flag and the follow-up task when these run (the
assessment's transaction wrote them); these are the live parts. A failure is logged and
the action is retried on the next save: the claim is released and the action is not
marked done.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from hotline.ports import AlertRaiser, FlaggedSet, OnceClaims
from hotline.routing.directory import Directory
from hotline.triage.actions import actions_for
from hotline.triage.risk import level_label
from hotline.usecases.triage.follow_ups import FollowUps
from hotline.usecases.triage.origin import CallOrigin

log = logging.getLogger(__name__)


class RiskActions:
    def __init__(self, alerts: AlertRaiser, flagged: FlaggedSet, claims: OnceClaims, follow_ups: FollowUps,
                 lines: Directory) -> None:
        self.alerts, self.flagged, self.claims = alerts, flagged, claims
        self.follow_ups, self.lines = follow_ups, lines

    def set_off(self, origin: CallOrigin, counselor_id: int, peak: str, done: list[str],
                now: datetime) -> list[str]:
        """The actions of `peak` not in `done`, each run by the one process that claims it
        (the flag is idempotent: always run); returns the codes now done."""
        actions = actions_for(peak)
        wanted: list[tuple[str, Callable[[], None]]] = []
        if actions.supervisor_alert:
            wanted.append((f"alert:{peak}", lambda: self._alert(origin, counselor_id, peak, now)))
        if actions.flag_caller_file and origin.has_file:
            wanted.append(("flag", lambda: self.flagged.add(origin.caller_key)))
        if actions.follow_up_after is not None:
            wanted.append(("follow_up", lambda: self.follow_ups.schedule(origin.call_sid, actions.follow_up_after)))
        newly = []
        for code, run in wanted:
            if code in done:
                continue
            try:
                if code == "flag" or self.claims.claim(origin.call_sid, code):
                    run()
                newly.append(code)
            except Exception:
                log.exception("分诊处置未完成 / triage action %s for call %s failed", code, origin.call_sid)
                self._release(origin.call_sid, code)
        return newly

    def _release(self, call_sid: str, code: str) -> None:
        try:
            self.claims.release(call_sid, code)
        except Exception:   # Redis is down: the durable flag and follow-up are in the database
            pass

    def _alert(self, origin: CallOrigin, counselor_id: int, level: str, now: datetime) -> None:
        message = risk_alert_message(level, self.lines.get(origin.line_id or ""))
        self.alerts.raise_alert(kind="risk", level=level, at=now, call_sid=origin.call_sid,
                                counselor_id=counselor_id, line_id=origin.line_id, message=message)


def risk_alert_message(level: str, line) -> str:
    """"高风险来电 · 成都市心理援助热线 / high-risk call · Chengdu …": the line's names, never its id
    (a supervisor reads this on the wall); a line not in the directory is "未知线路 / unknown line"."""
    zh, en = level_label(level).split(" / ")
    where, where_en = (line.name, line.name_en or line.name) if line else ("未知线路", "unknown line")
    return f"{zh}风险来电 · {where} / {en}-risk call · {where_en}"
