"""The dashboard dict from fake live state and a fake call record: per-line figures, totals,
the counselor grid, duty and gaps, alerts with names, and what survives an outage."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from hotline.ports import DayCall, Presence, QueueEntry, QueuedCaller
from hotline.usecases.alerts import Alerts
from hotline.usecases.dashboard import NO_DUTY, DashboardBuilder
from tests.unit.usecases.fakes import FakeClock, FakeEvents, FakePresences
from tests.unit.usecases.fakes_ops import (FakeAlertBoard, FakeFloor, FakeMonotonic, FakeOnDuty, FakeStaffing,
                                           Ids, OpsStore, UowFactory, directory, line)

UTC = timezone.utc
NOW = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)          # Monday 10:00 in Shanghai
MS = int(NOW.timestamp() * 1000)


class Kit:
    def __init__(self, **builder) -> None:
        self.clock = FakeClock(NOW)
        self.presences = FakePresences()
        self.floor = FakeFloor()
        self.on_duty = FakeOnDuty()
        self.store = OpsStore()
        self.uow = UowFactory(self.store)
        self.monotonic = FakeMonotonic()
        self.alerts = Alerts(FakeAlertBoard(), FakeEvents(), self.clock, lambda text: text, new_id=Ids())
        self.directory = directory(line("gaoxin"), line("yaan", "周一至周五 9:00-17:00"),
                                   line("evening", "每天 18:00-22:00"), line("national", hosted=False))
        self.builder = DashboardBuilder(clock=self.clock, directory=self.directory, presences=self.presences,
                                        floor=self.floor, staffing=FakeStaffing(builder.pop("off_shift", set())),
                                        on_duty=self.on_duty, alerts=self.alerts, uow=self.uow,
                                        monotonic=self.monotonic, **builder)

    def counselor(self, cid: int, state: str, *lines: str, call: str | None = None, name: str = "", since_s=0):
        self.presences.set(Presence(cid, state, NOW - timedelta(seconds=since_s), lines, name or f"咨询师{cid}", call))

    def day_call(self, cid: int, line_id: str, *, queued: tuple[str, ...] = (), rolled: tuple[str, ...] = (),
                 answered_after_s: float | None = None, talk_s: float | None = None, status: str = "queued",
                 outcome: str | None = None, at: datetime = NOW):
        answered = at + timedelta(seconds=answered_after_s) if answered_after_s is not None else None
        self.store.calls.append(DayCall(cid, line_id, at, answered, status, outcome, answered_after_s, talk_s))
        self.store.entries += [QueueEntry(cid, "queued", f"queued:{lid}", at) for lid in queued]
        self.store.entries += [QueueEntry(cid, "rolled_over", f"rolled_over:{lid}", at) for lid in rolled]


def by_id(snapshot: dict, line_id: str) -> dict:
    return next(entry for entry in snapshot["lines"] if entry["id"] == line_id)


def test_per_line_queue_figures_and_totals():
    kit = Kit()
    kit.floor.queues["gaoxin"] = [QueuedCaller("CA-urgent", MS - 30_000, 2), QueuedCaller("CA-old", MS - 95_000, 0),
                                  QueuedCaller("CA-new", MS - 5_000, 0)]
    kit.floor.queues["yaan"] = [QueuedCaller("CA-y", MS - 40_000, 0)]
    snapshot = kit.builder.snapshot()
    gaoxin = by_id(snapshot, "gaoxin")
    assert gaoxin["waiting"] == 3 and gaoxin["longest_wait_s"] == 95.0
    assert gaoxin["oldest_arrived_at"] == (NOW - timedelta(seconds=95)).isoformat()
    assert [(q["call"], q["priority"]) for q in gaoxin["queue"]] == [("CA-urgent", 2), ("CA-old", 0), ("CA-new", 0)]
    assert by_id(snapshot, "evening")["waiting"] == 0 and by_id(snapshot, "evening")["longest_wait_s"] is None
    assert [entry["id"] for entry in snapshot["lines"]] == ["gaoxin", "yaan", "evening"]    # hosted lines only
    totals = snapshot["totals"]
    assert totals["waiting"] == 4 and totals["longest_wait_s"] == 95.0 and totals["lines"] == 3
    assert totals["oldest_arrived_at"] == gaoxin["oldest_arrived_at"] and totals["open_lines"] == 2
    assert snapshot["v"] == 1 and snapshot["now"] == NOW.isoformat()


def test_only_the_first_twenty_callers_are_listed_but_all_are_counted():
    kit = Kit()
    kit.floor.queues["gaoxin"] = [QueuedCaller(f"CA{i}", MS - i * 1000, 0) for i in range(25)]
    gaoxin = by_id(kit.builder.snapshot(), "gaoxin")
    assert gaoxin["waiting"] == 25 and len(gaoxin["queue"]) == 20


def test_counselors_count_where_they_may_answer_and_calls_where_they_are():
    kit = Kit(off_shift={"yaan"})
    kit.counselor(1, "on_call", "gaoxin", "yaan", call="CA1")
    kit.counselor(2, "offered", "gaoxin", call="CA2")
    kit.counselor(3, "available", "gaoxin", "yaan")
    kit.counselor(4, "break", "yaan")
    kit.counselor(5, "offline", "gaoxin")
    kit.floor.call_lines = {"CA1": "yaan", "CA2": "gaoxin"}
    snapshot = kit.builder.snapshot()
    gaoxin, yaan = by_id(snapshot, "gaoxin"), by_id(snapshot, "yaan")
    assert gaoxin["counselors"] == {"available": 1, "offered": 1, "on_call": 0, "wrap_up": 0, "break": 0}
    # 1 talks on Ya'an's call: on call there, not on Gaoxin; otherwise nobody is on shift for Ya'an
    assert yaan["counselors"] == {"available": 0, "offered": 0, "on_call": 1, "wrap_up": 0, "break": 0}
    assert (yaan["in_progress"], gaoxin["in_progress"], gaoxin["ringing"]) == (1, 0, 1)  # the call's own line
    assert kit.floor.asked == [["CA1", "CA2"]]                             # only calls on a console
    assert snapshot["totals"]["counselors"] == {"available": 1, "offered": 1, "on_call": 1, "wrap_up": 0,
                                                "break": 1}
    assert (snapshot["totals"]["in_progress"], snapshot["totals"]["ringing"]) == (1, 1)


def test_the_grid_shows_working_states_first_then_the_longest_in_their_state():
    kit = Kit()
    kit.counselor(1, "available", "gaoxin", since_s=10)
    kit.counselor(2, "available", "gaoxin", since_s=300)
    kit.counselor(3, "offline", "gaoxin")
    kit.counselor(4, "on_call", "gaoxin", call="CA4", name="")
    kit.presences.set(Presence(6, "break", NOW, ("gaoxin",)))
    kit.floor.call_lines = {"CA4": "gaoxin"}
    grid = kit.builder.snapshot()["counselors"]
    assert [row["id"] for row in grid] == [4, 2, 1, 6, 3]
    assert grid[0]["call"] == "CA4" and grid[0]["line"] == "gaoxin"
    assert grid[3]["name"] == "#6" and grid[1]["call"] is None


def test_an_open_line_nobody_staffs_is_a_gap_and_a_closed_one_never_is():
    kit = Kit()
    kit.on_duty.answers["gaoxin"] = {"current": [{"id": 3, "name": "王", "state": "available", "extra": 1}],
                                     "next": {"start": None, "names": []}, "source": "roster", "staffed": True}
    snapshot = kit.builder.snapshot()
    gaoxin, yaan, evening = (by_id(snapshot, name) for name in ("gaoxin", "yaan", "evening"))
    assert gaoxin["duty"]["current"] == [{"id": 3, "name": "王", "state": "available"}] and not gaoxin["gap"]
    assert yaan["open"] and yaan["gap"] and yaan["duty"]["source"] == "presence"
    assert not evening["open"] and not evening["gap"]
    assert evening["next_change"] == "2026-10-12T18:00:00+08:00"
    assert gaoxin["always_open"] and gaoxin["next_change"] is None
    assert snapshot["totals"]["gaps"] == ["yaan"]


def test_a_failing_roster_shows_unavailable_duty_rather_than_blanking_the_dashboard():
    kit = Kit()
    kit.on_duty.fail = RuntimeError("roster broken")
    gaoxin = by_id(kit.builder.snapshot(), "gaoxin")
    assert gaoxin["duty"] == NO_DUTY and gaoxin["gap"]


def test_alerts_name_the_counselor_from_presence_or_the_accounts_and_mask_numbers():
    kit = Kit()
    kit.counselor(1, "on_call", "gaoxin", call="CA1", name="在线的李")
    kit.store.users["zhao"] = {"id": 2, "display_name": "赵老师"}
    kit.alerts.raise_alert("risk", "imminent", NOW, call_sid="CA1", counselor_id=1, line_id="gaoxin",
                           message="回拨 138-0000-0001")
    kit.alerts.raise_alert("risk", "high", NOW + timedelta(seconds=1), counselor_id=2)
    kit.alerts.raise_alert("coverage", "gap", NOW + timedelta(seconds=2), line_id="nowhere")
    first, second, third = kit.builder.snapshot()["alerts"]
    assert (first["counselor_name"], first["line_name"], first["sounding"]) == ("在线的李", "gaoxin 热线", True)
    assert first["message"] == "回拨 ***" and first["call"] == "CA1"
    assert second["counselor_name"] == "赵老师" and second["sounding"] is False
    assert third["line_name"] is None and third["counselor_name"] is None


def test_counselor_names_that_cannot_be_read_are_left_out():
    kit = Kit()
    kit.alerts.raise_alert("risk", "high", NOW, counselor_id=9)
    kit.builder.today(NOW, ["gaoxin"])                # today's counters cached: only names would need the db
    kit.uow.down = True
    [entry] = kit.builder.snapshot()["alerts"]
    assert entry["counselor"] == 9 and entry["counselor_name"] is None


def test_todays_counters_per_line_and_overall():
    kit = Kit()
    kit.day_call(1, "gaoxin", queued=("gaoxin",), answered_after_s=20, talk_s=600, status="closed")
    kit.day_call(2, "yaan", queued=("gaoxin", "yaan"), rolled=("gaoxin",), status="ended")
    snapshot = kit.builder.snapshot()
    assert snapshot["today"]["offered"] == 2 and snapshot["today"]["answered"] == 1
    assert snapshot["today"]["answer_rate"] == 0.5 and snapshot["today_stale"] is False
    assert by_id(snapshot, "gaoxin")["today"]["offered"] == 2 and by_id(snapshot, "gaoxin")["today"]["rolled_over"] == 1
    assert by_id(snapshot, "yaan")["today"]["abandoned"] == 1
    assert snapshot["day"] == {"date": "2026-10-12", "zone": "Asia/Shanghai", "start": "2026-10-12T00:00:00+08:00"}


def test_todays_counters_are_cached_briefly_unless_asked_fresh():
    kit = Kit()
    kit.builder.snapshot()
    kit.builder.snapshot()
    assert kit.uow.opened == 1
    kit.builder.snapshot(fresh_today=True)
    assert kit.uow.opened == 2
    kit.monotonic.at += 1.5                                  # older than today_max_age_s
    kit.builder.snapshot()
    assert kit.uow.opened == 3


def test_a_new_day_is_counted_afresh_at_midnight_in_the_service_zone():
    kit = Kit()
    kit.builder.snapshot()
    kit.clock.at = datetime(2026, 10, 12, 16, 0, 1, tzinfo=UTC)     # 00:00:01 on the 13th in Shanghai
    assert kit.builder.snapshot()["day"]["date"] == "2026-10-13" and kit.uow.opened == 2


def test_database_down_keeps_the_last_counters_marked_stale():
    kit = Kit()
    kit.day_call(1, "gaoxin", queued=("gaoxin",))
    first = kit.builder.snapshot()
    kit.uow.down = True
    stale = kit.builder.snapshot(fresh_today=True)
    assert stale["today_stale"] is True and stale["today"] == first["today"]
    assert [entry["id"] for entry in stale["lines"]] == ["gaoxin", "yaan", "evening"]


def test_database_down_from_the_start_still_shows_the_live_half():
    kit = Kit()
    kit.uow.down = True
    kit.floor.queues["gaoxin"] = [QueuedCaller("CA1", MS, 0)]
    snapshot = kit.builder.snapshot()
    assert snapshot["today"] is None and snapshot["today_stale"] is True
    assert snapshot["day"]["date"] == "2026-10-12" and by_id(snapshot, "gaoxin")["today"] is None
    assert by_id(snapshot, "gaoxin")["waiting"] == 1


def test_without_the_live_state_there_is_no_snapshot():
    kit = Kit()
    kit.floor.down = True
    with pytest.raises(ConnectionError):
        kit.builder.snapshot()


def _staffed(kit: Kit, *line_ids: str) -> None:
    for line_id in line_ids:
        kit.on_duty.answers[line_id] = {"current": [{"id": 1, "name": "王", "state": "on_call"}],
                                        "next": {"start": None, "names": []}, "source": "roster", "staffed": True}


def test_a_line_whose_counselors_are_all_busy_with_callers_waiting_is_named_busy():
    kit = Kit()
    _staffed(kit, "gaoxin", "yaan")
    kit.counselor(1, "on_call", "gaoxin", call="CA1")
    kit.counselor(2, "wrap_up", "gaoxin")
    kit.counselor(3, "available", "yaan")
    kit.floor.call_lines = {"CA1": "gaoxin"}
    kit.floor.queues["gaoxin"] = [QueuedCaller("CA-a", MS - 30_000, 0), QueuedCaller("CA-b", MS - 5_000, 0)]
    kit.floor.queues["yaan"] = [QueuedCaller("CA-y", MS - 5_000, 0)]
    snapshot = kit.builder.snapshot()
    states = {entry["id"]: entry["state"] for entry in snapshot["lines"]}
    assert states == {"gaoxin": "busy", "yaan": "ok", "evening": "closed"}
    assert snapshot["totals"]["busy"] == ["gaoxin"] and by_id(snapshot, "gaoxin")["waiting"] == 2


def test_nobody_on_shift_is_a_gap_not_busy_and_no_caller_waiting_is_not_busy():
    kit = Kit()
    _staffed(kit, "gaoxin")
    kit.counselor(1, "on_call", "gaoxin", call="CA1")
    kit.floor.queues["yaan"] = [QueuedCaller("CA-y", MS - 5_000, 0)]
    snapshot = kit.builder.snapshot()
    assert by_id(snapshot, "yaan")["state"] == "gap" and by_id(snapshot, "gaoxin")["state"] == "ok"
    assert snapshot["totals"]["busy"] == []


def test_service_level_uses_the_line_s_own_threshold_else_the_service_default():
    kit = Kit(service_level_s=30)
    kit.directory = directory(line("gaoxin"), replace(line("yaan"), service_level_s=10))
    kit.builder.directory = kit.directory
    for cid, line_id in ((1, "gaoxin"), (2, "yaan")):
        kit.day_call(cid, line_id, queued=(line_id,), answered_after_s=25, talk_s=60, status="closed")
    snapshot = kit.builder.snapshot(fresh_today=True)
    gaoxin, yaan = by_id(snapshot, "gaoxin")["today"], by_id(snapshot, "yaan")["today"]
    assert (gaoxin["service_level_s"], gaoxin["service_level"]) == (30, 1.0)
    assert (yaan["service_level_s"], yaan["service_level"]) == (10, 0.0)
    assert snapshot["today"]["service_level"] == 0.5 and snapshot["today"]["service_level_s"] is None
    assert snapshot["today"]["last_hour"]["service_level"] == 0.5
