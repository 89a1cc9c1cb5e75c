"""The supervisor's dashboard as one JSON-ready dict, built in one place.

GET /api/dashboard, the Socket.IO snapshot on (re)connect, the coalesced "dashboard"
pushes and /metrics all come from `DashboardBuilder.snapshot()`, so a wallboard polling
the API, a browser that just reconnected and one that has been open all day always agree.

Privacy: calls appear only as CallSid and line; no caller number, caller key, note or
triage answer is read here. Alert messages are passed on with anything that looks like
a phone number masked, in case a free-text field carried one.

The live half (queues, presence) must be readable: without it the snapshot fails and
the callers of `snapshot()` say "degraded". The rest degrades on its own: today's
counters keep their last value (marked stale) while the database is away, a roster
problem shows "unavailable" duty rather than blanking the dashboard, and counselors'
names fall back to their presence names.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from datetime import datetime
from typing import Callable

from hotline.ports import (Alert, BlockedRecordList, Clock, FloorState, OnDuty, OpenAlerts, OpsUnitOfWork, Presences,
                           Staffing)
from hotline.routing.directory import Directory
from hotline.usecases.dashboard_floor import (busy_calls, counselor_figures, counselor_grid, queue_figures,
                                              staff_totals)
from hotline.usecases.dashboard_today import DEFAULT_SERVICE_LEVEL_S, service_zone, today_counters

log = logging.getLogger(__name__)
SNAPSHOT_VERSION = 1
PHONE_LIKE = re.compile(r"\+?\d[\d\s\-()]{5,}\d")
BLOCKED_MAX_AGE_S = 3.0     # blocked records change with a referral or a checklist: seconds are fine
NO_DUTY = {"current": [], "next": {"start": None, "names": []}, "source": "unavailable", "staffed": False}


def line_next_change(line, at: datetime, steps: int = 12) -> datetime | None:
    """When the line as a whole opens or closes next (a number changing while another
    keeps the line open is not a change for the caller)."""
    open_now, cursor = line.is_open(at), at
    for _ in range(steps):
        change = line.next_change(cursor)
        if change is None or change <= cursor:
            return None
        if line.is_open(change) != open_now:
            return change
        cursor = change
    return None


def mask_numbers(text: str) -> str:
    return PHONE_LIKE.sub("***", text or "")


class DashboardBuilder:
    """Builds snapshots for one process; caches today's counters briefly (they cost a query)."""

    def __init__(self, *, clock: Clock, directory: Directory, presences: Presences, floor: FloorState,
                 staffing: Staffing, on_duty: OnDuty, alerts: OpenAlerts, uow: Callable[[], OpsUnitOfWork],
                 today_max_age_s: float = 1.0, service_level_s: int = DEFAULT_SERVICE_LEVEL_S,
                 monotonic: Callable[[], float] = time.monotonic, blocked: BlockedRecordList | None = None) -> None:
        self.clock = clock
        self.directory = directory
        self.presences = presences
        self.floor = floor
        self.staffing = staffing
        self.on_duty = on_duty
        self.alerts = alerts
        self.uow = uow
        self.today_max_age_s = today_max_age_s
        self.service_level_s = service_level_s
        self.monotonic = monotonic
        self.blocked = blocked
        self._blocked: tuple[float, list[dict]] | None = None     # (monotonic, entries): a few queries each
        self._today: tuple[float, str, dict] | None = None   # (monotonic, date key, counters)
        self._lock = threading.Lock()

    def line_ids(self) -> list[str]:
        return [line.id for line in self.directory.hosted()]

    # --- the whole picture ----------------------------------------------------------
    def snapshot(self, fresh_today: bool = False) -> dict:
        now = self.clock.now()
        line_ids = self.line_ids()
        presences = self.presences.all()
        calls = self.floor.lines_of_calls(busy_calls(presences))
        queues = queue_figures(self.floor.queued(line_ids), line_ids, now)
        staff = counselor_figures(presences, calls, line_ids, now, self.staffing.lines_for)
        today = self.today(now, line_ids, fresh_today)
        lines = [self.line_entry(line_id, now, queues[line_id], staff[line_id], today) for line_id in line_ids]
        grid = counselor_grid(presences, calls)
        blocked = self.blocked_entries(fresh_today)
        held = {entry["counselor_id"] for entry in blocked}
        grid = [person | {"blocked": person.get("id") in held} for person in grid]
        return {"v": SNAPSHOT_VERSION, "seq": time.time_ns() // 1_000_000, "now": now.isoformat(),
                "day": {k: today.get(k) for k in ("date", "zone", "start")},
                "totals": totals(lines) | {"counselors": staff_totals(grid)},
                "today": today.get("overall"), "today_stale": today.get("stale", False),
                "lines": lines, "alerts": self.alert_entries(presences), "counselors": grid,
                "blocked": blocked}

    def line_entry(self, line_id: str, now: datetime, queue: dict, staff: dict, today: dict) -> dict:
        line = self.directory.get(line_id)
        is_open = line.is_open(now)
        change = line_next_change(line, now)
        duty = self.duty(line_id, now)
        gap = is_open and not duty.get("staffed", bool(duty.get("current")))
        return {"id": line.id, "name": line.name, "name_en": line.name_en, "region": line.region,
                "open": is_open, "always_open": line.always_open,
                "next_change": change.isoformat() if change else None,
                **queue, **staff, "today": (today.get("lines") or {}).get(line_id),
                "duty": duty, "gap": gap, "state": line_state(is_open, gap, queue["waiting"], staff["counselors"])}

    def duty(self, line_id: str, now: datetime) -> dict:
        """The shift on duty and the next one; never lets a roster problem blank the dashboard."""
        try:
            duty = self.on_duty.on_duty(line_id, now)
        except Exception as exc:
            log.warning("值班信息不可用 / on-duty unavailable for line %s: %s", line_id, type(exc).__name__)
            return dict(NO_DUTY)
        return {"current": [{"id": c.get("id"), "name": c.get("name"), "state": c.get("state")}
                            for c in duty.get("current") or []],
                "next": duty.get("next") or {"start": None, "names": []},
                "source": duty.get("source"), "staffed": bool(duty.get("staffed", duty.get("current")))}

    # --- today's counters (database) -----------------------------------------------------
    def today(self, now: datetime, line_ids: list[str], fresh: bool = False) -> dict:
        zone = service_zone(self.directory)
        day = now.astimezone(zone).date().isoformat()
        with self._lock:
            cached = self._today
            if cached and cached[1] == day and not fresh and self.monotonic() - cached[0] < self.today_max_age_s:
                return cached[2]
        try:
            with self.uow() as uow:
                counters = today_counters(uow.today, line_ids, now, zone, self.thresholds(), self.service_level_s)
        except Exception as exc:   # the live half still matters while the database is away
            log.warning("今日统计不可用 / today's counters unavailable: %s", type(exc).__name__)
            return (cached[2] | {"stale": True}) if cached else {"date": day, "zone": zone.key, "stale": True}
        with self._lock:
            self._today = (self.monotonic(), day, counters)
        return counters

    def thresholds(self) -> dict[str, int]:
        """The lines that set their own service-level threshold (lines.yaml service_level_s)."""
        return {line.id: line.service_level_s for line in self.directory.hosted() if line.service_level_s}
    # --- blocked records (triage's close guard) ---------------------------------------------
    def blocked_entries(self, fresh: bool = False) -> list[dict]:
        """Every record held open (counselor, line, level, since); [] (logged) while the
        database is away: the live half of the dashboard must still show."""
        if self.blocked is None:
            return []
        cached = self._blocked
        if cached and not fresh and self.monotonic() - cached[0] < BLOCKED_MAX_AGE_S:
            return cached[1]
        try:
            found = self.blocked.blocked_records()
        except Exception as exc:
            log.warning("未完成记录不可用 / blocked records unavailable: %s", type(exc).__name__)
            return cached[1] if cached else []
        entries = [{"call": r.call_sid, "counselor_id": r.counselor_id, "counselor_name": r.counselor_name,
                 "line": r.line_id, "line_name": r.line_name, "level": r.level, "since": r.since.isoformat(),
                 "counselor_state": r.counselor_state} for r in found]
        self._blocked = (self.monotonic(), entries)
        return entries

    # --- alerts ---------------------------------------------------------------------------
    def alert_entries(self, presences) -> list[dict]:
        names = {p.counselor_id: p.name for p in presences if p.name}
        alerts = self.alerts.open_alerts()
        missing = {a.counselor_id for a in alerts if a.counselor_id and a.counselor_id not in names}
        names |= self.user_names(missing)
        return [self.alert_entry(alert, names) for alert in alerts]

    def alert_entry(self, alert: Alert, names: dict[int, str]) -> dict:
        line = self.directory.get(alert.line_id or "")
        return {"id": alert.id, "kind": alert.kind, "level": alert.level, "raised_at": alert.raised_at,
                "call": alert.call_sid, "line": alert.line_id, "line_name": line.name if line else None,
                "counselor": alert.counselor_id, "counselor_name": names.get(alert.counselor_id),
                "message": mask_numbers(alert.message), "sounding": alert.sounding}

    def user_names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        try:
            with self.uow() as uow:
                return uow.users.display_names(ids)
        except Exception as exc:
            log.warning("咨询师姓名不可用 / counselor names unavailable: %s", type(exc).__name__)
            return {}


def line_state(is_open: bool, gap: bool, waiting: int, counselors: dict) -> str:
    """What the dashboard names and colours a line: "closed"; "gap" (open, nobody on shift);
    "busy" (callers waiting and every counselor who may answer it busy or away); "ok"."""
    if not is_open:
        return "closed"
    if gap:
        return "gap"
    if waiting > 0 and not counselors.get("available"):
        return "busy"
    return "ok"


def totals(lines: list[dict]) -> dict:
    """The whole service at a glance: sums over lines, the longest wait anywhere."""
    waits = [(l["longest_wait_s"], l["oldest_arrived_at"]) for l in lines if l["longest_wait_s"] is not None]
    longest = max(waits, default=(None, None))
    return {"waiting": sum(l["waiting"] for l in lines), "in_progress": sum(l["in_progress"] for l in lines),
            "ringing": sum(l["ringing"] for l in lines), "longest_wait_s": longest[0],
            "oldest_arrived_at": longest[1], "open_lines": sum(1 for l in lines if l["open"]),
            "lines": len(lines), "gaps": [l["id"] for l in lines if l["gap"]],
            "busy": [l["id"] for l in lines if l["state"] == "busy"]}
