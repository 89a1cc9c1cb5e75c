"""Coverage alerts: a hosted line is open, it has a roster, and nobody is on shift.

Routing already treats such a line as closed (nobody is eligible, so it is not
staffed) and moves callers along the fallback chain; this puts the problem on the
supervisors' dashboard as an alert they acknowledge. One alert per line per
ALERT_EVERY_S at most (claimed across processes), so a long gap does not flood the
list; any process may check (after roster changes, from a periodic tick).
"""
from __future__ import annotations

from datetime import datetime

from hotline.ports import AlertRaiser, CoverageAlertGate, OnCallLookup

ALERT_EVERY_S = 3600


class CoverageAlerts:
    def __init__(self, on_call: OnCallLookup, directory, alerts: AlertRaiser, gate: CoverageAlertGate) -> None:
        self.on_call = on_call
        self.directory = directory
        self.alerts = alerts
        self.gate = gate

    def uncovered_lines(self, at: datetime) -> list[str]:
        """Hosted lines open at `at`, with a roster, and no shift on."""
        found = []
        for line in self.directory.hosted():
            if not line.is_open(at):
                continue
            on_call = self.on_call.on_call(line.id, at)
            if on_call is not None and not on_call[0].current:
                found.append(line.id)
        return found

    def raise_alerts(self, at: datetime) -> list[str]:
        """Raise (at most hourly per line) a "coverage"/"gap" alert for each uncovered line; returns those raised."""
        raised = []
        for line_id in self.uncovered_lines(at):
            if not self.gate.claim(line_id, at, ALERT_EVERY_S):
                continue
            name = self.directory.get(line_id).name
            self.alerts.raise_alert("coverage", "gap", at, line_id=line_id,
                                    message=f"{name} 开放中但无人当班 / {name} is open but nobody is on shift")
            raised.append(line_id)
        return raised
