"""Hold, consult, warm transfer, third parties and supervisors, against the Participants API fake."""
from __future__ import annotations

import pytest

from hotline.usecases.calls.conference_actions import ConferenceActions, ConferenceError, Supervisor
from tests.unit.usecases.fakes import FakeClock, FakeQueues, FakeRecords
from tests.unit.usecases.fakes_calls import FakeHangUps
from tests.unit.usecases.fakes_conference import (CALL, CONF, COUNSELOR_LEG, FakeAudit, FakeConferenceControl,
                                                  FakeConferenceLive, event, started_call)

HOLD_URL = "https://hotline.example/voice/conference-hold"
LINE_NUMBER = "+862887577510"


@pytest.fixture
def world():
    live, control, queues = FakeConferenceLive(), FakeConferenceControl(), FakeQueues()
    records, hang_ups, audit = FakeRecords(), FakeHangUps(), FakeAudit()
    queues.annotate(CALL, line="city", counselor="7", dialled=LINE_NUMBER)
    for item in started_call():
        live.add_event(item)
    actions = ConferenceActions(live=live, control=control, queues=queues, records=records, hang_ups=hang_ups,
                                audit=audit, clock=FakeClock(),
                                institution_phone={"h1": "+862887000000"}.get,
                                absolute=lambda path: "https://hotline.example" + path)
    return actions, live, control, queues, records, hang_ups, audit


def test_hold_and_unhold_the_caller(world):
    actions, _, control, *_ = world
    actions.hold(CALL, 7)
    actions.unhold(CALL, 7)
    assert control.calls == [
        ("update", CONF, CALL, {"hold": True, "hold_url": HOLD_URL, "hold_method": "POST"}),
        ("update", CONF, CALL, {"hold": False})]


def test_only_the_counselor_of_the_call_may_act(world):
    actions, _, control, *_ = world
    with pytest.raises(ConferenceError):
        actions.hold(CALL, 8)
    assert control.calls == []


def test_nothing_before_the_conference_started(world):
    actions, live, control, queues, *_ = world
    queues.annotate("CA-other", counselor="7")
    with pytest.raises(ConferenceError, match="not started"):
        actions.hold("CA-other", 7)


def test_consult_then_warm_transfer(world):
    actions, live, control, queues, records, hang_ups, _ = world
    assert actions.consult(CALL, 7, 9) == "consultant-9"
    assert control.calls[0][3]["hold"] is True
    assert control.calls[1] == ("add", CALL, "consultant-9", "client:counselor-9", LINE_NUMBER, False, None)
    with pytest.raises(ConferenceError, match="not joined"):
        actions.complete_transfer(CALL, 7)
    live.add_event(event("participant-join", 5, "consultant-9", "CA9", muted=False))
    assert actions.complete_transfer(CALL, 7) == 9
    assert control.calls[-2:] == [("update", CONF, CALL, {"hold": False}), ("remove", CONF, COUNSELOR_LEG)]
    assert hang_ups.hung_up == [CALL]               # the first counselor goes to wrap-up
    assert hang_ups.taken_over == [(CALL, 9)]       # the colleague's console: on call with it
    assert queues.call_state(CALL)["counselor"] == "9"
    transfer = [op for op in records.ops if op.kind == "warm_transfer"][0]
    assert transfer.detail == {"from": 7, "to": 9} and transfer.fields == {"counselor_id": 9}


def test_consulting_a_supervisor_rings_their_softphone(world):
    actions, _, control, *_ = world
    actions.consult(CALL, 7, 3, role="supervisor")
    assert control.calls[-1][2:4] == ("consultant-3", "client:supervisor-3")


def test_cancel_a_consult(world):
    actions, live, control, *_ = world
    actions.consult(CALL, 7, 9)
    live.add_event(event("participant-join", 5, "consultant-9", "CA9"))
    actions.cancel_consult(CALL, 7)
    assert control.calls[-2:] == [("remove", CONF, "CA9"), ("update", CONF, CALL, {"hold": False})]


def test_bring_in_emergency_services_privately_and_record_the_checklist(world):
    actions, live, control, _, records, *_ = world
    assert actions.bring_in(CALL, 7, "120", private=True) == "third-120"
    assert control.calls == [
        ("update", CONF, CALL, {"hold": True, "hold_url": HOLD_URL, "hold_method": "POST"}),
        ("add", CALL, "third-120", "120", LINE_NUMBER, False, None)]
    dialled = [op for op in records.ops if op.kind == "third_party"][0]
    assert dialled.detail == {"label": "third-120", "role": "third_party", "target": "120", "by": 7,
                              "private": True}
    actions.party_status(CALL, "third-120", "in-progress")
    actions.party_status(CALL, "third-120", "completed")     # the later word does not overwrite
    outcomes = [op.detail for op in records.ops if op.kind == "third_party_outcome"]
    assert outcomes == [{"label": "third-120", "target": "120", "outcome": "answered"}]


def test_a_third_party_that_does_not_answer_never_leaves_the_caller_on_hold(world):
    actions, live, control, _, records, *_ = world
    actions.bring_in(CALL, 7, "ref:h1", private=True)
    assert control.calls[1][3] == "+862887000000"
    live.add_event(event("participant-hold", 4, "caller", CALL, hold=True))
    actions.party_status(CALL, "third-ref-h1", "no-answer")
    assert control.calls[-1] == ("update", CONF, CALL, {"hold": False})
    assert [i.outcome for i in live.invites(CALL)] == ["no-answer"]
    assert not any(c[0] == "remove" and c[2] == CALL for c in control.calls)   # the caller stays


def test_a_failed_dial_takes_the_caller_off_hold_and_says_so(world):
    actions, live, control, *_ = world
    control.fail_add = True
    with pytest.raises(RuntimeError):
        actions.bring_in(CALL, 7, "110", private=True)
    assert control.calls[-1] == ("update", CONF, CALL, {"hold": False})
    assert [i.outcome for i in live.invites(CALL)] == ["failed"]


def test_bad_targets_are_named(world):
    actions, *_ = world
    with pytest.raises(ConferenceError, match="'999'"):
        actions.bring_in(CALL, 7, "999", private=False)
    with pytest.raises(ConferenceError, match="'nope'"):
        actions.bring_in(CALL, 7, "ref:nope", private=False)


def test_supervisor_listen_coach_join_leave_with_the_exact_participant_calls(world):
    actions, live, control, _, _, _, audit = world
    boss = Supervisor(3, "supervisor", ("city",))
    actions.supervise(CALL, boss, "listen")
    assert control.calls[-1] == ("add", CALL, "supervisor-3", "client:supervisor-3", LINE_NUMBER, True, None)
    live.add_event(event("participant-join", 4, "supervisor-3", "CA5", muted=True, coaching=False))
    actions.supervise(CALL, boss, "coach")
    assert control.calls[-1] == ("update", CONF, "CA5", {"muted": False, "coaching": True,
                                                         "call_sid_to_coach": COUNSELOR_LEG})
    actions.supervise(CALL, boss, "join")
    assert control.calls[-1] == ("update", CONF, "CA5", {"coaching": False, "muted": False})
    actions.stop_supervising(CALL, boss)
    assert control.calls[-1] == ("remove", CONF, "CA5")
    assert [s[2] for s in audit.sessions] == ["listen", "coach", "join", "leave"]
    assert audit.sessions[-1][4] is not None


def test_coaching_from_the_start_names_the_counselor_leg(world):
    actions, _, control, *_ = world
    actions.supervise(CALL, Supervisor(3, "admin"), "coach")
    assert control.calls[-1] == ("add", CALL, "supervisor-3", "client:supervisor-3", LINE_NUMBER, False,
                                 COUNSELOR_LEG)   # unmuted: the counselor must hear the coach


def test_only_supervisors_of_the_line_may_supervise(world):
    actions, _, control, *_ = world
    for who in (Supervisor(3, "supervisor", ("district",)), Supervisor(7, "counselor")):
        with pytest.raises(PermissionError):
            actions.supervise(CALL, who, "listen")
    with pytest.raises(ConferenceError, match="unknown mode"):
        actions.supervise(CALL, Supervisor(3, "supervisor"), "barge")
    assert control.calls == []


def _with_log(fail=False):
    from tests.unit.usecases.fakes_conference import FakeEmergencyLog

    live, control, queues = FakeConferenceLive(), FakeConferenceControl(), FakeQueues()
    queues.annotate(CALL, line="city", counselor="7", dialled=LINE_NUMBER)
    for item in started_call():
        live.add_event(item)
    log = FakeEmergencyLog(fail=fail)
    actions = ConferenceActions(live=live, control=control, queues=queues, records=FakeRecords(),
                                hang_ups=FakeHangUps(), audit=FakeAudit(), clock=FakeClock(),
                                institution_phone={"h1": "+862887000000"}.get,
                                absolute=lambda path: "https://hotline.example" + path, emergency_log=log)
    return actions, live, control, log


def test_each_third_partys_outcome_goes_to_the_emergency_checklist_once():
    actions, live, control, log = _with_log()
    actions.bring_in(CALL, 7, "120", private=False)
    actions.bring_in(CALL, 7, "ref:h1", private=False)
    actions.consult(CALL, 7, 9)
    actions.party_status(CALL, "third-120", "ringing")          # not an outcome yet
    actions.party_status(CALL, "third-120", "in-progress")
    actions.party_status(CALL, "third-120", "completed")        # a later word: already answered
    actions.party_status(CALL, "third-ref-h1", "no-answer")
    actions.party_status(CALL, "consultant-9", "no-answer")     # a colleague is not a third party
    assert [(sid, c.label, c.target, c.by, c.outcome) for sid, c in log.calls] == [
        (CALL, "third-120", "120", 7, "answered"), (CALL, "third-ref-h1", "ref:h1", 7, "no-answer")]
    assert log.calls[0][1].dialled_at <= log.calls[0][1].at


def test_a_dial_that_fails_at_once_is_logged_failed_and_a_broken_log_never_breaks_the_call(caplog):
    actions, live, control, log = _with_log()
    control.fail_add = True
    with pytest.raises(RuntimeError):
        actions.bring_in(CALL, 7, "110", private=True)
    assert [(c.label, c.outcome) for _, c in log.calls] == [("third-110", "failed")]
    actions, live, control, log = _with_log(fail=True)
    actions.bring_in(CALL, 7, "120", private=True)
    actions.party_status(CALL, "third-120", "no-answer")        # the log raises: logged, caller off hold
    assert control.calls[-1] == ("update", CONF, CALL, {"hold": False})
    assert "emergency checklist not updated" in caplog.text
