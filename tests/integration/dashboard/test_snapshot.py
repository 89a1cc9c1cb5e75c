"""What the dashboard shows, driven through the real webhooks and the console service:
live queues and counselors, today's counters, shifts and coverage gaps, alerts, privacy."""
from __future__ import annotations

import json

from tests.integration.dashboard.conftest import GAOXIN_LINE, line_of
from tests.integration.voice.conftest import local

CALLER_DIGITS = "13800000001"


def test_a_waiting_call_then_a_ringing_one_then_a_call_in_progress(floor, watcher):
    boss = watcher()
    floor.counselor(1, GAOXIN_LINE)
    sid = floor.caller()
    floor.at(local(2026, 11, 23, 10, 0, 30))
    gaoxin = line_of(boss.snapshot())
    assert (gaoxin["waiting"], gaoxin["ringing"], gaoxin["in_progress"]) == (1, 0, 0)
    assert gaoxin["longest_wait_s"] == 30.0
    assert [item["call"] for item in gaoxin["queue"]] == [sid]

    floor.tick()
    gaoxin = line_of(boss.snapshot())
    assert (gaoxin["waiting"], gaoxin["ringing"]) == (1, 1)      # ringing callers are still waiting
    assert gaoxin["counselors"]["offered"] == 1

    floor.console.accept(sid, 1)
    snapshot = boss.snapshot()
    gaoxin = line_of(snapshot)
    assert (gaoxin["waiting"], gaoxin["in_progress"], gaoxin["longest_wait_s"]) == (0, 1, None)
    assert gaoxin["counselors"]["on_call"] == 2                  # counselor 1 and the busy 99
    assert snapshot["totals"]["in_progress"] == 1 and snapshot["totals"]["waiting"] == 0
    [me] = [c for c in snapshot["counselors"] if c["id"] == 1]
    assert (me["state"], me["call"], me["line"], me["name"]) == ("on_call", sid, GAOXIN_LINE, "咨询师1")


def test_todays_counters_answered_abandoned_rolled_over(floor, watcher):
    boss = watcher()
    floor.staff("chengdu", counselor_id=5, state="on_call")       # Chengdu staffed, but busy
    rolled = floor.caller()
    floor.at(local(2026, 11, 23, 10, 1, 31))
    floor.leave_and_roll_over(rolled, 91)                          # past 90 s: on to Chengdu
    abandoned = floor.caller("+8613800000002")
    floor.at(local(2026, 11, 23, 10, 2, 11))
    floor.hang_up_waiting(abandoned, 40)
    floor.counselor(1, GAOXIN_LINE)
    answered = floor.caller("+8613800000003")
    floor.tick()
    floor.at(local(2026, 11, 23, 10, 2, 19))
    floor.console.accept(answered, 1)
    floor.at(local(2026, 11, 23, 11, 3, 19))
    floor.console.end_call(answered, 1)
    floor.flush()

    snapshot = boss.snapshot()
    today = snapshot["today"]
    assert {k: today[k] for k in ("offered", "answered", "abandoned", "rolled_over")} == \
        {"offered": 3, "answered": 1, "abandoned": 1, "rolled_over": 1}
    assert today["answer_rate"] == round(1 / 3, 4)
    assert today["asa_s"] == 8.0 and today["avg_talk_s"] == 3660.0
    assert today["hourly"]["offered"][10] == 3 and sum(today["hourly"]["offered"]) == 3
    assert today["hourly"]["answered"][10] == 1
    gaoxin, chengdu = line_of(snapshot)["today"], line_of(snapshot, "chengdu")["today"]
    assert (gaoxin["offered"], gaoxin["answered"], gaoxin["abandoned"], gaoxin["rolled_over"]) == (3, 1, 1, 1)
    assert (chengdu["offered"], chengdu["answered"], chengdu["rolled_over"]) == (1, 0, 0)
    assert line_of(snapshot, "chengdu")["waiting"] == 1          # the rolled-over caller waits there
    assert snapshot["day"] == {"date": "2026-11-23", "zone": "Asia/Shanghai", "start": "2026-11-23T00:00:00+08:00"}


def test_a_call_from_yesterday_counts_for_yesterday(floor, watcher):
    boss = watcher()
    floor.at(local(2026, 11, 22, 20, 59))
    floor.caller()
    floor.flush()
    floor.at(local(2026, 11, 23, 0, 1))
    snapshot = boss.snapshot()
    assert snapshot["today"]["offered"] == 0
    assert line_of(snapshot)["waiting"] == 1
    assert line_of(snapshot)["longest_wait_s"] == 3 * 3600 + 120


def test_open_closed_next_change_and_coverage_gaps(floor, watcher):
    boss = watcher()
    snapshot = boss.snapshot()
    gaoxin, sichuan, chengdu = (line_of(snapshot, i) for i in (GAOXIN_LINE, "sichuan", "chengdu"))
    assert gaoxin["open"] and gaoxin["next_change"] == "2026-11-23T21:00:00+08:00"
    assert chengdu["open"] and chengdu["next_change"] is None and chengdu["always_open"]
    assert gaoxin["duty"]["current"] == [{"id": 99, "name": "", "state": "on_call"}]
    assert gaoxin["duty"]["staffed"] and not gaoxin["gap"]
    assert sichuan["gap"] and chengdu["gap"]                     # open, nobody signed in for them
    assert set(snapshot["totals"]["gaps"]) == {"sichuan", "chengdu"}

    floor.at(local(2026, 11, 23, 7, 0))                          # before Sichuan opens at 8:00
    sichuan = line_of(boss.snapshot(), "sichuan")
    assert not sichuan["open"] and not sichuan["gap"]
    assert sichuan["next_change"] == "2026-11-23T08:00:00+08:00"


class OnDutyHook:
    """The dashboard's OnDuty collaborator (the roster area's), answered by a function."""

    def __init__(self, answer) -> None:
        self.on_duty = answer


def test_on_duty_comes_from_the_services_hook(floor, watcher, app, monkeypatch):
    """The shifts feature answers on_duty from the roster; the dashboard keeps its shape."""
    dashboard = app.extensions["hotline"].dashboard
    roster = {"current": [{"id": 7, "name": "王老师", "state": "available"}],
              "next": {"start": "2026-11-23T18:00:00+08:00", "names": ["赵老师"]}, "source": "roster",
              "staffed": True}
    monkeypatch.setattr(dashboard, "on_duty", OnDutyHook(lambda line_id, at: roster))
    sichuan = line_of(watcher().snapshot(), "sichuan")
    assert sichuan["duty"] == roster and not sichuan["gap"]


def test_a_failing_duty_hook_does_not_blank_the_dashboard(floor, watcher, app, monkeypatch):
    dashboard = app.extensions["hotline"].dashboard
    monkeypatch.setattr(dashboard, "on_duty", OnDutyHook(lambda line_id, at: 1 / 0))
    gaoxin = line_of(watcher().snapshot())
    assert gaoxin["duty"]["source"] == "unavailable" and gaoxin["gap"]


def test_alerts_name_the_call_the_counselor_and_mask_numbers(floor, watcher, app):
    services = app.extensions["hotline"].adapters
    floor.counselor(1, GAOXIN_LINE)
    sid = floor.caller()
    alerts = app.extensions["hotline"].alerts
    alert = alerts.raise_alert("risk", "imminent", services.now(), call_sid=sid, counselor_id=1,
                               line_id=GAOXIN_LINE, message=f"回拨 +86 138-0000-0001 / {CALLER_DIGITS}")
    [entry] = watcher().snapshot()["alerts"]
    assert entry["id"] == alert.id and entry["call"] == sid and entry["sounding"] is True
    assert entry["counselor_name"] == "咨询师1" and entry["line_name"] == "成都市高新区疫情关爱援助热线"
    assert "0001" not in entry["message"]
    assert "***" in entry["message"] or "[REDACTED-PHONE]" in entry["message"]


def test_no_caller_number_or_caller_key_in_the_snapshot(floor, watcher, app):
    boss = watcher()
    floor.counselor(1, GAOXIN_LINE)
    sid = floor.caller()
    floor.tick()
    floor.console.accept(sid, 1)
    floor.caller("+8613800000002")
    floor.flush()
    text = json.dumps(boss.snapshot(), ensure_ascii=False)
    caller_key = app.extensions["hotline"].adapters.queues.call_state(sid)["caller_key"]
    assert CALLER_DIGITS not in text and "13800000002" not in text and caller_key not in text

