"""Closing a call record (the console's Ready after wrap-up) waits for what the level requires."""
from __future__ import annotations

from hotline.usecases.console import ConsoleError
from tests.integration.triage.conftest import CHECKLIST_DONE, HIGH, IMMINENT, MODERATE, assess, refer, usecases


def wrap_up(floor, li, sid):
    assert li.hangup(sid).status_code == 200
    floor.flush()
    assert li.state()["presence"]["state"] == "wrap_up"


def test_a_high_risk_call_cannot_be_closed_without_a_referral(chengdu_call):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    wrap_up(floor, li, sid)
    refused = li.post("/api/console/ready")
    assert refused.status_code == 409
    message = refused.get_json()["message"]
    assert message.startswith("尚不能结束通话记录") and "转介" in message and "a referral must be recorded" in message
    assert li.state()["presence"]["state"] == "wrap_up"

    referral = refer(li, sid).get_json()                      # suggested only: not yet recorded
    assert li.post("/api/console/ready").status_code == 409
    assert li.post(f"/api/referrals/{referral['id']}/status", {"status": "declined"}).status_code == 400   # no reason
    assert li.post(f"/api/referrals/{referral['id']}/status",
                   {"status": "declined", "note": "来电者拒绝 / the caller refuses"}).status_code == 200
    assert usecases(floor).close_guard.close_blockers(sid) == []
    ready = li.post("/api/console/ready")
    assert ready.status_code == 200 and ready.get_json()["presence"]["state"] == "available"


def test_an_imminent_call_also_needs_the_emergency_checklist(chengdu_call):
    floor, li, sid = chengdu_call
    assess(li, sid, IMMINENT)
    refer(li, sid, "emergency_120", status="contacted")
    wrap_up(floor, li, sid)
    [blocker] = usecases(floor).close_guard.ready_blockers(li.id)
    assert "紧急处置清单未完成" in blocker and "emergency checklist incomplete" in blocker
    partial = {k: v for k, v in CHECKLIST_DONE.items() if k != "emergency_confirmed"}
    assess(li, sid, IMMINENT | {"emergency_checklist": partial})
    message = li.post("/api/console/ready").get_json()["message"]
    assert "急救/警方确认已联系到来电者" in message and "保持来电者在线" not in message
    assess(li, sid, IMMINENT | {"emergency_checklist": CHECKLIST_DONE})
    assert li.post("/api/console/ready").status_code == 200


def test_moderate_and_unassessed_calls_close_as_before(chengdu_call, floor, desk):
    f, li, sid = chengdu_call
    body = assess(li, sid, MODERATE).get_json()
    assert body["blockers"] == [] and body["suggestions"]
    wrap_up(f, li, sid)
    assert li.post("/api/console/ready").status_code == 200


def test_the_guard_is_in_console_service_ready_itself(chengdu_call):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    wrap_up(floor, li, sid)
    try:
        floor.console.ready(li.id)
    except ConsoleError as exc:
        assert "转介" in str(exc)
    else:
        raise AssertionError("ready() closed a high-risk call without a referral")


def test_the_guard_looks_at_the_call_just_handled_even_before_the_record_catches_up(chengdu_call):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    assert li.hangup(sid).status_code == 200          # no flush: the record may lag behind
    assert usecases(floor).close_guard.ready_blockers(li.id)
