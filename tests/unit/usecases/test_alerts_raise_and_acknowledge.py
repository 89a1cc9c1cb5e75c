"""Alerts: raised once for every supervisor (and the counselor concerned), numbers never
stored or sent, acknowledged once, listed oldest first."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.store.privacy import redact
from hotline.usecases.alerts import Alerts
from tests.unit.usecases.fakes import FakeClock, FakeEvents
from tests.unit.usecases.fakes_ops import FakeAlertBoard, Ids


@pytest.fixture
def kit():
    board, events, clock = FakeAlertBoard(), FakeEvents(), FakeClock()
    return Alerts(board, events, clock, redact, new_id=Ids()), board, events, clock


def test_a_risk_alert_reaches_supervisors_and_the_counselor(kit):
    alerts, board, events, clock = kit
    alert = alerts.raise_alert("risk", "imminent", clock.now(), call_sid="CA1", counselor_id=7, line_id="chengdu")
    assert board.alerts == {"a1": alert}
    [(name, payload, rooms)] = events.sent
    assert name == "alert" and rooms == ("supervisors", "counselor:7")
    assert payload["sounding"] is True and payload["raised_at"] == clock.now().isoformat()
    assert payload["id"] == "a1" and payload["call_sid"] == "CA1" and payload["line_id"] == "chengdu"


def test_without_a_counselor_only_supervisors_hear_and_only_imminent_sounds(kit):
    alerts, _board, events, clock = kit
    alert = alerts.raise_alert("coverage", "gap", clock.now(), line_id="yaan")
    assert events.sent[0][2] == ("supervisors",)
    assert alert.sounding is False and events.sent[0][1]["sounding"] is False


def test_a_phone_number_in_the_message_is_never_stored_or_sent(kit):
    alerts, board, events, clock = kit
    alerts.raise_alert("follow_up", "due", clock.now(), message="回拨 +8613800000001 或 138 0000 0002")
    stored = board.alerts["a1"].message
    assert "13800000001" not in stored and "0002" not in stored and "[REDACTED-PHONE]" in stored
    assert "13800000001" not in str(events.sent)


def test_acknowledging_removes_for_everyone_and_announces_once(kit):
    alerts, board, events, clock = kit
    alert = alerts.raise_alert("risk", "high", clock.now(), call_sid="CA1")
    clock.advance(minutes=3)
    assert alerts.acknowledge(alert.id, by_user=12) is True
    assert alerts.acknowledge(alert.id, by_user=13) is False          # the second click changes nothing
    assert board.alerts == {} and alerts.open_alerts() == []
    assert events.named("alert.ack") == [{"id": alert.id, "by": 12, "at": clock.now().isoformat()}]
    assert [rooms for name, _, rooms in events.sent if name == "alert.ack"] == [("supervisors",)]


def test_open_alerts_are_oldest_first(kit):
    alerts, _board, _events, clock = kit
    start = clock.now()
    later = alerts.raise_alert("risk", "high", start + timedelta(minutes=5))
    earlier = alerts.raise_alert("coverage", "gap", start)
    assert [a.id for a in alerts.open_alerts()] == [earlier.id, later.id]


def test_a_board_failure_is_not_announced(kit):
    alerts, board, events, clock = kit
    board.down = True
    with pytest.raises(ConnectionError):
        alerts.raise_alert("risk", "imminent", clock.now())
    assert events.sent == []
