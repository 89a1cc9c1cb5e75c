"""Who may see the dashboard (401 / 403), the page and its wall mode, acknowledging alerts."""
from __future__ import annotations

import pytest

from tests.integration.dashboard.conftest import GAOXIN_LINE


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/api/dashboard").status_code == 401
    assert client.post("/api/alerts/abc/ack", json={}).status_code == 401
    page = client.get("/dashboard")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")


def test_counselors_may_not_watch_the_dashboard(watcher):
    li = watcher("li", "counselor", lines=(GAOXIN_LINE,))
    assert li.client.get("/dashboard").status_code == 403
    assert li.client.get("/api/dashboard").status_code == 403
    assert li.ack("abc").status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_see_the_page_and_the_json(watcher, role):
    boss = watcher("boss", role)
    page = boss.client.get("/dashboard")
    assert page.status_code == 200
    html = page.data.decode()
    assert "实时监控" in html and "vendor/chart.umd.min.js" in html and "js/dashboard.js" in html
    assert 'class="page-dashboard page-wide"' in html
    snapshot = boss.snapshot()
    assert {"lines", "totals", "today", "alerts", "counselors", "now", "seq"} <= snapshot.keys()


def test_wall_mode_uses_the_dark_wall_layout(watcher):
    html = watcher().client.get("/dashboard?wall=1").data.decode()
    assert 'class="page-dashboard page-wide wall theme-dark"' in html


def test_supervisors_home_is_the_dashboard(watcher):
    assert watcher().client.get("/").headers["Location"] == "/dashboard"


def test_acknowledging_removes_the_alert_for_everyone_once(watcher, app):
    services, alerts = app.extensions["hotline"].adapters, app.extensions["hotline"].alerts
    alert = alerts.raise_alert("risk", "high", services.now(), call_sid="CA1", line_id=GAOXIN_LINE)
    first, second = watcher("boss"), watcher("deputy", "admin")
    assert [a["id"] for a in second.snapshot()["alerts"]] == [alert.id]

    response = first.ack(alert.id)
    assert response.status_code == 200 and response.get_json() == {"id": alert.id, "acknowledged": True}
    assert second.snapshot()["alerts"] == []
    [(event, payload, rooms)] = [e for e in services.events.sent if e[0] == "alert.ack"]
    assert payload["id"] == alert.id and payload["by"] == first.user.id and rooms == ("supervisors",)

    again = second.ack(alert.id)
    assert again.status_code == 200 and again.get_json()["acknowledged"] is False
    assert len([e for e in services.events.sent if e[0] == "alert.ack"]) == 1


def test_acknowledging_needs_the_csrf_token(watcher, app):
    services, alerts = app.extensions["hotline"].adapters, app.extensions["hotline"].alerts
    alert = alerts.raise_alert("risk", "imminent", services.now(), call_sid="CA1")
    boss = watcher()
    assert boss.ack(alert.id, csrf=False).status_code == 400
    assert [a["id"] for a in boss.snapshot()["alerts"]] == [alert.id]


def test_a_malformed_alert_id_is_not_found(watcher):
    response = watcher().ack("not%20an%20id")
    assert response.status_code == 404 and response.is_json


def test_redis_down_answers_503_in_json(watcher, app, monkeypatch):
    boss = watcher()
    feed = app.extensions["hotline_dashboard"]

    def broken(**_):
        import redis

        raise redis.ConnectionError("down")
    monkeypatch.setattr(feed.builder, "snapshot", broken)
    response = boss.client.get("/api/dashboard")
    assert response.status_code == 503 and "不可用" in response.get_json()["message"]
    assert response.get_json()["status"] == "degraded"
