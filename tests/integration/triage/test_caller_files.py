"""Caller files: a flagged caller goes first and is announced; who may open a file; consent."""
from __future__ import annotations

from sqlalchemy import select

from hotline.live.triage import RedisFlaggedSet
from hotline.store.caller_files import file_access
from hotline.store.triage import CallerFile
from hotline.web.triage import CALL_STATUS_WORDS
from tests.integration.triage.conftest import (CALLER, CHECKLIST_DONE, HIGH, IMMINENT, answer_call, assess, refer,
                                               usecases)
from tests.integration.voice.conftest import local

OTHERS = ("+8613900000011", "+8613900000012")


def imminent_first_call(floor, li) -> str:
    """li handles CALLER's first call at imminent risk and closes it properly."""
    li.go("available")
    sid = answer_call(floor, li)
    assess(li, sid, IMMINENT | {"emergency_checklist": CHECKLIST_DONE})
    refer(li, sid, "emergency_120", status="contacted")
    assert li.hangup(sid).status_code == 200
    floor.flush()
    assert li.post("/api/console/ready").status_code == 200
    return sid


def test_a_flagged_caller_calling_again_goes_first_and_is_announced(floor, desk):
    li = desk("li")
    first = imminent_first_call(floor, li)
    assert li.presence("break").status_code == 200
    floor.at(local(2026, 11, 23, 11, 0))
    waiting = [floor.caller(number) for number in OTHERS]        # two callers are already waiting
    floor.at(local(2026, 11, 23, 11, 1))
    again = floor.caller(CALLER)                                 # the flagged caller calls back
    key = floor.services.keyring.caller_key(CALLER)
    assert floor.services.queues.call_state(again)["priority"] > floor.services.queues.call_state(waiting[0])["priority"]
    li.go("available")
    floor.tick()
    assert floor.offered_to(li.id) == again
    offer = li.state()["offer"]
    assert offer["flagged"] is True
    assert offer["priority_label"] == "优先：高危回访来电 / priority: flagged caller"   # words, not "优先 30"
    assert str(offer["priority"]) not in offer["priority_label"]
    assert offer["warning"].startswith("该来电者档案已标记（紧急风险）") and "flagged" in offer["warning"]
    assert offer["history"]["previous_contacts"] == 1
    assert offer["history"]["last_risk_level"] == "imminent"
    assert offer["history"]["open_referrals"] == 1
    event = [p for e, p, _ in floor.services.events.sent if e == "offer" and p["call"] == again][-1]
    assert event["warning"] == offer["warning"] and event["flagged"]
    assert first != again and key
    context = usecases(floor).offer_context.offer_context(key, again)   # what the console area will call
    assert context == {name: offer[name] for name in ("flagged", "warning", "history")}


def test_a_high_risk_caller_calling_again_goes_first_and_is_announced(floor, desk):
    """Not only imminent: a high assessment flags the file too (issue #12, item 3)."""
    li = desk("li")
    li.go("available")
    first = answer_call(floor, li)
    assert assess(li, first, HIGH).status_code == 200
    refer(li, first, "chengdu_psychiatric", status="contacted")
    assert li.hangup(first).status_code == 200
    floor.flush()
    assert li.post("/api/console/ready").status_code == 200
    assert li.presence("break").status_code == 200
    floor.at(local(2026, 11, 23, 11, 0))
    waiting = [floor.caller(number) for number in OTHERS]
    floor.at(local(2026, 11, 23, 11, 1))
    again = floor.caller(CALLER)                                 # through a signed /voice/incoming
    assert floor.services.queues.waiting("chengdu-gaoxin")[0] == again
    assert floor.services.queues.call_state(again)["priority"] > floor.services.queues.call_state(waiting[0])["priority"]
    li.go("available")
    floor.tick()
    assert floor.offered_to(li.id) == again
    offer = li.state()["offer"]
    assert offer["flagged"] is True and offer["warning"].startswith("该来电者档案已标记（高风险）")
    assert offer["history"]["last_risk_level"] == "high"


def test_the_flag_survives_losing_the_redis_set(floor, desk, app):
    li = desk("li")
    imminent_first_call(floor, li)
    s = floor.services
    key = s.keyring.caller_key(CALLER)
    sentinel = RedisFlaggedSet(s.redis, s.keys).sentinel_key
    flagged = usecases(floor).flagged_callers
    s.redis.delete(s.keys.flagged(), sentinel)                          # as after a Redis restart
    assert not s.redis.sismember(s.keys.flagged(), key)
    assert flagged.ensure(force=True) is True
    assert s.redis.sismember(s.keys.flagged(), key)
    assert flagged.ensure(force=True) is False                          # built: nothing to do

    s.redis.delete(s.keys.flagged(), sentinel)
    from hotline.app import create_app

    restarted = create_app(s.settings)                                   # a process starting up
    try:
        assert s.redis.sismember(s.keys.flagged(), key)
    finally:
        restarted.extensions["hotline"].adapters.close()


def test_a_flagged_caller_still_goes_first_when_the_set_is_lost_after_the_last_read(floor, desk):
    """A new call is decided on what the last read saw (the set built, the caller not in it) and
    its step is checked against the set as it is now: lost, the step is refused and the caller's
    file is asked, so they still go first (issue #18)."""
    li = desk("li")
    imminent_first_call(floor, li)
    assert li.presence("break").status_code == 200
    s = floor.services
    floor.at(local(2026, 11, 23, 11, 0))
    waiting = floor.caller(OTHERS[0])                                  # read: the set is built
    s.redis.delete(s.keys.flagged(), RedisFlaggedSet(s.redis, s.keys).sentinel_key)   # Redis lost it
    floor.at(local(2026, 11, 23, 11, 1))
    again = floor.caller(CALLER)
    state, earlier = s.queues.call_state(again), s.queues.call_state(waiting)
    assert int(state["priority"]) > int(earlier["priority"])
    assert state["line"] == earlier["line"] and s.queues.waiting(state["line"])[0] == again   # ahead of them


def test_counselors_open_only_the_file_of_the_caller_they_handle(chengdu_call, desk, supervisor):
    floor, li, sid = chengdu_call
    s = floor.services
    key = s.keyring.caller_key(CALLER)
    assess(li, sid, IMMINENT | {"notes": "家中有药 / has pills at home"})
    floor.flush()
    view = li.get(f"/api/caller-files/{key}")
    assert view.status_code == 200
    data = view.get_json()
    assert data["flagged_level"] == "imminent" and data["assessments"][0]["answers"]["notes"].startswith("家中有药")
    assert [c["call_sid"] for c in data["calls"]] == [sid]
    wang = desk("wang")
    assert wang.get(f"/api/caller-files/{key}").status_code == 403
    assert wang.get(f"/triage/files/{key}").status_code == 403
    assert supervisor.get(f"/api/caller-files/{key}").status_code == 200
    page = supervisor.get(f"/triage/files/{key}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)                      # the contacts name the line and say the status
    assert "<td>成都市高新区疫情关爱援助热线</td>" in html and "<td>chengdu-gaoxin</td>" not in html
    status = data["calls"][0]["status"]
    assert f"<td>{CALL_STATUS_WORDS[status]}</td>" in html and f"<td>{status}</td>" not in html
    assert li.get(f"/api/caller-files/{key}/export").status_code == 403
    export = supervisor.get(f"/api/caller-files/{key}/export")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    with s.db.session() as session:
        log = [(row.user_id, row.action) for row in file_access(session).entries(key)]
    assert log == [(li.id, "file.view"), (wang.id, "file.view.denied"), (wang.id, "file.view.denied"),
                   (supervisor.id, "file.view"), (supervisor.id, "file.view"), (supervisor.id, "file.export")]


def test_in_wrap_up_the_counselor_still_sees_the_file_and_loses_it_after(chengdu_call):
    floor, li, sid = chengdu_call
    key = floor.services.keyring.caller_key(CALLER)
    assert li.hangup(sid).status_code == 200
    floor.flush()
    assert li.get(f"/api/caller-files/{key}").status_code == 200
    assert li.post("/api/console/ready").status_code == 200
    assert li.get(f"/api/caller-files/{key}").status_code == 403


def test_the_callback_number_is_kept_only_encrypted_and_only_with_consent(chengdu_call):
    floor, li, sid = chengdu_call
    s = floor.services
    key = s.keyring.caller_key(CALLER)
    refused = li.post(f"/api/calls/{sid}/callback", {"consent": True, "number": "not a number"})
    assert refused.status_code == 400
    saved = li.post(f"/api/calls/{sid}/callback", {"consent": True, "number": "139 0817 0000"})
    assert saved.get_json() == {"consent": True, "stored": True, "matches_caller": True}
    with s.db.session() as session:
        found = session.scalar(select(CallerFile).where(CallerFile.caller_key == key))
        token = found.callback_number_encrypted
    assert "13908170000" not in token and s.keyring.decrypt(token) == CALLER
    assert li.get(f"/api/caller-files/{key}").get_json()["callback"]["number"] == CALLER
    li.post(f"/api/calls/{sid}/callback", {"consent": False})
    with s.db.session() as session:
        found = session.scalar(select(CallerFile).where(CallerFile.caller_key == key))
        assert found.callback_number_encrypted is None and found.callback_consent_at is None


def test_a_supervisor_may_unflag_a_file(floor, desk, supervisor):
    li = desk("li")
    imminent_first_call(floor, li)
    s = floor.services
    key = s.keyring.caller_key(CALLER)
    assert li.post(f"/api/caller-files/{key}/unflag").status_code == 403
    assert supervisor.post(f"/api/caller-files/{key}/unflag").get_json() == {"unflagged": True}
    assert not s.redis.sismember(s.keys.flagged(), key)
    usecases(floor).flagged_callers.ensure(force=True)
    assert not s.redis.sismember(s.keys.flagged(), key)
