"""<Enqueue>: wait in a queue, replaying the wait URL, until something ends the wait.

The wait ends with <Leave/> (action: QueueResult=leave), the caller's patience
running out (action: QueueResult=hangup, then the call ends), or a REST command
moving the call (the task is cancelled; the new URL is followed, no action).
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from hotline.devtools.simulator.sids import queue_sid
from hotline.devtools.simulator.steps import LEAVE, CallEnded, Fetch, Step
from hotline.devtools.simulator.twiml import Document, Verb

if TYPE_CHECKING:
    from hotline.devtools.simulator.queues import Member
    from hotline.devtools.simulator.twiml_player import Player

HOLD_MUSIC_S = 30.0        # one pass of Twilio's default playlist when there is no waitUrl
MIN_ROUND_S = 1.0          # a wait document that takes no time is replayed no faster than this


async def enqueue(player: "Player", verb: Verb, document: Document) -> Step:
    if player.in_queue:
        return None                       # Twilio refuses nested <Enqueue>; nothing to do
    call = player.call
    member = call.join_queue(verb.text or "default")
    result = "leave"
    try:
        if not await _wait(player, verb, document, member):
            result = "hangup"
    finally:
        waited = int(member.waited)
        call.leave_queue()
    return await _after(player, verb, document, member, result, waited)


async def _after(player: "Player", verb: Verb, document: Document, member: "Member",
                 result: str, waited: int) -> Step:
    params = {"QueueResult": result, "QueueSid": queue_sid(member.queue), "QueueTime": str(waited)}
    action = verb.attr("action")
    method = (verb.attr("method") or "POST").upper()
    if result == "hangup":
        player.call.record.abandoned = True
        player.call.status = "completed"
        if action:
            await player.call.shared.hooks.notify(player.call, player.url(action, document), params, method)
        raise CallEnded("abandoned")
    return Fetch(player.url(action, document), method, params) if action else None


async def _wait(player: "Player", verb: Verb, document: Document, member: "Member") -> bool:
    """True when the caller left by <Leave/>, False when their patience ran out."""
    deadline = player.call.patience_deadline
    try:
        async with asyncio.timeout_at(deadline):
            await _wait_loop(player, verb, document, member)
            return True
    except TimeoutError:
        if deadline is not None and asyncio.get_running_loop().time() >= deadline:
            return False
        raise


async def _wait_loop(player: "Player", verb: Verb, document: Document, member: "Member") -> None:
    call = player.call
    wait_url = verb.attr("waitUrl")
    method = (verb.attr("waitUrlMethod") or "POST").upper()
    waiting = type(player)(call, in_queue=True)      # the same player, in the queue's context
    loop = asyncio.get_running_loop()
    while True:
        if not wait_url:
            await asyncio.sleep(player.behaviour.seconds(HOLD_MUSIC_S))
            continue
        started = loop.time()
        params = call.shared.queues.wait_params(member)
        wait_doc = await call.shared.hooks.document(call, Fetch(player.url(wait_url, document), method, params))
        if await waiting.run(wait_doc) is LEAVE:
            return
        if loop.time() - started < player.behaviour.seconds(MIN_ROUND_S):
            await asyncio.sleep(player.behaviour.seconds(MIN_ROUND_S))
