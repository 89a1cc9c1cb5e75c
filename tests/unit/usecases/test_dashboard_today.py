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


# --- service level: answered within T / (answered + abandoned after T) ----------------------

def _service_level_record():
    """A known record on line "a" (T = 20 s): 3 answered within 20 s, 1 answered at 45 s,
    1 abandoned at 8 s (left out), 1 abandoned at 30 s, 1 still waiting (no outcome),
    1 voicemail (neither answered nor abandoned): SL = 3 / (4 + 1) = 0.6."""
    record = Record()
    at = NOW - timedelta(hours=3)
    for cid, wait in ((1, 5), (2, 12), (3, 20)):
        record.call(cid, "a", at, queued=("a",), answered_after_s=wait, talk_s=60, status="closed")
    record.call(4, "a", at, queued=("a",), answered_after_s=45, talk_s=60, status="closed")
    record.store.calls.append(DayCall(5, "a", at, None, "abandoned", "abandoned", 8.0, None))
    record.store.calls.append(DayCall(6, "a", at, None, "abandoned", "abandoned", 30.0, None))
    record.store.entries += [QueueEntry(cid, "queued", "queued:a", at) for cid in (5, 6)]
    record.call(7, "a", at, queued=("a",))
    record.call(8, "a", at, queued=("a",), outcome="voicemail", status="closed")
    return record


def test_service_level_counts_answered_within_t_over_answered_and_abandoned_after_t():
    a = _service_level_record().count()["lines"]["a"]
    assert (a["answered"], a["abandoned"], a["answered_within"], a["abandoned_within"]) == (4, 2, 3, 1)
    assert a["service_level"] == 0.6 and a["service_level_s"] == 20


def test_a_line_s_own_threshold_changes_its_service_level_and_overall_judges_each_call_by_its_line():
    record = _service_level_record()
    counts = today_counters(FakeToday(record.store), ["a", "b"], NOW, SHANGHAI, thresholds={"a": 60})
    a = counts["lines"]["a"]
    # T = 60: all 4 answered within; both abandons within 60 s, so the denominator is 4
    assert (a["answered_within"], a["abandoned_within"], a["service_level"], a["service_level_s"]) == (4, 2, 1.0, 60)
    assert counts["lines"]["b"]["service_level_s"] == 20
    assert counts["overall"]["service_level"] == 1.0 and counts["overall"]["service_level_s"] is None
    same = today_counters(FakeToday(record.store), ["a"], NOW, SHANGHAI, default_threshold=10)
    assert same["overall"]["service_level_s"] == 10
    # T = 10: answered within 10 s only the 5 s call; the 8 s abandon is left out: 1 / (4 + 1)
    assert same["overall"]["service_level"] == 0.2


def test_unknown_waits_never_flatter_the_service_level():
    record = Record()
    record.store.calls.append(DayCall(1, "a", NOW, NOW, "closed", None, None, 30.0))      # answered, wait unknown
    record.store.calls.append(DayCall(2, "a", NOW, None, "closed", None, None, None))     # hung up while ringing
    record.store.entries += [QueueEntry(cid, "queued", "queued:a", NOW) for cid in (1, 2)]
    a = record.count()["lines"]["a"]
    assert (a["answered"], a["abandoned"], a["answered_within"], a["abandoned_within"]) == (1, 1, 0, 0)
    assert a["service_level"] == 0.0


def test_no_answered_or_late_abandoned_call_means_no_service_level():
    record = Record()
    record.store.calls.append(DayCall(1, "a", NOW, None, "abandoned", "abandoned", 3.0, None))
    record.store.entries.append(QueueEntry(1, "queued", "queued:a", NOW))
    a = record.count()["lines"]["a"]
    assert a["abandoned"] == 1 and a["abandoned_within"] == 1 and a["service_level"] is None


def test_the_last_hour_counts_the_calls_of_the_past_60_minutes_across_midnight():
    midnight = datetime(2026, 10, 11, 16, 0, tzinfo=UTC)        # 00:00 on the 12th in Shanghai
    now = midnight + timedelta(minutes=20)
    record = (Record()
              .call(1, "a", midnight - timedelta(minutes=30), queued=("a",), answered_after_s=10, status="closed")
              .call(2, "a", midnight + timedelta(minutes=5), queued=("a",), answered_after_s=50, status="closed")
              .call(3, "a", midnight - timedelta(minutes=90), queued=("a",), answered_after_s=5, status="closed"))
    counts = today_counters(FakeToday(record.store), ["a"], now, SHANGHAI)
    today, hour = counts["lines"]["a"], counts["lines"]["a"]["last_hour"]
    assert (today["offered"], today["answered"], today["service_level"]) == (1, 1, 0.0)     # only call 2
    assert (hour["offered"], hour["answered"], hour["answered_within"]) == (2, 2, 1)        # calls 1 and 2
    assert hour["service_level"] == 0.5 and hour["answer_rate"] == 1.0 and hour["asa_s"] == 30.0
    assert "hourly" not in hour and counts["overall"]["last_hour"]["offered"] == 2
