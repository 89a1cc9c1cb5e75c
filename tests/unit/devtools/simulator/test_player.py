"""Each TwiML verb, followed the way Twilio follows it (no server: FakeHooks)."""
from __future__ import annotations

import asyncio

from tests.unit.devtools.simulator.fakes import make_call, response

INCOMING = "/voice/incoming"


def run(pages, **kwargs):
    call, hooks = make_call(pages, **kwargs)
    record = asyncio.run(call.run())
    return record, hooks, call


def test_say_and_document_end_complete_the_call():
    record, hooks, _ = run({INCOMING: response("<Say>您好</Say>", '<Pause length="2"/>', "<Play>a.mp3</Play>")})
    assert record.said == ["您好"] and record.outcome == "completed" and record.ended_by == "twiml-end"
    assert hooks.to(INCOMING)[0]["CallStatus"] == "ringing"
    final = hooks.to("/voice/status")[-1]
    assert final["CallStatus"] == "completed" and final["SequenceNumber"] == "0"


def test_gather_posts_digits_to_its_action():
    pages = {INCOMING: response('<Gather numDigits="1" action="menu?line=a"><Say>请按1</Say></Gather>'),
             "/voice/menu": response("<Hangup/>")}
    record, hooks, _ = run(pages, digits="3")
    assert hooks.to("/voice/menu")[0]["Digits"] == "3" and record.pressed == ["3"]
    assert hooks.requests[1][0] == "/voice/menu?line=a" and record.ended_by == "hangup"


def test_gather_without_input_falls_through_to_the_next_verb():
    pages = {INCOMING: response('<Gather action="menu" timeout="1"><Say>请按1</Say></Gather>',
                                "<Redirect>next</Redirect>"),
             "/voice/next": response("<Say>下一步</Say>")}
    record, hooks, _ = run(pages, digits="-")
    assert hooks.to("/voice/menu") == [] and record.said == ["请按1", "下一步"]


def test_gather_on_empty_result_and_default_action():
    answers = iter([response('<Gather actionOnEmptyResult="true" timeout="1"/>'), response("<Hangup/>")])
    _, hooks, _ = run({INCOMING: lambda params: next(answers)}, digits="-")
    assert [p.get("Digits") for p in hooks.to(INCOMING)] == [None, ""]   # posted back to the same document


def test_random_digits_respect_num_digits():
    pages = {INCOMING: response('<Gather numDigits="3" action="menu"/>'), "/voice/menu": response()}
    _, hooks, _ = run(pages, digits="random")
    digits = hooks.to("/voice/menu")[0]["Digits"]
    assert len(digits) == 3 and digits.isdigit()


def test_redirect_with_get_and_reject_busy():
    pages = {INCOMING: response('<Redirect method="GET">/voice/closed</Redirect>'),
             "/voice/closed": response('<Reject reason="busy"/>')}
    record, hooks, _ = run(pages)
    assert hooks.requests[1][2] == "GET" and record.ended_by == "rejected"
    assert hooks.to("/voice/status")[-1]["CallStatus"] == "busy"


def test_record_is_voicemail_and_ignores_the_answer():
    pages = {INCOMING: response('<Say>请留言</Say><Record action="voicemail" maxLength="60" '
                                'recordingStatusCallback="rec-status"/><Say>never</Say>')}
    record, hooks, _ = run(pages)
    posted = hooks.to("/voice/voicemail")[0]
    assert posted["Digits"] == "hangup" and posted["RecordingUrl"].startswith("http://127.0.0.1/sim/recordings/RE")
    assert int(posted["RecordingDuration"]) >= 1 and posted["RecordingSid"].startswith("RE")
    assert hooks.to("/voice/rec-status")[0]["RecordingStatus"] == "completed"
    assert record.outcome == "voicemail" and "never" not in record.said


def test_dial_number_is_a_transfer():
    pages = {INCOMING: response('<Dial action="dial-result" timeout="20"><Number sendDigits="ww4">'
                                "+862812320</Number></Dial><Say>never</Say>")}
    record, hooks, _ = run(pages)
    result = hooks.to("/voice/dial-result")[0]
    assert result["DialCallStatus"] == "completed" and result["DialCallDuration"].isdigit()
    assert record.dialled == [{"number": "+862812320", "send_digits": "ww4"}]
    assert record.outcome == "transferred" and "never" not in record.said


def test_dial_client_is_answered_with_an_in_progress_callback():
    pages = {INCOMING: response('<Dial action="bridge-result"><Client>counselor-7</Client></Dial>')}
    record, hooks, _ = run(pages)
    statuses = [p["CallStatus"] for p in hooks.to("/voice/status")]
    assert statuses == ["in-progress", "completed"]
    assert [p["SequenceNumber"] for p in hooks.to("/voice/status")] == ["0", "1"]
    assert record.clients == ["counselor-7"] and record.outcome == "answered"
    assert len(hooks.to("/voice/bridge-result")) == 1


def test_enqueue_wait_loop_until_leave():
    waits = []

    def wait(params):
        waits.append(params)
        return response("<Leave/>") if len(waits) == 3 else response("<Say>请稍候</Say>", '<Pause length="1"/>')
    pages = {INCOMING: response('<Enqueue waitUrl="wait" action="queue-result">chengdu</Enqueue>'),
             "/voice/wait": wait, "/voice/queue-result": response("<Say>转接</Say>")}
    record, hooks, _ = run(pages)
    assert len(waits) == 3 and waits[0]["QueuePosition"] == "1" and waits[0]["QueueSid"].startswith("QU")
    result = hooks.to("/voice/queue-result")[0]
    assert result["QueueResult"] == "leave" and result["QueueSid"] == waits[0]["QueueSid"] and "QueueTime" in result
    assert record.queue_lines == ["chengdu"] and record.wait_s is not None and record.said[-1] == "转接"


def test_gather_in_the_wait_document_can_leave():
    pages = {INCOMING: response('<Enqueue waitUrl="wait" action="queue-result">a</Enqueue>'),
             "/voice/wait": response('<Gather numDigits="1" action="wait-key" timeout="1"><Say>按1留言</Say></Gather>'),
             "/voice/wait-key": response("<Leave/>"), "/voice/queue-result": response("<Hangup/>")}
    record, hooks, _ = run(pages, digits="1")
    assert hooks.to("/voice/wait-key")[0]["Digits"] == "1"
    assert hooks.to("/voice/queue-result")[0]["QueueResult"] == "leave"


def test_patience_runs_out_in_the_queue():
    pages = {INCOMING: response('<Enqueue waitUrl="wait" action="queue-result">a</Enqueue>'),
             "/voice/wait": response('<Pause length="5"/>')}
    record, hooks, _ = run(pages, patience_mean=20, time_scale=0.005)
    assert hooks.to("/voice/queue-result")[0]["QueueResult"] == "hangup"
    assert record.outcome == "abandoned" and record.ended_by == "abandoned"
    assert hooks.to("/voice/status")[-1]["CallStatus"] == "completed"


def test_enqueue_without_action_continues_with_the_next_verb():
    pages = {INCOMING: response('<Enqueue waitUrl="wait">a</Enqueue><Say>之后</Say>'),
             "/voice/wait": response("<Leave/>")}
    record, _, _ = run(pages)
    assert record.said == ["之后"]


def test_unknown_verb_and_bad_twiml_are_errors():
    record, _, _ = run({INCOMING: response("<Dance/>")})
    assert record.outcome == "error" and "Dance" in record.errors[0]["reason"]
    record, hooks, _ = run({INCOMING: "oops"})
    assert record.outcome == "error" and hooks.to("/voice/status")


def test_final_status_callback_can_be_retried_identically():
    _, hooks, _ = run({INCOMING: response("<Hangup/>")}, retry_status_prob=1.0)
    first, second = hooks.to("/voice/status")
    assert first == second and first["CallStatus"] == "completed" and first["Timestamp"].endswith("+0000")
