"""Every /api/* error is JSON with a bilingual message; with Redis down the console's
database reads (notes, assessment, referrals, the caller file) still answer, and what
needs Redis is a 503, never an HTML 500."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from hotline.settings import testing_settings as make_settings
from tests.faults import Forwarder
from tests.integration.triage.conftest import HIGH, TEST_REFERRALS, assess, refer


@pytest.fixture
def forwarder(redis_url):
    target = urlparse(redis_url)
    proxy = Forwarder(target.port or 6379, target.hostname or "127.0.0.1").start()
    yield proxy
    proxy.stop()


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix, forwarder):
    """The app reaches the test Redis through a proxy the test can cut (and refers to the test
    referral directory: the shipped one has public numbers only)."""
    database = urlparse(redis_url).path or "/0"
    return make_settings(tmp_path, redis_url=f"redis://127.0.0.1:{forwarder.port}{database}",
                         redis_prefix=redis_prefix).with_(referrals_file=TEST_REFERRALS)


def bilingual_json(response, code: int) -> dict:
    assert response.status_code == code, response.data[:300]
    assert response.mimetype == "application/json", response.data[:300]
    body = response.get_json()
    assert body["error"] == code and body["message_zh"] and body["message_en"]
    assert body["message"] == f"{body['message_zh']} / {body['message_en']}"
    return body


def test_http_errors_under_api_are_json(desk):
    li = desk("li")
    bilingual_json(li.get("/api/no-such-thing"), 404)
    bilingual_json(li.client.delete("/api/console/state", headers={"X-CSRFToken": li.token}), 405)
    bilingual_json(li.client.post("/api/console/presence", data="{not json", content_type="application/json",
                                  headers={"X-CSRFToken": li.token}), 400)
    bilingual_json(li.client.post("/api/console/presence", data="x" * (300 * 1024),
                                  content_type="application/json", headers={"X-CSRFToken": li.token}), 413)
    anonymous = li.app.test_client()
    bilingual_json(anonymous.get("/api/console/state"), 401)


def test_an_unexpected_exception_is_a_json_500(desk, monkeypatch, app):
    li = desk("li")
    monkeypatch.setattr(type(app.extensions["hotline"].console_view), "state",
                        lambda *a, **k: 1 / 0, raising=False)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    body = bilingual_json(li.get("/api/console/state"), 500)
    assert "ZeroDivision" not in body["message"]


def test_with_redis_down_database_reads_work_and_the_rest_is_503(chengdu_call, supervisor, forwarder, app):
    floor, li, sid = chengdu_call
    assert li.note(sid, "失眠三周 / three weeks of insomnia").status_code == 201
    assert assess(li, sid, HIGH).status_code in (200, 201)
    referral = refer(li, sid).get_json()
    floor.flush()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    forwarder.stop()                                           # Redis goes away

    notes = li.notes(sid)
    assert notes.status_code == 200, notes.data[:300]
    assert [n["text"] for n in notes.get_json()["notes"]] == ["失眠三周 / three weeks of insomnia"]
    assessment = li.get(f"/api/calls/{sid}/assessment")
    assert assessment.status_code == 200, assessment.data[:300]
    assert assessment.get_json()["assessment"]["level"] == "high"
    assert [r["id"] for r in assessment.get_json()["referrals"]] == [referral["id"]]
    overdue = supervisor.get("/api/referrals/overdue")
    assert overdue.status_code == 200, overdue.data[:300]
    reviews = supervisor.get("/api/triage/reviews")
    assert reviews.status_code == 200, reviews.data[:300]

    state = li.get("/api/console/state")                       # the live floor is in Redis
    body = bilingual_json(state, 503)
    assert state.headers["Retry-After"] and "暂时不可用" in body["message_zh"]
    assert referral["id"]
