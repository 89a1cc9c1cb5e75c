"""The incoming-call webhook: open and staffed, menus, closed lines, coverage, nothing open."""
from hotline.routing.decision import PRIORITY_CRISIS
from tests.integration.voice.conftest import CALLER, CHENGDU_24H, DEYANG, GAOXIN, SICHUAN, local, query_param
from tests.twilio_fake import call_params, new_call_sid


def test_open_staffed_line_enqueues_the_caller(voice):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    twiml = voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    assert twiml.verbs() == ["Say", "Enqueue"]
    assert twiml.find("Enqueue").text == "chengdu-gaoxin"
    assert query_param(twiml.attr("Enqueue", "waitUrl"), "line") == "chengdu-gaoxin"
    assert "成都市高新区疫情关爱援助热线" in twiml.said()
    assert voice.services.queues.waiting("chengdu-gaoxin") == [sid]
    voice.flush()
    with voice.services.db.session() as session:
        from hotline.store.calls import find

        call = find(session, sid)
        assert (call.status, call.line_id, call.dialled_number) == ("queued", "chengdu-gaoxin", GAOXIN)
        assert call.caller_key and CALLER not in call.caller_key


def test_menu_then_crisis_digit_jumps_the_queue(voice):
    voice.staff("sichuan")
    first = new_call_sid()
    voice.post("/voice/incoming", call_params(first, SICHUAN, "+8613800000001"))
    voice.post("/voice/menu?line=sichuan", call_params(first, SICHUAN, "+8613800000001", Digits="1"))
    crisis = new_call_sid()
    menu = voice.post("/voice/incoming", call_params(crisis, SICHUAN, CALLER))
    assert menu.verbs()[:2] == ["Say", "Gather"]
    assert "请按0" in menu.find("Gather/Say").text
    queued = voice.post("/voice/menu?line=sichuan", call_params(crisis, SICHUAN, CALLER, Digits="0"))
    assert queued.find("Enqueue").text == "sichuan"
    assert voice.services.queues.waiting("sichuan") == [crisis, first]
    assert voice.services.queues.position(crisis).priority == PRIORITY_CRISIS


def test_menu_without_input_still_enqueues(voice):
    voice.staff("sichuan")
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, SICHUAN, CALLER))
    twiml = voice.post("/voice/menu?line=sichuan&timeout=1", call_params(sid, SICHUAN, CALLER))
    assert twiml.find("Enqueue").text == "sichuan"


def test_closed_line_says_when_it_opens_and_transfers_to_open_fallback(voice):
    voice.at(local(2026, 11, 23, 20, 0))   # Monday 20:00: Sichuan (8-18) closed
    twiml = voice.post("/voice/incoming", call_params(new_call_sid(), SICHUAN, CALLER))
    said = twiml.said()
    assert "不在服务时间" in said and "明天8点" in said
    # nobody staffs the hosted fallbacks, so the first open external line of the chain
    assert twiml.find("Dial/Number").text == DEYANG
    assert query_param(twiml.attr("Dial", "action"), "line") == "deyang"


def test_closed_line_goes_to_staffed_hosted_fallback_queue(voice):
    voice.at(local(2026, 11, 23, 20, 0))
    voice.staff("chengdu")
    sid = new_call_sid()
    twiml = voice.post("/voice/incoming", call_params(sid, SICHUAN, CALLER))
    assert twiml.find("Enqueue").text == "chengdu"
    assert voice.services.queues.waiting("chengdu") == [sid]


def test_unstaffed_round_the_clock_line_falls_back_with_alert(voice):
    twiml = voice.post("/voice/incoming", call_params(new_call_sid(), CHENGDU_24H, CALLER))
    # Chengdu is unstaffed: its chain (Sichuan, Gaoxin: hosted, unstaffed) leads to Deyang
    assert twiml.find("Dial/Number").text == DEYANG
    assert {line for e in voice.events("coverage.alert") for line in e["lines"]} >= {"chengdu", "sichuan"}


def test_open_but_unstaffed_raises_coverage_alert_and_reroutes(voice):
    twiml = voice.post("/voice/incoming", call_params(new_call_sid(), GAOXIN, CALLER))
    assert "咨询师暂时都不在线" in twiml.said()
    assert twiml.find("Dial/Number") is not None
    assert {line for e in voice.events("coverage.alert") for line in e["lines"]} >= {"chengdu-gaoxin"}


def test_counselors_on_break_do_not_staff_a_line(voice):
    voice.staff("chengdu-gaoxin", state="break")
    twiml = voice.post("/voice/incoming", call_params(new_call_sid(), GAOXIN, CALLER))
    assert twiml.find("Enqueue") is None


def test_never_transfers_to_a_closed_number(voice):
    voice.at(local(2026, 11, 24, 3, 0))   # Tuesday 03:00: only round-the-clock numbers open
    twiml = voice.post("/voice/incoming", call_params(new_call_sid(), SICHUAN, CALLER))
    number = twiml.find("Dial/Number").text
    directory = voice.services.directory
    line, entry = directory.by_number(number)
    assert entry.is_open(local(2026, 11, 24, 3, 0))
    assert number != SICHUAN
