"""Today's counters: offered per queue entered, rollovers from the first line, outcomes where
the call ended, each call once overall, hours and the day in the service's zone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hotline.ports import DayCall, QueueEntry
from hotline.usecases.dashboard_today import day_bounds, service_zone, today_counters
from tests.unit.usecases.fakes_ops import FakeToday, OpsStore, directory, line

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 12, 6, 0, tzinfo=UTC)               # 14:00 in Shanghai


class Record:
    def __init__(self) -> None:
        self.store = OpsStore()

    def call(self, cid, line_id, at, *, queued=(), rolled=(), answered_after_s=None, talk_s=None,
             status="queued", outcome=None):
        answered = at + timedelta(seconds=answered_after_s) if answered_after_s is not None else None
        self.store.calls.append(DayCall(cid, line_id, at, answered, status, outcome, answered_after_s, talk_s))
        self.store.entries += [QueueEntry(cid, "queued", f"queued:{lid}", at) for lid in queued]
        self.store.entries += [QueueEntry(cid, "rolled_over", f"rolled_over:{lid}", at) for lid in rolled]
        return self

    def count(self, lines=("a", "b")):
        return today_counters(FakeToday(self.store), list(lines), NOW, SHANGHAI)


def test_a_rolled_over_call_is_offered_to_both_lines_and_counted_once_overall():
    today = Record().call(1, "b", NOW, queued=("a", "b"), rolled=("a",), answered_after_s=40, talk_s=300,
                          status="closed").count()
    a, b = today["lines"]["a"], today["lines"]["b"]
    assert (a["offered"], a["rolled_over"], a["answered"]) == (1, 1, 0)
    assert (b["offered"], b["rolled_over"], b["answered"]) == (1, 0, 1)
    overall = today["overall"]
    assert (overall["offered"], overall["rolled_over"], overall["answered"]) == (1, 1, 1)
    assert overall["asa_s"] == 40.0 and overall["avg_talk_s"] == 300.0 and overall["answer_rate"] == 1.0


def test_outcomes_abandoned_voicemail_and_finished_without_an_outcome():
    today = (Record()
             .call(1, "a", NOW, queued=("a",), outcome="abandoned", status="ended")
             .call(2, "a", NOW, queued=("a",), status="closed")             # hung up while a console rang
             .call(3, "a", NOW, queued=("a",), outcome="voicemail", status="closed")
             .call(4, "a", NOW, queued=("a",), status="queued")             # still waiting: no outcome yet
             .count())
    a = today["lines"]["a"]
    assert (a["offered"], a["abandoned"], a["voicemail"], a["answered"]) == (4, 2, 1, 0)
    assert a["answer_rate"] == 0.0 and a["asa_s"] is None


def test_calls_routed_away_at_once_are_not_counted():
    today = Record().call(1, "a", NOW, status="ended", outcome="transferred").count()
    assert today["overall"]["offered"] == 0 and today["overall"]["abandoned"] == 0
    assert today["overall"]["answer_rate"] is None


def test_hours_are_local_and_the_day_ends_at_local_midnight():
    start = datetime(2026, 10, 11, 16, 0, tzinfo=UTC)                      # 00:00 on the 12th in Shanghai
    today = (Record()
             .call(1, "a", start - timedelta(seconds=1), queued=("a",))       # yesterday, local time
             .call(2, "a", start, queued=("a",), answered_after_s=3600, status="closed")
             .call(3, "a", NOW, queued=("a",))
             .count())
    assert today["date"] == "2026-10-12" and today["start"] == "2026-10-12T00:00:00+08:00"
    hourly = today["overall"]["hourly"]
    assert today["overall"]["offered"] == 2 and hourly["offered"][0] == 1 and hourly["offered"][14] == 1
    assert hourly["answered"][1] == 1 and sum(hourly["answered"]) == 1


def test_entries_of_lines_not_shown_count_overall_only():
    today = Record().call(1, "elsewhere", NOW, queued=("elsewhere",), answered_after_s=5, status="closed").count()
    assert today["overall"]["offered"] == 1 and today["overall"]["answered"] == 1
    assert today["lines"]["a"]["offered"] == 0 and "elsewhere" not in today["lines"]


def test_the_service_zone_is_the_one_most_hosted_lines_use():
    lines = directory(line("a", tz="Asia/Urumqi"), line("b", tz="Asia/Urumqi"), line("c"),
                      line("d", tz="Europe/Berlin", hosted=False))
    assert service_zone(lines).key == "Asia/Urumqi"
    assert service_zone(directory()).key == "Asia/Shanghai"


def test_day_bounds_follow_the_zone():
    start, end = day_bounds(NOW, ZoneInfo("America/New_York"))
    assert start.isoformat() == "2026-10-12T00:00:00-04:00" and end - start == timedelta(days=1)
