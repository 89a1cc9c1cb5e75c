"""A call's conference folded from its callbacks: any order, duplicates, late joins."""
from __future__ import annotations

import itertools
import random

from hotline.ports import call_of_conference, conference_name, role_of_label
from hotline.usecases.calls.conference import ConferenceCallbacks
from hotline.usecases.calls.conference_state import call_statuses, fold, payload
from tests.unit.usecases.fakes import FakeEvents, FakeQueues, FakeRecords
from tests.unit.usecases.fakes_conference import CALL, CONF, COUNSELOR_LEG, FakeConferenceLive, event, started_call

SUPERVISOR_LEG = "CA" + "5" * 32


def a_whole_call():
    """Caller and counselor talk, the caller is held for a consult, a supervisor listens, all leave."""
    return started_call() + [
        event("participant-hold", 4, "caller", CALL, hold=True),
        event("participant-join", 5, "consultant-9", "CA" + "9" * 32, muted=False, hold=False),
        event("participant-leave", 6, "consultant-9", "CA" + "9" * 32),
        event("participant-unhold", 7, "caller", CALL, hold=False),
        event("participant-join", 8, "supervisor-3", SUPERVISOR_LEG, muted=True, coaching=False),
        event("participant-leave", 9, "caller", CALL),
        event("participant-leave", 10, "counselor-7", COUNSELOR_LEG),
        event("participant-leave", 11, "supervisor-3", SUPERVISOR_LEG),
        event("conference-end", 12),
    ]


def test_names_and_roles():
    assert call_of_conference(conference_name(CALL)) == CALL
    assert call_of_conference("someone-else") is None and call_of_conference("call-") is None
    assert [role_of_label(x) for x in ("caller", "counselor-7", "consultant-9", "supervisor-3", "third-120",
                                       "third-ref-h1", "callers")] == [
        "caller", "counselor", "consultant", "supervisor", "third_party", "third_party", "unknown"]


def test_an_orderly_call_folds_to_everyone_left():
    view = fold(CALL, a_whole_call())
    assert view.conference_sid == CONF and view.ended_at is not None
    assert {p.label: p.state for p in view.parties.values()} == {
        "caller": "left", "counselor-7": "left", "consultant-9": "left", "supervisor-3": "left"}


def test_any_order_and_duplicates_give_the_same_state():
    events = a_whole_call()
    expected = payload(fold(CALL, events))
    shuffler = random.Random(16)
    for _ in range(50):
        mixed = events + shuffler.sample(events, 5)
        shuffler.shuffle(mixed)
        assert payload(fold(CALL, mixed)) == expected
    for cut in range(1, len(events)):   # every prefix in reverse order equals the prefix in order
        assert payload(fold(CALL, list(reversed(events[:cut])))) == payload(fold(CALL, events[:cut]))


def test_a_late_join_after_the_leave_does_not_bring_a_party_back():
    leave = event("participant-leave", 6, "third-120", "CA" + "8" * 32)
    join = event("participant-join", 5, "third-120", "CA" + "8" * 32, muted=False)
    again = event("participant-join", 9, "third-120", "CA" + "8" * 32, muted=False)   # even one numbered later
    view = fold(CALL, started_call() + [leave, join, again])
    assert view.party("third-120").state == "left"
    assert "third_party" not in call_statuses(view)


def test_statuses_per_call():
    base = started_call()
    assert call_statuses(fold(CALL, base)) == ["talking"]
    held = base + [event("participant-hold", 4, "caller", CALL, hold=True)]
    assert call_statuses(fold(CALL, held)) == ["on_hold"]
    consulting = held + [event("participant-join", 5, "consultant-9", "CA9", muted=False)]
    assert call_statuses(fold(CALL, consulting)) == ["on_hold", "consulting"]
    third = base + [event("participant-join", 5, "third-120", "CA8")]
    assert call_statuses(fold(CALL, third)) == ["talking", "third_party"]
    coached = base + [event("participant-join", 5, "supervisor-3", SUPERVISOR_LEG, muted=False, coaching=True)]
    view = fold(CALL, coached)
    assert call_statuses(view) == ["talking", "supervised"]
    assert payload(view)["supervision"] == [{"label": "supervisor-3", "mode": "coach"}]
    assert view.party("supervisor-3").state == "coaching"


def test_mute_and_unmute_follow_the_sequence_not_the_arrival():
    mute = event("participant-mute", 4, "counselor-7", COUNSELOR_LEG, muted=True)
    unmute = event("participant-unmute", 5, "counselor-7", COUNSELOR_LEG, muted=False)
    for order in itertools.permutations([mute, unmute]):
        assert fold(CALL, started_call() + list(order)).party("counselor-7").state == "joined"


def _callbacks(show_listening=True):
    live, queues, records, events = FakeConferenceLive(), FakeQueues(), FakeRecords(), FakeEvents()
    queues.annotate(CALL, line="city", counselor="7")
    return ConferenceCallbacks(live, queues, records, events, show_listening=show_listening), records, events


def test_callbacks_record_each_event_once_and_end_with_one_summary():
    callbacks, records, events = _callbacks()
    stream = a_whole_call()
    for item in stream + stream[:4]:            # a retried burst at the end
        callbacks.callback(item)
    conference_ops = [op for op in records.applied() if op.kind == "conference"]
    assert len(conference_ops) == len(stream)
    assert {op.dedup_key for op in conference_ops} == {f"conf:{e.key}" for e in stream}
    summaries = [op for op in records.applied() if op.kind == "conference_summary"]
    assert len(summaries) == 1 and all(p["state"] == "left" for p in summaries[0].detail["parties"])
    last = events.named("conference.changed")[-1]
    assert last["ended_at"] is not None


def test_a_late_callback_after_the_end_records_a_newer_summary_of_the_same_call():
    callbacks, records, _ = _callbacks()
    stream = a_whole_call()
    late = stream.pop(6)                         # the consultant's leave comes last
    for item in stream + [late]:
        callbacks.callback(item)
    summaries = [op for op in records.applied() if op.kind == "conference_summary"]
    assert {op.call_sid for op in summaries} == {CALL}
    newest = max(summaries, key=lambda op: int(op.dedup_key.rsplit(":", 1)[1]))
    assert {p["label"]: p["state"] for p in newest.detail["parties"]}["consultant-9"] == "left"


def test_the_counselor_sees_a_listener_only_when_the_centre_shows_it():
    listen = event("participant-join", 4, "supervisor-3", SUPERVISOR_LEG, muted=True, coaching=False)
    for shown in (True, False):
        callbacks, _, events = _callbacks(show_listening=shown)
        for item in started_call() + [listen]:
            callbacks.callback(item)
        by_room = {tuple(rooms): payload for name, payload, rooms in events.sent if name == "conference.changed"}
        supervisors = by_room[("supervisors",)]
        counselor = by_room[("line:city", "counselor:7")]
        assert supervisors["supervision"] == [{"label": "supervisor-3", "mode": "listen"}]
        assert ("supervised" in counselor["statuses"]) is shown
        assert bool(counselor["supervision"]) is shown


def test_the_board_lists_calls_in_progress_with_their_conference_state():
    from datetime import timezone, datetime
    from hotline.ports import Presence
    from hotline.usecases.calls.conference_board import ConferenceBoard
    from tests.unit.usecases.fakes import FakePresences

    presences, live, queues = FakePresences(), FakeConferenceLive(), FakeQueues()
    now = datetime(2026, 10, 12, 2, 0, tzinfo=timezone.utc)
    presences.set(Presence(7, "on_call", now, ("city",), "李", call=CALL))
    presences.set(Presence(8, "available", now, ("city",), "王"))
    queues.annotate(CALL, line="city")
    for item in started_call() + [event("participant-join", 4, "supervisor-3", SUPERVISOR_LEG, muted=True)]:
        live.add_event(item)
    rows = ConferenceBoard(presences, live, queues).calls()
    assert rows == [{"call": CALL, "counselor": 7, "name": "李", "line": "city", "conference": True,
                     "statuses": ["talking", "supervised"],
                     "supervision": [{"label": "supervisor-3", "mode": "listen"}]}]


def test_when_the_caller_leaves_the_staff_legs_are_released_once_unless_a_third_party_is_on():
    from tests.unit.usecases.fakes_conference import FakeConferenceControl

    for third_party_on in (False, True):
        live, queues, records, events = FakeConferenceLive(), FakeQueues(), FakeRecords(), FakeEvents()
        control = FakeConferenceControl()
        callbacks = ConferenceCallbacks(live, queues, records, events, control=control)
        stream = started_call() + [event("participant-join", 4, "supervisor-3", SUPERVISOR_LEG, muted=True)]
        if third_party_on:
            stream.append(event("participant-join", 5, "third-120", "CA8"))
        leave = event("participant-leave", 6, "caller", CALL)
        for item in stream + [leave, leave]:       # the leave retried
            callbacks.callback(item)
        expected = [] if third_party_on else [("remove", CONF, COUNSELOR_LEG), ("remove", CONF, SUPERVISOR_LEG)]
        assert control.calls == expected


def test_a_third_party_leaving_is_written_to_the_emergency_checklist_once():
    from hotline.ports import PartyInvite
    from tests.unit.usecases.fakes_conference import FakeEmergencyLog

    live, queues, records, events = FakeConferenceLive(), FakeQueues(), FakeRecords(), FakeEvents()
    log = FakeEmergencyLog()
    callbacks = ConferenceCallbacks(live, queues, records, events, emergency_log=log)
    stream = started_call()
    live.invite(CALL, PartyInvite("third-120", "third_party", stream[0].at, target="120", by=7, outcome="answered"))
    for item in stream + [event("participant-join", 4, "third-120", "CA8")]:
        callbacks.callback(item)
    leave = event("participant-leave", 5, "third-120", "CA8")
    callbacks.callback(leave)
    callbacks.callback(leave)                                   # Twilio retried it
    callbacks.callback(event("participant-leave", 6, "counselor-7", COUNSELOR_LEG))
    assert [(c.label, c.target, c.outcome, c.at) for _, c in log.calls] == [("third-120", "120", "left", leave.at)]
