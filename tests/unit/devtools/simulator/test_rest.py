"""REST commands from Hotline: parsing, and what they do to a live call."""
from __future__ import annotations

import asyncio
import json

from hotline.devtools.simulator.rest import apply, parse_command
from hotline.devtools.simulator.sids import queue_sid
from hotline.devtools.simulator.steps import Fetch, Inline, Terminate
from hotline.devtools.simulator.urls import UrlMapper
from tests.unit.devtools.simulator.fakes import PUBLIC, make_call, response

CA = "CA" + "1" * 32
QU = "QU" + "2" * 32
API = "https://api.twilio.com/2010-04-01/Accounts/AC" + "0" * 32
MAPPER = UrlMapper(["http://127.0.0.1:5001"], PUBLIC)


def command(url: str, data: dict) -> bytes:
    return json.dumps({"method": "POST", "url": url, "data": data}).encode()


def test_parse_member_update():
    parsed = parse_command(command(f"{API}/Queues/{QU}/Members/{CA}.json",
                                   {"Url": "http://127.0.0.1:5001/voice/bridge?call=x", "Method": "POST"}), MAPPER)
    assert (parsed.kind, parsed.call_sid, parsed.queue_sid) == ("member", CA, QU)
    assert parsed.program == Fetch(PUBLIC + "/voice/bridge?call=x", "POST")


def test_parse_calls_updates():
    url = f"{API}/Calls/{CA}.json"
    assert parse_command(command(url, {"Status": "completed"}), MAPPER).program == Terminate("rest-completed")
    assert isinstance(parse_command(command(url, {"Twiml": "<Response/>"}), MAPPER).program, Inline)
    assert parse_command(command(url, {"Url": "/voice/x"}), MAPPER).program.url == PUBLIC + "/voice/x"


def test_parse_front_member_and_junk():
    assert parse_command(command(f"{API}/Queues/{QU}/Members/Front.json", {"Url": "/x"}), MAPPER).call_sid is None
    assert parse_command(b"not json", MAPPER) is None
    assert parse_command(command(f"{API}/Queues.json", {"FriendlyName": "a"}), MAPPER) is None
    assert parse_command(command(f"{API}/Calls/{CA}.json", {"StatusCallback": "x"}), MAPPER) is None


def test_unknown_calls_are_ignored():
    parsed = parse_command(command(f"{API}/Calls/{CA}.json", {"Status": "completed"}), MAPPER)
    assert apply(parsed, {}, lambda sid: None) is False


def _queued_call():
    pages = {"/voice/incoming": response('<Enqueue waitUrl="wait" action="queue-result">a</Enqueue>'),
             "/voice/wait": response('<Pause length="1"/>'),
             "/voice/bridge": response('<Dial action="bridge-result"><Client>c1</Client></Dial>')}
    return make_call(pages, talk_mean=100, time_scale=0.01)


async def _until(predicate, timeout=2.0):
    for _ in range(int(timeout / 0.005)):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not reached")


def test_member_update_moves_a_queued_call_to_a_counselor_and_status_ends_it():
    call, hooks = _queued_call()

    async def scenario():
        task = asyncio.create_task(call.run())
        await _until(lambda: len(hooks.to("/voice/wait")) >= 2)
        front = call.shared.queues.front(queue_sid("a"))
        assert front == call.record.call_sid
        assert call.dequeue(Fetch(PUBLIC + "/voice/bridge"))
        await _until(lambda: call.bridged)
        assert call.dequeue(Fetch(PUBLIC + "/voice/bridge")) is False     # no longer queued
        assert call.command(Terminate("rest-completed"))
        return await task
    record = asyncio.run(scenario())
    assert record.outcome == "answered" and record.ended_by == "rest-completed"
    assert hooks.to("/voice/queue-result") == [] and hooks.to("/voice/bridge-result") == []
    assert call.command(Terminate()) is False                               # call already over


def test_calls_update_with_twiml_replaces_what_the_call_does():
    call, hooks = _queued_call()

    async def scenario():
        task = asyncio.create_task(call.run())
        await _until(lambda: hooks.to("/voice/wait"))
        call.command(Inline(response("<Say>再见</Say><Hangup/>"), PUBLIC + "/"))
        return await task
    record = asyncio.run(scenario())
    assert record.said[-1] == "再见" and record.ended_by == "hangup" and record.wait_s is not None


def test_member_update_before_the_enqueue_is_kept_until_the_call_queues():
    call, hooks = _queued_call()

    async def scenario():
        assert call.dequeue(Fetch(PUBLIC + "/voice/bridge"))
        task = asyncio.create_task(call.run())
        await _until(lambda: call.bridged)
        call.command(Terminate())
        return await task
    record = asyncio.run(scenario())
    assert record.outcome == "answered" and record.queue_lines == ["a"]
