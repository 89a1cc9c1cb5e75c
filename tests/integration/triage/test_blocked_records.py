"""Blocked records through HTTP: the console state names the record the close guard holds
open (after a reload and a new sign-in), supervisors see it on /triage and the dashboard,
leaving with it raises an alert, and a declined referral needs a reason and is reviewed."""
from __future__ import annotations

from tests.conftest import sign_in, token_in
from tests.integration.triage.conftest import HIGH, assess, refer, usecases


def wrap_up(floor, li, sid):
    assert li.hangup(sid).status_code == 200
    floor.flush()
    assert li.state()["presence"]["state"] == "wrap_up"


def sign_in_again(li) -> None:
    """Sign out (the form's POST) and in again, as a counselor at a new browser would."""
    assert li.post("/logout").status_code == 302
    assert li.client.get("/api/console/state").status_code == 401
    assert sign_in(li.client, li.user.username).status_code == 302
    li.token = token_in(li.client.get("/login", follow_redirects=True).data)


def test_the_console_state_names_the_blocked_record_through_break_and_a_new_sign_in(chengdu_call):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    assert li.state()["blocked"] is None                 # still talking: not blocked yet
    wrap_up(floor, li, sid)
    blocked = li.state()["blocked"]
    assert blocked["call_sid"] == sid and blocked["level"] == "high"
    assert blocked["line_id"] == "chengdu-gaoxin" and blocked["line_name"]
    assert blocked["message"].startswith("尚不能结束通话记录") and "a referral must be recorded" in blocked["message"]
    refused = li.post("/api/console/ready")
    assert refused.status_code == 409 and refused.get_json()["message"] == blocked["message"]   # one message
    assert li.go("break")["blocked"]["call_sid"] == sid
    sign_in_again(li)
    assert li.state()["blocked"]["call_sid"] == sid
    assert li.get(f"/api/calls/{sid}/assessment").status_code == 200     # its counselor may still open it
    referral = refer(li, sid, status="accepted").get_json()
    assert referral["status"] == "accepted" and li.state()["blocked"] is None   # one action lifts the block
    assert "来电者同意转介" in referral["status_help"] and "follow-up is scheduled" in referral["status_help"]
    assert referral["next_follow_up_at"] is not None


def test_supervisors_see_every_blocked_record_on_triage_and_the_dashboard(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    wrap_up(floor, li, sid)
    page = supervisor.get("/triage").get_data(as_text=True)
    assert f'data-blocked="{sid}"' in page and "未完成的高风险记录" in page
    assert li.user.display_name in page and "成都" in page
    snapshot = supervisor.get("/api/dashboard").get_json()
    [entry] = snapshot["blocked"]
    assert entry["call"] == sid and entry["counselor_id"] == li.id and entry["level"] == "high" and entry["since"]
    assert entry["counselor_state"] == "wrap_up"
    [tile] = [c for c in snapshot["counselors"] if c["id"] == li.id]
    assert tile["blocked"] is True and tile["state"] == "wrap_up"
    refer(li, sid, status="accepted")
    assert supervisor.get("/api/dashboard").get_json()["blocked"] == []
    assert f'data-blocked="{sid}"' not in supervisor.get("/triage").get_data(as_text=True)


def test_going_on_break_offline_or_signing_out_with_a_blocked_record_alerts_supervisors(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    wrap_up(floor, li, sid)
    li.go("break")
    [alert] = [a for a in supervisor.get("/api/dashboard").get_json()["alerts"] if a["kind"] == "blocked"]
    assert alert["call"] == sid and alert["counselor"] == li.id and alert["level"] == "high"
    assert "went on break" in alert["message"] and "已休息" in alert["message"]
    sent = [e for e in floor.services.events.sent if e[0] == "alert" and e[1]["kind"] == "blocked"]
    assert len(sent) == 1 and "supervisors" in sent[0][2]
    li.go("offline")                                       # the open alert already says it
    assert len([a for a in supervisor.get("/api/dashboard").get_json()["alerts"] if a["kind"] == "blocked"]) == 1
    usecases(floor).alerts.acknowledge(alert["id"], supervisor.id)
    li.post("/logout")
    [again] = [a for a in supervisor.get("/api/dashboard").get_json()["alerts"] if a["kind"] == "blocked"]
    assert "signed out" in again["message"]
    assert "signed out with an open high-risk record" in supervisor.get("/triage").get_data(as_text=True)


def test_leaving_without_a_blocked_record_raises_no_alert(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    refer(li, sid, status="accepted")
    wrap_up(floor, li, sid)
    li.go("break")
    li.post("/logout")
    assert [a for a in supervisor.get("/api/dashboard").get_json()["alerts"] if a["kind"] == "blocked"] == []


def test_a_declined_referral_needs_a_reason_and_goes_to_review(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    refused = refer(li, sid, status="declined")
    assert refused.status_code == 400
    message = refused.get_json()["message"]
    assert "拒绝转介须写明原因" in message and "a declined referral needs a reason" in message
    suggested = refer(li, sid).get_json()
    path = f"/api/referrals/{suggested['id']}/status"
    assert li.post(path, {"status": "declined"}).status_code == 400
    assert li.post(path, {"status": "declined", "note": "来电者拒绝就医 / refuses care"}).status_code == 200
    assert usecases(floor).close_guard.close_blockers(sid) == []
    page = supervisor.get("/triage").get_data(as_text=True)
    assert "data-declined" in page and "拒绝转介 / referral declined" in page and sid[:14] in page
    assert "refuses care" not in page                      # the reason stays in the (audited) file
