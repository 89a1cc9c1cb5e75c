"""Call notes (encrypted, every access recorded) and key rotation (tokens re-encrypted,
caller files re-keyed and merged, the live state moved along)."""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import pytest

from hotline.ports import CallerFileRecord
from tests.unit.usecases.fakes import FakeKeyring
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.fakes_triage_live import StrictKeyring

CALLER = "+8613908170000"


# --- notes ---------------------------------------------------------------------------------

def test_a_note_is_stored_as_a_token_and_every_access_is_recorded(caplog):
    world = TriageWorld()
    with caplog.at_level(logging.DEBUG):
        saved = world.notes.add(7, "CA1", "失眠三周")
        assert saved["text"] == "失眠三周" and saved["counselor_id"] == 7
        [note] = world.db.tables["notes"].values()
        assert note.body_encrypted == world.keyring.encrypt("失眠三周")
        assert [n["text"] for n in world.notes.read(7, "CA1")] == ["失眠三周"]
        world.notes.refused(8, "CA1")
    assert world.db.accesses("note_access", "CA1") == [(7, "notes.write"), (7, "notes.read"), (8, "notes.denied")]
    assert "失眠" not in caplog.text and "refused the notes of call CA1" in caplog.text


def test_a_note_no_key_opens_reads_as_none_and_is_logged(caplog):
    world = TriageWorld()
    world.notes.add(7, "CA1", "一")

    world.notes.keyring = StrictKeyring("k2")              # the note's key k1 was dropped
    with caplog.at_level(logging.ERROR):
        assert [n["text"] for n in world.notes.read(7, "CA1")] == [None]
    assert "cannot be decrypted" in caplog.text


# --- rotation ------------------------------------------------------------------------------

@pytest.fixture
def rotated() -> TriageWorld:
    """A world whose keyring just got a new key (k2) in front of the old one (k1)."""
    world = TriageWorld()
    world.keyring = StrictKeyring("k2", older=("k1",))
    world.rekey.keyring = world.keyring
    return world


def test_tokens_not_under_the_newest_key_are_re_encrypted(rotated, caplog):
    old = FakeKeyring("k1")
    rotated.db.tables["tokens"] = {("call_notes", "body_encrypted"): {1: old.encrypt("a"), 2: rotated.keyring.encrypt("b"),
                                                                      3: "garbage"}}
    assert rotated.rekey.rotate_tokens(dry_run=True) == {("call_notes", "body_encrypted"): 1}
    assert rotated.db.tables["tokens"][("call_notes", "body_encrypted")][1] == old.encrypt("a")
    with caplog.at_level(logging.ERROR):
        assert rotated.rekey.rotate_tokens() == {("call_notes", "body_encrypted"): 1}
    tokens = rotated.db.tables["tokens"][("call_notes", "body_encrypted")]
    assert tokens == {1: "enc[k2]:a", 2: "enc[k2]:b", 3: "garbage"}
    assert "cannot rotate call_notes.body_encrypted row 3" in caplog.text
    assert rotated.rekey.rotate_tokens() == {("call_notes", "body_encrypted"): 0}


def _file(world, key, **fields) -> CallerFileRecord:
    with world.db() as uow:
        found = uow.caller_files.save(CallerFileRecord(key, world.clock.now(), world.clock.now(), **fields))
        uow.commit()
    return found


def test_files_with_a_stored_number_follow_their_caller_to_the_new_key(rotated):
    old_key, new_key = FakeKeyring("k1").caller_key(CALLER), rotated.keyring.caller_key(CALLER)
    _file(rotated, old_key, flagged_level="imminent", callback_number_encrypted=FakeKeyring("k1").encrypt(CALLER))
    _file(rotated, "k1:unknown")
    rotated.db.call("CA1", old_key)
    assert rotated.rekey.rekey_files(dry_run=True) == (1, 1)
    assert rotated.live_keys.moved == []
    assert rotated.rekey.rekey_files() == (1, 1)
    assert [f.caller_key for f in rotated.db.tables["caller_files"].values()] == [new_key, "k1:unknown"]
    assert rotated.db.tables["calls"]["CA1"].caller_key == new_key
    assert rotated.live_keys.moved == [(old_key, new_key)]
    assert rotated.rekey.rekey_files() == (0, 1)


def test_a_caller_calling_after_a_rotation_merges_the_files_the_more_severe_flag_wins(rotated):
    old_key, new_key = FakeKeyring("k1").caller_key(CALLER), rotated.keyring.caller_key(CALLER)
    earlier = rotated.clock.now() - timedelta(days=30)
    source = _file(rotated, old_key, flagged_level="imminent", flagged_call_sid="CA-old",
                   callback_number_encrypted="enc[k1]:" + CALLER, callback_consent_at=earlier)
    rotated.db.tables["caller_files"][source.id] = replace(source, created_at=earlier)
    _file(rotated, new_key, flagged_level="high", flagged_call_sid="CA-new")
    assert rotated.rekey.rekey_caller(CALLER) == new_key
    [merged] = rotated.db.tables["caller_files"].values()
    assert (merged.caller_key, merged.flagged_level, merged.flagged_call_sid) == (new_key, "imminent", "CA-new")
    assert merged.callback_number_encrypted == "enc[k1]:" + CALLER and merged.created_at == earlier


def test_without_an_older_key_nothing_moves():
    world = TriageWorld()
    assert world.rekey.rekey_caller(CALLER) == world.keyring.caller_key(CALLER)
    assert world.live_keys.moved == [] and world.db.commits == 0


def test_redis_failing_during_a_move_leaves_the_database_moved(rotated, caplog):
    old_key, new_key = FakeKeyring("k1").caller_key(CALLER), rotated.keyring.caller_key(CALLER)
    _file(rotated, old_key, flagged_level="high")

    def down(old, new):
        raise ConnectionError("redis")

    rotated.rekey.live.move = down
    with caplog.at_level(logging.ERROR):
        rotated.rekey.move_caller_key(old_key, new_key)
    assert [f.caller_key for f in rotated.db.tables["caller_files"].values()] == [new_key]
    assert "caller key not moved in Redis: ConnectionError" in caplog.text


def test_a_number_no_key_opens_is_logged_and_its_file_left_alone(rotated, caplog):
    _file(rotated, "k0:lost", callback_number_encrypted="enc[k0]:" + CALLER)
    with caplog.at_level(logging.ERROR):
        assert rotated.rekey.rekey_files() == (0, 0)
    assert "file not re-keyed" in caplog.text and CALLER not in caplog.text
    rotated.rekey.move_caller_key("k1:nobody", "k2:nobody")          # nothing on file: nothing merges
    assert [f.caller_key for f in rotated.db.tables["caller_files"].values()] == ["k0:lost"]
