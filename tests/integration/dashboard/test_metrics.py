"""GET /metrics: public Prometheus text with the live gauges, today's counters and the
webhook latency histogram measured around /voice/ requests."""
from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.dashboard.conftest import GAOXIN_LINE


def samples(client) -> dict[tuple, float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.data.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


def test_metrics_need_no_sign_in_and_show_the_floor(floor, client):
    floor.counselor(1, GAOXIN_LINE)
    sid = floor.caller()
    floor.caller("+8613800000002")
    floor.tick()
    floor.console.accept(sid, 1)
    floor.flush()
    found = samples(client)
    assert value(found, "hotline_live_up") == 1
    assert value(found, "hotline_queue_waiting", line=GAOXIN_LINE) == 1
    assert value(found, "hotline_calls_in_progress", line=GAOXIN_LINE) == 1
    assert value(found, "hotline_line_open", line="sichuan") == 1
    assert value(found, "hotline_line_coverage_gap", line="sichuan") == 1
    assert value(found, "hotline_line_counselors", line=GAOXIN_LINE, state="on_call") == 2
    assert value(found, "hotline_counselors", state="on_call") == 2
    assert value(found, "hotline_today_calls", line="all", kind="offered") == 2
    assert value(found, "hotline_today_calls", line=GAOXIN_LINE, kind="answered") == 1
    assert value(found, "hotline_today_answer_rate", line="all") == 0.5


def test_webhook_latency_is_a_histogram_per_endpoint(floor, client):
    floor.caller()
    found = samples(client)
    count = value(found, "hotline_voice_request_seconds_count", endpoint="/voice/incoming", status="200")
    assert count == 1
    assert value(found, "hotline_voice_request_seconds_bucket", endpoint="/voice/incoming", status="200",
                 le="+Inf") == 1
    assert value(found, "hotline_voice_request_seconds_count", endpoint="/voice/wait", status="200") == 1


def test_a_rejected_webhook_is_measured_too(client):
    assert client.post("/voice/incoming", data={"CallSid": "CA1"}).status_code == 403
    found = samples(client)
    assert value(found, "hotline_voice_request_seconds_count", endpoint="/voice/incoming", status="403") == 1


def test_other_requests_are_not_measured(client):
    client.get("/healthz")
    found = samples(client)
    assert not [key for key in found if key[0].startswith("hotline_voice") and "healthz" in str(key)]


def test_open_alerts_by_level(app, client):
    services, alerts = app.extensions["hotline"].adapters, app.extensions["hotline"].alerts
    alerts.raise_alert("risk", "imminent", services.now(), call_sid="CA1")
    alerts.raise_alert("risk", "high", services.now(), call_sid="CA2")
    alerts.raise_alert("risk", "high", services.now(), call_sid="CA3")
    found = samples(client)
    assert value(found, "hotline_alerts_open", level="imminent") == 1
    assert value(found, "hotline_alerts_open", level="high") == 2


def test_no_caller_or_call_data_in_metrics(floor, client):
    sid = floor.caller()
    floor.flush()
    text = client.get("/metrics").data.decode()
    assert "13800000001" not in text and sid not in text
