"""Counting decrypted answers, and replaying a referral's history to a past instant."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hotline.reports.triage_counts import count_answers, referral_overdue
from hotline.reports.tally import ReportTally

T0 = datetime(2026, 10, 14, 1, tzinfo=timezone.utc)


def entry(status: str, hours: float) -> dict:
    return {"status": status, "at": (T0 + timedelta(hours=hours)).isoformat(), "by": "1"}


def test_each_concern_once_per_call_and_the_population_level():
    tally = ReportTally()
    count_answers(tally, {"concerns": ["anxiety", "sleep", "anxiety"], "population_level": "2"})
    count_answers(tally, {"concerns": "other", "population_level": ""})
    count_answers(tally, {})
    assert tally.series["concerns"] == {"anxiety": 1, "sleep": 1, "other": 1}
    assert tally.series["population_levels"] == {"2": 1}


def test_referral_overdue_at_a_past_instant_is_replayed_from_its_history():
    history = [entry("suggested", 0), entry("accepted", 10), entry("completed", 100)]
    stored_due = None                                            # completed: no reminder any more
    assert not referral_overdue(history, stored_due, T0 + timedelta(hours=5))     # suggested, due at 24 h
    assert not referral_overdue(history, stored_due, T0 + timedelta(hours=30))    # accepted at 10 h: due 58 h
    assert referral_overdue(history, stored_due, T0 + timedelta(hours=60))        # accepted, overdue
    assert not referral_overdue(history, stored_due, T0 + timedelta(hours=101))   # completed by then
    assert not referral_overdue(history, stored_due, T0 - timedelta(hours=1))     # did not exist yet


def test_the_stored_reminder_wins_for_the_current_status():
    history = [entry("suggested", 0)]
    custom_due = T0 + timedelta(hours=2)
    assert referral_overdue(history, custom_due, T0 + timedelta(hours=3))
    assert not referral_overdue([entry("suggested", 0), entry("declined", 1)], None, T0 + timedelta(hours=40))
