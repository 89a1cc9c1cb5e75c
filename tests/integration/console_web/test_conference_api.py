"""The in-call actions through the HTTP API, as the console and the dashboard call them:
a real accept in conference mode, signed conference callbacks, the Participants requests
read back from the REST bridge, the supervisor's rights and the audit trail."""
from __future__ import annotations

import pytest

from hotline.store.calls import find
from tests.integration.console_web.conftest import GAOXIN_LINE
from tests.twilio_fake import ACCOUNT_SID

CONF = "CF" + "7" * 32


VERIFIED = """
  - id: test_verified_clinic
    name: {zh: 测试核实诊所, en: Test verified clinic}
    type: psychiatric_hospital
    region: chengdu
    phone: "+862887000001"
    phone_verified: true
    hours: 周一至周日，24小时
"""


@pytest.fixture
def settings(settings, tmp_path):
    """Conference mode, and a referral directory with one verified institution added to the
    shipped (placeholder, unverified) entries."""
    import shutil

    config = tmp_path / "config"
    shutil.copytree(settings.config_dir, config)
    referrals = config / "referrals.yaml"
    referrals.write_text(referrals.read_text(encoding="utf-8").rstrip("\n") + "\n" + VERIFIED, encoding="utf-8")
    return settings.with_(conference_calls=True, config_dir=config)


def callback(floor, sid, event, seq, label="", leg="", **flags):
    form = {"AccountSid": ACCOUNT_SID, "ConferenceSid": CONF, "FriendlyName": f"call-{sid}",
            "StatusCallbackEvent": event, "SequenceNumber": str(seq),
            "Timestamp": f"Mon, 23 Nov 2026 02:00:{seq:02d} +0000"}
    if label:
        form.update(CallSid=leg, ParticipantLabel=label, Muted=flags.get("Muted", "false"),
                    Hold=flags.get("Hold", "false"), Coaching=flags.get("Coaching", "false"))
    assert floor.twilio.post("/voice/conference-status", form).status_code == 200


def joined(floor, sid, counselor_id):
    callback(floor, sid, "conference-start", 1)
    callback(floor, sid, "participant-join", 2, "caller", sid)
    callback(floor, sid, "participant-join", 3, f"counselor-{counselor_id}", "CA" + "3" * 32)


def test_accept_in_conference_mode_dials_the_counselor_leg(on_call):
    floor, li, sid = on_call
    create = [r for r in floor.rest_requests() if r["url"].endswith("/Participants.json")]
    assert len(create) == 1 and create[0]["data"]["To"] == f"client:counselor-{li.id}"
    assert f"/Conferences/call-{sid}/" in create[0]["url"]


def test_hold_and_bring_in_120_from_the_console(on_call, desk):
    floor, li, sid = on_call
    joined(floor, sid, li.id)
    response = li.post(f"/api/console/calls/{sid}/hold", {"hold": True})
    assert response.status_code == 200, response.get_json()
    assert floor.rest_requests()[-1]["data"]["Hold"] == "true"
    response = li.post(f"/api/console/calls/{sid}/bring-in", {"target": "120", "private": True})
    assert response.status_code == 200
    assert [d["target"] for d in response.get_json()["dialled"]] == ["120"]
    assert li.post(f"/api/console/calls/{sid}/bring-in", {"target": "12345"}).status_code == 400
    other = desk("wang")
    assert other.post(f"/api/console/calls/{sid}/hold", {"hold": False}).status_code == 409
    assert other.get(f"/api/console/calls/{sid}/conference").status_code == 403
    state = li.get(f"/api/console/calls/{sid}/conference").get_json()
    assert {p["label"]: p["state"] for p in state["parties"]}["third-120"] == "invited"


def test_only_supervisors_of_the_line_supervise_and_every_step_is_audited(on_call, desk):
    floor, li, sid = on_call
    joined(floor, sid, li.id)
    assert li.post(f"/api/dashboard/calls/{sid}/supervise", {"mode": "listen"}).status_code == 403
    elsewhere = desk("zhao", role="supervisor", lines=("chengdu-24h",))
    assert elsewhere.post(f"/api/dashboard/calls/{sid}/supervise", {"mode": "listen"}).status_code == 403
    boss = desk("chen", role="supervisor", lines=(GAOXIN_LINE,))
    assert boss.post(f"/api/dashboard/calls/{sid}/supervise", {"mode": "barge"}).status_code == 400
    response = boss.post(f"/api/dashboard/calls/{sid}/supervise", {"mode": "listen"})
    assert response.status_code == 200, response.get_json()
    add = floor.rest_requests()[-1]
    assert add["data"]["To"] == f"client:supervisor-{boss.id}" and add["data"]["Muted"] == "true"
    callback(floor, sid, "participant-join", 4, f"supervisor-{boss.id}", "CA" + "5" * 32, Muted="true")
    seen = li.get(f"/api/console/calls/{sid}/conference").get_json()
    assert seen["supervision"] == [{"label": f"supervisor-{boss.id}", "mode": "listen"}]
    assert boss.post(f"/api/dashboard/calls/{sid}/supervise", {"mode": "coach"}).status_code == 200
    coach = floor.rest_requests()[-1]
    assert coach["url"].endswith(f"/Conferences/{CONF}/Participants/{'CA' + '5' * 32}.json")
    assert coach["data"] == {"Muted": "false", "Coaching": "true", "CallSidToCoach": "CA" + "3" * 32}
    assert boss.post(f"/api/dashboard/calls/{sid}/supervise/leave").status_code == 200
    assert floor.rest_requests()[-1]["method"] == "DELETE"
    floor.flush()
    with floor.services.db.session() as session:
        audit = [e.detail for e in find(session, sid).events if e.kind == "supervision"]
    assert [(a["supervisor_id"], a["mode"]) for a in audit] == [(boss.id, "listen"), (boss.id, "coach"),
                                                                (boss.id, "leave")]
    assert audit[-1]["to"] is not None


def test_the_bring_in_choices_are_the_emergency_numbers_and_verified_institutions(on_call):
    floor, li, sid = on_call
    response = li.get("/api/console/bring-in-targets")
    assert response.status_code == 200
    targets = [t["target"] for t in response.get_json()["targets"]]
    assert targets[:3] == ["120", "110", "119"]
    assert "ref:test_verified_clinic" in targets
    assert "ref:chengdu_psychiatric" not in targets            # a placeholder number, unverified
    assert "ref:emergency_120" not in targets                  # already offered as 120
    assert floor.app.test_client().get("/api/console/bring-in-targets").status_code in (302, 401)


def test_bringing_in_an_institution_dials_its_verified_number(on_call):
    floor, li, sid = on_call
    joined(floor, sid, li.id)
    response = li.post(f"/api/console/calls/{sid}/bring-in", {"target": "ref:test_verified_clinic",
                                                               "private": False})
    assert response.status_code == 200, response.get_json()
    add = floor.rest_requests()[-1]
    assert add["url"].endswith(f"/Conferences/call-{sid}/Participants.json")
    assert (add["data"]["To"], add["data"]["Label"]) == ("+862887000001", "third-ref-test_verified_clinic")
    refused = li.post(f"/api/console/calls/{sid}/bring-in", {"target": "ref:chengdu_psychiatric"})
    assert refused.status_code == 409 and "chengdu_psychiatric" in refused.get_json()["message"]


def test_after_a_warm_transfer_the_colleague_is_on_the_call_and_the_first_in_wrap_up(on_call, desk):
    floor, li, sid = on_call
    wang = desk("wang")
    wang.go("available")
    joined(floor, sid, li.id)
    assert li.post(f"/api/console/calls/{sid}/consult", {"colleague": wang.id}).status_code == 200
    callback(floor, sid, "participant-join", 4, f"consultant-{wang.id}", "CA" + "9" * 32)
    response = li.post(f"/api/console/calls/{sid}/transfer/complete")
    assert response.status_code == 200, response.get_json()
    first, second = li.state(), wang.state()
    assert first["presence"]["state"] == "wrap_up"
    assert second["presence"]["state"] == "on_call" and second["call"]["call_sid"] == sid
    assert wang.get(f"/api/console/calls/{sid}/conference").status_code == 200   # now theirs
    assert wang.hangup(sid).status_code == 200
    assert wang.state()["presence"]["state"] == "wrap_up"


def party_status(floor, sid, label, status, leg="CA" + "8" * 32):
    form = {"AccountSid": ACCOUNT_SID, "CallSid": leg, "CallStatus": status, "To": "120", "From": "+862887577510"}
    return floor.twilio.post(f"/voice/conference-party?call={sid}&label={label}", form)


def test_third_party_outcomes_from_signed_callbacks_prefill_the_emergency_checklist(on_call):
    floor, li, sid = on_call
    joined(floor, sid, li.id)
    assert li.post(f"/api/console/calls/{sid}/bring-in", {"target": "110", "private": True}).status_code == 200
    assert li.post(f"/api/console/calls/{sid}/bring-in", {"target": "120", "private": False}).status_code == 200
    assert party_status(floor, sid, "third-110", "no-answer", "CA" + "6" * 32).status_code == 200
    assert party_status(floor, sid, "third-120", "ringing").status_code == 200
    assert party_status(floor, sid, "third-120", "in-progress").status_code == 200
    assert party_status(floor, sid, "third-120", "in-progress").status_code == 200       # retried
    assert floor.twilio.post(f"/voice/conference-party?call={sid}&label=third-120", {"CallStatus": "failed"},
                             signature="forged").status_code == 403
    callback(floor, sid, "participant-join", 4, "third-120", "CA" + "8" * 32)
    callback(floor, sid, "participant-leave", 5, "third-120", "CA" + "8" * 32)
    view = li.get(f"/api/calls/{sid}/assessment").get_json()
    log = {e["target"]: e for e in view["third_parties"]}
    assert (log["110"]["outcome"], log["120"]["outcome"]) == ("no-answer", "answered")
    from datetime import datetime

    assert log["120"]["by"] == li.id and log["120"]["left_at"]      # Twilio's leave timestamp
    assert datetime.fromisoformat(log["120"]["dialled_at"]) <= datetime.fromisoformat(log["120"]["outcome_at"])
    assert view["checklist"]["emergency_contacted"].startswith("120 已接通")
    assert f"#{li.id}" in view["checklist"]["called_by"]
