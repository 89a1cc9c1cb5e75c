"""Caller files: the live flagged set and its rebuild, who may open a file (every access
recorded), what it shows, unflagging, the call-back consent, and the offer's context."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from hotline.ports import Presence
from hotline.usecases.triage.errors import TriageError
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.test_triage_assessments import HIGH, IMMINENT, MODERATE

CALLER = "+8613908170000"


@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    w.live_call("CA1")
    return w


def on_call(world, counselor_id=7, call="CA1", state="on_call"):
    world.presences.set(Presence(counselor_id, state, world.clock.now(), ("chengdu-gaoxin",), call=call))


# --- the flagged set -------------------------------------------------------------------------

def test_no_key_or_an_anonymous_one_is_never_flagged(world):
    world.flagged.down = True                                # not even asked
    assert world.flagged_callers.is_flagged(["", "anonymous"]) is False


def test_a_lost_set_is_rebuilt_from_the_files_before_answering(world):
    key = world.live_call("CA1")
    world.assessments.save(7, "CA1", IMMINENT)
    world.flagged.members, world.flagged.built = set(), False          # Redis restarted
    assert world.flagged_callers.is_flagged(["k0:older", key]) is True
    assert world.flagged.built and key in world.flagged.members


def test_from_one_read_the_answer_stands_while_the_set_is_built(world):
    key = world.live_call("CA1")
    world.flagged.down = True                                # nothing more is asked of Redis
    assert world.flagged_callers.flagged_from(["k0:older", key], hit=True, set_built=True) is True
    assert world.flagged_callers.flagged_from(["k0:older", key], hit=False, set_built=True) is False
    assert world.flagged_callers.flagged_from(["", "anonymous"], hit=True, set_built=True) is False


def test_from_one_read_a_lost_set_is_rebuilt_and_asked_again(world):
    key = world.live_call("CA1")
    world.assessments.save(7, "CA1", IMMINENT)
    world.flagged.members, world.flagged.built = set(), False          # Redis restarted
    assert world.flagged_callers.flagged_from(["k0:older", key], hit=False, set_built=False) is True
    assert world.flagged.built and key in world.flagged.members


def test_between_two_rebuilds_a_lost_set_asks_the_files_for_the_caller(world):
    """Redis lost the set again moments after a rebuild: the next rebuild waits its turn, and
    a flagged caller is still put first (the state machine found the gap: priority 20 became 0)."""
    key = world.live_call("CA1")
    world.assessments.save(7, "CA1", IMMINENT)
    world.flagged_callers.ensure(force=True)
    world.flagged.members, world.flagged.built = set(), False          # lost again, within the throttle
    world.monotonic[0] += 1
    assert world.flagged_callers.flagged_from(["k0:older", key], hit=False, set_built=False) is True
    assert world.flagged_callers.is_flagged(["k0:older", key]) is True
    assert not world.flagged.built                                     # no rebuild before its time
    assert world.flagged_callers.flagged_from(["k0:other"], hit=False, set_built=False) is False


def test_a_file_lookup_that_fails_is_logged_and_answers_unflagged(world, caplog):
    key = world.live_call("CA1")
    world.flagged_callers.ensure(force=True)
    world.flagged.built, world.db.down = False, True
    world.monotonic[0] += 1
    with caplog.at_level(logging.ERROR):
        assert world.flagged_callers.flagged_from([key], hit=False, set_built=False) is False
    assert "cannot read the caller's file flag: ConnectionError" in caplog.text


def test_checks_are_throttled_unless_forced(world):
    world.flagged_callers.ensure()
    world.flagged.built = False
    world.monotonic[0] += 1
    assert world.flagged_callers.ensure() is False and not world.flagged.built
    assert world.flagged_callers.ensure(force=True) is True
    world.flagged.built = False
    world.monotonic[0] += 6
    assert world.flagged_callers.ensure() is True


def test_a_rebuild_that_fails_is_logged_and_never_raises(world, caplog):
    world.flagged.built, world.db.down = False, True
    with caplog.at_level(logging.ERROR):
        assert world.flagged_callers.ensure(force=True) is False
    assert "cannot rebuild the flagged caller set: ConnectionError" in caplog.text


def test_a_supervisor_unflags_in_the_database_then_redis_and_it_is_audited(world):
    key = world.keyring.caller_key(CALLER)
    world.assessments.save(7, "CA1", IMMINENT)
    assert world.caller_files.unflag(1, key) is True
    [found] = world.db.tables["caller_files"].values()
    assert found.flagged_level is None and found.flagged_at is None and key not in world.flagged.members
    world.flagged.built = False
    world.flagged_callers.ensure(force=True)
    assert key not in world.flagged.members
    assert world.caller_files.unflag(1, key) is False
    assert world.db.accesses("file_access", key) == [(1, "file.unflag"), (1, "file.unflag")]


# --- opening a file ------------------------------------------------------------------------

def test_counselors_open_only_the_file_of_the_caller_they_handle(world):
    key = world.keyring.caller_key(CALLER)
    on_call(world, 7)
    assert world.file_view.open(7, False, key) is True
    assert world.file_view.open(8, False, key) is False                 # not handling it
    assert world.file_view.open(9, True, key) is True                   # a supervisor
    assert world.file_view.open(7, False, "anonymous") is False
    world.file_view.export(9, key)
    assert world.db.accesses("file_access", key) == [(7, "file.view"), (8, "file.view.denied"), (9, "file.view"),
                                                     (9, "file.export")]


def test_the_handled_caller_follows_the_counselor_into_wrap_up_and_the_record(world):
    key = world.keyring.caller_key(CALLER)
    on_call(world, 7, state="offered")
    assert world.file_view.handling_caller(7) == key
    world.queues.calls.clear()                                         # Redis forgot the call: the record
    world.db.call("CA1", key, counselor_id=7, answered_at=world.clock.now(), received_at=world.clock.now())
    on_call(world, 7, state="wrap_up", call=None)
    assert world.file_view.handling_caller(7) == key
    on_call(world, 7, state="available", call=None)
    assert world.file_view.handling_caller(7) is None


def test_the_file_shows_everything_recorded_decrypted_for_its_reader(world):
    key = world.keyring.caller_key(CALLER)
    world.assessments.save(7, "CA1", IMMINENT | {"notes": "家中有药"})
    world.referrals.create(7, "CA1", "emergency_120", status="contacted", note="已送医")
    world.caller_files.save_callback(key, True, "139 0817 0000")
    shown = world.file_view.read(key)
    assert shown["flagged_level"] == "imminent" and shown["callback"]["number"] == CALLER
    assert shown["assessments"][0]["answers"]["notes"] == "家中有药"
    assert shown["referrals"][0]["note"] == "已送医" and [c["call_sid"] for c in shown["calls"]] == ["CA1"]
    assert [f["level"] for f in shown["follow_ups"]] == ["imminent"]
    assert world.file_view.read("k1:nobody")["flagged_level"] is None


# --- the call-back consent -----------------------------------------------------------------

def test_the_callback_number_is_kept_encrypted_and_only_with_consent(world):
    key = world.caller_files.callback_file("CA1")
    with pytest.raises(TriageError, match="not a valid phone number"):
        world.caller_files.save_callback(key, True, "not a number")
    assert world.caller_files.save_callback(key, True, "139 0817 0000") == {
        "consent": True, "stored": True, "matches_caller": True}
    [found] = world.db.tables["caller_files"].values()
    assert world.keyring.decrypt(found.callback_number_encrypted) == CALLER
    assert found.callback_consent_at == world.clock.now()
    assert world.caller_files.save_callback(key, False, None) == {"consent": False, "stored": False,
                                                                  "matches_caller": False}
    [found] = world.db.tables["caller_files"].values()
    assert found.callback_number_encrypted is None and found.callback_consent_at is None


def test_an_anonymous_call_has_no_file_for_a_callback():
    world = TriageWorld()
    world.live_call("CA9", caller="")
    with pytest.raises(TriageError, match="anonymous"):
        world.caller_files.callback_file("CA9")


# --- the offer ----------------------------------------------------------------------------

def test_a_first_call_has_no_history_and_no_warning(world):
    key = world.keyring.caller_key(CALLER)
    assert world.offer_context.offer_context(key, "CA1") == {
        "flagged": False, "warning": None, "history": {"previous_contacts": 0, "last_contact_at": None}}
    assert world.offer_context.offer_context("", "CA1")["history"] == {"previous_contacts": 0,
                                                                       "last_contact_at": None}


def test_a_flagged_repeat_caller_is_announced_with_the_files_summary(world):
    key = world.keyring.caller_key(CALLER)
    world.assessments.save(7, "CA1", IMMINENT)
    world.referrals.create(7, "CA1", "emergency_120", status="contacted")
    world.clock.advance(days=1)
    world.live_call("CA2")
    context = world.offer_context.offer_context(key, "CA2")
    assert context["flagged"] is True
    assert context["warning"].startswith("该来电者档案已标记（紧急风险）") and "flagged (imminent risk)" in context["warning"]
    assert context["history"] == {"previous_contacts": 1,
                                  "last_contact_at": (world.clock.now() - timedelta(days=1)).isoformat(),
                                  "last_risk_level": "imminent", "open_referrals": 1}


def test_without_the_database_the_offer_still_warns_and_degrades(world, caplog):
    key = world.keyring.caller_key(CALLER)
    world.assessments.save(7, "CA1", MODERATE)
    world.flagged.add(key)
    world.db.down = True
    with caplog.at_level(logging.WARNING):
        context = world.offer_context.offer_context(key, "CA2")
    assert context["warning"].startswith("该来电者档案已标记（高风险）")
    assert context["history"] == {"previous_contacts": None, "last_contact_at": None}
    assert "flag level unavailable" in caplog.text and CALLER not in caplog.text


def test_a_repeat_callers_history_survives_a_failing_summary(world, monkeypatch):
    key = world.keyring.caller_key(CALLER)
    world.assessments.save(7, "CA1", HIGH)
    world.live_call("CA2")

    def broken(*args):
        raise ConnectionError("lost")

    monkeypatch.setattr("tests.unit.usecases.fakes_triage_repos.FakeAssessments.last_level", broken)
    history = world.offer_context.offer_context(key, "CA2")["history"]
    assert history["previous_contacts"] == 1
    assert (history["last_risk_level"], history["open_referrals"]) == (None, None)
