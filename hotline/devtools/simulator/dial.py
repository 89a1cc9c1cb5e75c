"""<Dial>: a transfer to an external line (<Number>), a bridge to a counselor (<Client>), or the
call's conference (<Conference>, played by conference.py).

Either way the conversation ends when the caller hangs up after their talk time;
Twilio then requests the Dial action (its answer is not played: the caller is gone)
and the call is over. A REST command may end or move a bridged call earlier.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from hotline.devtools.simulator.conference import caller_joins
from hotline.devtools.simulator.callbacks import send_status
from hotline.devtools.simulator.sids import new_sid
from hotline.devtools.simulator.steps import CallEnded, Step
from hotline.devtools.simulator.twiml import Document, Verb

if TYPE_CHECKING:
    from hotline.devtools.simulator.twiml_player import Player


async def dial(player: "Player", verb: Verb, document: Document) -> Step:
    clients = [_identity(n) for n in verb.children if n.name == "Client"]
    numbers = [n for n in verb.children if n.name == "Number"]
    rooms = [n for n in verb.children if n.name == "Conference"]
    if rooms:
        return await _conference(player, verb, document, rooms[0])
    if clients:
        return await _bridge(player, verb, document, clients[0])
    if numbers:
        return await _transfer(player, verb, document, numbers[0].text, numbers[0].attr("sendDigits") or "")
    if verb.text and not verb.children:
        return await _transfer(player, verb, document, verb.text, "")
    raise player.invalid(document, "<Dial> 需要 <Number> 或 <Client> / <Dial> without <Number> or <Client>")


def _identity(noun: Verb) -> str:
    """<Client>alice</Client> or <Client><Identity>alice</Identity></Client>."""
    nested = [c.text for c in noun.children if c.name == "Identity"]
    return nested[0] if nested else noun.text


async def _transfer(player: "Player", verb: Verb, document: Document, number: str, send_digits: str) -> Step:
    call = player.call
    call.record.dialled.append({"number": number, "send_digits": send_digits})
    await asyncio.sleep(player.behaviour.ring(verb.number("timeout", 30)))
    return await _talk_then_hang_up(player, verb, document, "transferred")


async def _bridge(player: "Player", verb: Verb, document: Document, identity: str) -> Step:
    call = player.call
    call.bridged = True
    call.record.clients.append(identity)
    await send_status(call, "in-progress")
    return await _talk_then_hang_up(player, verb, document, "answered")


async def _conference(player: "Player", verb: Verb, document: Document, noun: Verb) -> Step:
    """The caller in the call's conference until they hang up (or a REST command moves them);
    then the machine-played parties leave and the conference ends."""
    call = player.call
    call.bridged = True
    call.record.clients.append(f"conference:{noun.text}")
    status_url = player.url(noun.attr("statusCallback"), document) if noun.attr("statusCallback") else ""
    room = await caller_joins(call.shared, call, noun.text, noun.attr("participantLabel") or "caller",
                                         status_url)
    await send_status(call, "in-progress")
    try:
        return await _talk_then_hang_up(player, verb, document, "answered")
    finally:
        caller = room.party(call.record.call_sid)
        if caller is not None:
            await room.leave(call.shared, caller)
        await room.end(call.shared)


async def _talk_then_hang_up(player: "Player", verb: Verb, document: Document, how: str) -> Step:
    call = player.call
    started = asyncio.get_running_loop().time()
    limit = player.behaviour.seconds(verb.number("timeLimit", 14400))    # Twilio cuts the call there
    await asyncio.sleep(min(player.behaviour.talk(), limit))
    call.status = "completed"
    action = verb.attr("action")
    if action:
        talked = asyncio.get_running_loop().time() - started
        params = {"DialCallStatus": "completed", "DialCallSid": new_sid("CA"),
                  "DialCallDuration": str(int(talked)), "DialBridged": "true"}
        await call.shared.hooks.notify(call, player.url(action, document), params,
                                       (verb.attr("method") or "POST").upper())
    raise CallEnded(f"{how}-hangup")
