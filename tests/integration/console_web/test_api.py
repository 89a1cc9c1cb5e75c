"""The console API end to end: presence, offers, the call, transfer, wrap-up (200/400/409)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hotline.store.calls import find
from tests.integration.voice.conftest import SICHUAN, local
from tests.twilio_fake import call_params, new_call_sid


def test_fresh_state_has_the_contract_shape(desk):
    li = desk("li", display_name="李老师")
    state = li.state()
    assert state["counselor"] == {"id": li.id, "name": "李老师", "lines": ["chengdu-gaoxin"]}
    assert (state["presence"], state["offer"], state["call"]) == (None, None, None)
    assert state["simulator"] is True
    hosted = [line["hosted"] for line in state["lines"]]
    assert hosted == sorted(hosted, reverse=True), "hosted lines first"
    chengdu = next(line for line in state["lines"] if line["id"] == "chengdu")
    assert (chengdu["name"], chengdu["hosted"]) == ("成都市心理援助热线", True)
    assert datetime.fromisoformat(state["now"]).tzinfo is not None


def test_presence_switches_and_answers_the_state(desk):
    li = desk("li")
    state = li.go("available")
    assert state["presence"]["state"] == "available" and state["presence"]["call"] is None
    assert li.go("break")["presence"]["state"] == "break"
    assert li.go("offline")["presence"]["state"] == "offline"


@pytest.mark.parametrize("body", [{"state": "on_call"}, {"state": "wrap_up"}, {"state": 1}, {}, {"status": "available"}])
def test_presence_rejects_a_bad_state_naming_the_field(desk, body):
    response = desk("li").post("/api/console/presence", body)
    assert response.status_code == 400
    assert "state" in response.get_json()["message"]


def test_presence_body_must_be_json(desk):
    li = desk("li")
    response = li.client.post("/api/console/presence", data="state=available",
                              headers={"X-CSRFToken": li.token, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert "JSON" in response.get_json()["message"]


def test_counselor_without_lines_cannot_go_available(desk):
    response = desk("li", lines=()).presence("available")
    assert response.status_code == 409
    assert "no lines assigned" in response.get_json()["message_en"]


def test_offer_appears_in_the_state_with_expiry(offered):
    floor, li, sid = offered
    offer = li.state()["offer"]
    assert offer["call"] == sid and offer["line"] == "chengdu-gaoxin"
    assert offer["line_name"] == floor.services.directory.get("chengdu-gaoxin").name
    assert datetime.fromisoformat(offer["expires_at"]) == local(2026, 11, 23, 10, 0) + timedelta(seconds=20)
    assert offer["history"] == {"previous_contacts": 0, "last_contact_at": None}
    assert offer["flagged"] is False and offer["menu"] is None
    presence = li.state()["presence"]
    assert (presence["state"], presence["call"], presence["until"]) == ("offered", sid, None)
    assert datetime.fromisoformat(presence["since"]) == local(2026, 11, 23, 10, 0)
    assert "+86" not in str(li.state())


def test_menu_choice_and_its_label_reach_the_console(floor, desk):
    li = desk("li", lines=("sichuan",))
    li.go("available")
    sid = new_call_sid()
    floor.post("/voice/incoming", call_params(sid, SICHUAN, "+8613800000009"))
    floor.post("/voice/menu?line=sichuan", call_params(sid, SICHUAN, "+8613800000009", Digits="3"))
    floor.tick()
    state = li.state()
    assert state["offer"]["menu"] == "teacher"
    sichuan = next(line for line in state["lines"] if line["id"] == "sichuan")
    assert sichuan["menu"]["teacher"] == "教师 / Teacher"


def test_accept_puts_the_call_on_the_console(on_call):
    floor, li, sid = on_call
    state = li.state()
    assert state["presence"]["state"] == "on_call" and state["offer"] is None
    call = state["call"]
    assert call["call_sid"] == sid and call["line"] == "chengdu-gaoxin" and call["line_name"]
    assert call["waited_s"] == 8.0
    assert datetime.fromisoformat(call["answered_at"]) == local(2026, 11, 23, 10, 0, 8)


def test_accept_twice_or_by_someone_else_conflicts(offered, desk):
    floor, li, sid = offered
    wang = desk("wang")
    wang.go("available")
    assert wang.accept(sid).status_code == 409
    assert li.accept(sid).status_code == 200
    response = li.accept(sid)
    assert response.status_code == 409
    assert "no longer offered" in response.get_json()["message_en"]


def test_decline_passes_the_call_on(offered, desk):
    floor, li, sid = offered
    wang = desk("wang")
    wang.go("available")
    response = li.decline(sid)
    assert response.status_code == 200
    assert response.get_json()["offer"] is None and response.get_json()["presence"]["state"] == "available"
    assert li.decline(sid).status_code == 409
    floor.tick()
    assert wang.state()["offer"]["call"] == sid


def test_unknown_call_conflicts(desk):
    li = desk("li")
    li.go("available")
    for response in (li.accept("CAnope"), li.decline("CAnope"), li.hangup("CAnope")):
        assert response.status_code == 409


def test_no_status_switch_during_a_call(on_call):
    floor, li, sid = on_call
    response = li.presence("break")
    assert response.status_code == 409
    assert li.state()["presence"]["state"] == "on_call"


def test_hangup_starts_wrap_up_and_records_the_times(on_call):
    floor, li, sid = on_call
    floor.at(local(2026, 11, 23, 10, 5, 8))
    response = li.hangup(sid)
    assert response.status_code == 200
    state = response.get_json()
    assert state["presence"]["state"] == "wrap_up"
    assert datetime.fromisoformat(state["presence"]["until"]) == local(2026, 11, 23, 10, 6, 8)
    assert li.hangup(sid).status_code == 409
    floor.flush()
    with floor.services.db.session() as session:
        call = find(session, sid)
        assert (call.counselor_id, call.wait_seconds, call.talk_seconds) == (li.id, 8.0, 300.0)
    wrap = li.state()["call"]
    assert wrap["call_sid"] == sid and wrap["ended_at"] is not None, "wrap-up still shows the call"


def test_wrap_up_extend_and_ready(on_call):
    floor, li, sid = on_call
    li.hangup(sid)
    response = li.post("/api/console/wrap-up/extend", {"seconds": 60})
    assert response.status_code == 200
    until = datetime.fromisoformat(response.get_json()["presence"]["until"])
    assert until == local(2026, 11, 23, 10, 2, 8)
    response = li.post("/api/console/ready")
    assert response.status_code == 200 and response.get_json()["presence"]["state"] == "available"
    assert li.post("/api/console/ready").status_code == 409
    assert li.post("/api/console/wrap-up/extend", {"seconds": 60}).status_code == 409


@pytest.mark.parametrize("body", [{}, {"seconds": 0}, {"seconds": 5000}, {"seconds": "60"}, {"seconds": True},
                                  {"seconds": 1.5}])
def test_extend_rejects_bad_seconds(on_call, body):
    floor, li, sid = on_call
    li.hangup(sid)
    response = li.post("/api/console/wrap-up/extend", body)
    assert response.status_code == 400
    assert "seconds" in response.get_json()["message"]


def test_transfer_to_another_line(on_call):
    floor, li, sid = on_call
    response = li.post(f"/api/console/calls/{sid}/transfer", {"line": "chengdu"})
    assert response.status_code == 200
    assert response.get_json()["presence"]["state"] == "wrap_up"
    assert floor.rest_requests()[-1]["data"]["Url"].endswith("/voice/transfer?line=chengdu")
    again = li.post(f"/api/console/calls/{sid}/transfer", {"line": "chengdu"})
    assert again.status_code == 409


@pytest.mark.parametrize("body", [{}, {"line": 5}, {"line": "atlantis"}])
def test_transfer_needs_a_known_line(on_call, body):
    floor, li, sid = on_call
    response = li.post(f"/api/console/calls/{sid}/transfer", body)
    assert response.status_code == 400
    assert "line" in response.get_json()["message"]
    assert li.state()["presence"]["state"] == "on_call"


def test_errors_have_the_shared_json_shape(on_call):
    floor, li, sid = on_call
    body = li.presence("break").get_json()
    assert set(body) == {"error", "message", "message_zh", "message_en"}
    assert body["message"] == f"{body['message_zh']} / {body['message_en']}"
