"""Withheld caller ids (号码未显示) through signed webhooks: routed by the dialled line like
anyone else, recorded and counted, but with no caller key, no region and no link between two
withheld callers."""
from __future__ import annotations

import pytest

from hotline.live.dashboard_live import RedisFloor
from hotline.store.calls import find
from hotline.usecases.dashboard_floor import queue_figures
from hotline.store.models import Call
from tests.integration.voice.conftest import GAOXIN, query_param
from tests.twilio_fake import call_params, new_call_sid

# What Twilio has sent for a withheld number: alpha strings, and before its 2022 change the
# keypad-digit spellings (ANONYMOUS, RESTRICTED, UNAVAILABLE, UNKNOWN), plus browser legs and junk.
WITHHELD = ["anonymous", "Anonymous", "Restricted", "Unknown", "Unavailable", "Private", "+266696687",
            "+7378742833", "+86282452253", "+8656696", "client:someone", "+", "ANONYMOUS CALLER"]


@pytest.mark.parametrize("caller", WITHHELD)
def test_a_withheld_caller_reaches_the_dialled_lines_queue_with_a_record(voice, caller):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    twiml = voice.post("/voice/incoming", call_params(sid, GAOXIN, caller))
    assert twiml.verbs() == ["Say", "Enqueue"] and twiml.find("Enqueue").text == "chengdu-gaoxin"
    assert query_param(twiml.attr("Enqueue", "waitUrl"), "line") == "chengdu-gaoxin"
    assert voice.services.queues.waiting("chengdu-gaoxin") == [sid]
    wait = voice.post("/voice/wait?line=chengdu-gaoxin", call_params(sid, GAOXIN, caller))
    assert "您是下一位" in wait.said()
    voice.flush()
    with voice.services.db.session() as session:
        call = find(session, sid)
        assert (call.status, call.line_id, call.dialled_number) == ("queued", "chengdu-gaoxin", GAOXIN)
        assert call.caller_key == "" and call.caller_region is None
        assert not any(e.kind.startswith("failsafe") for e in call.events)


def test_two_withheld_callers_are_never_linked(voice):
    voice.staff("chengdu-gaoxin")
    first, second = new_call_sid(), new_call_sid()
    voice.post("/voice/incoming", call_params(first, GAOXIN, "anonymous"))
    voice.post("/voice/incoming", call_params(second, GAOXIN, "+266696687"))
    states = [voice.services.queues.call_state(sid) for sid in (first, second)]
    assert [(s["caller_key"], s["withheld"]) for s in states] == [("", "1"), ("", "1")]
    voice.flush()
    with voice.services.db.session() as session:
        rows = session.query(Call).filter(Call.call_sid.in_([first, second])).all()
        assert {row.caller_key for row in rows} == {""}
        assert {row.priority for row in rows} == {0}


def test_the_dashboard_knows_which_queued_numbers_are_withheld(voice):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, "Restricted"))
    known = new_call_sid()
    voice.post("/voice/incoming", call_params(known, GAOXIN, "+8613551585969"))
    floor = RedisFloor(voice.services.redis, voice.services.keys).queued(["chengdu-gaoxin"])["chengdu-gaoxin"]
    assert [(c.call_sid, c.withheld) for c in floor] == [(sid, True), (known, False)]
    shown = queue_figures({"chengdu-gaoxin": floor}, ["chengdu-gaoxin"], voice.services.now())
    assert [c["withheld"] for c in shown["chengdu-gaoxin"]["queue"]] == [True, False]
