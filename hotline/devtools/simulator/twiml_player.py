"""Follow a TwiML document verb by verb, as Twilio does for the caller.

Say/Play/Pause take (scaled) time, Gather presses the caller's keys, Redirect and
actions fetch the next document; Enqueue and Dial live in their own modules.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Awaitable, Callable

from hotline.devtools.simulator.dial import dial
from hotline.devtools.simulator.enqueue import enqueue
from hotline.devtools.simulator.steps import LEAVE, CallEnded, Fetch, Step, WebhookError
from hotline.devtools.simulator.twiml import Document, Verb
from hotline.devtools.simulator.voicemail import record_message

if TYPE_CHECKING:
    from hotline.devtools.simulator.call import SimCall

log = logging.getLogger(__name__)
IGNORED = {"Sms", "Message", "Start", "Stop", "Echo", "Connect", "Pay", "Prompt", "Refer", "Parameter"}
LOOP_CAP = 10      # loop="0" (forever) is played this many times


class Player:
    def __init__(self, call: "SimCall", in_queue: bool = False) -> None:
        self.call = call
        self.in_queue = in_queue
        self.behaviour = call.behaviour
        self.handlers: dict[str, Callable[[Verb, Document], Awaitable[Step]]] = {
            "Say": self.say, "Play": self.play_audio, "Pause": self.pause, "Gather": self.gather,
            "Redirect": self.redirect, "Hangup": self.hangup, "Reject": self.reject, "Leave": self.leave,
            "Record": self.record_message, "Enqueue": lambda v, d: enqueue(self, v, d),
            "Dial": lambda v, d: dial(self, v, d)}

    async def run(self, document: Document) -> Step:
        """Play documents until one ends (None) or, in a queue, a <Leave/> (LEAVE)."""
        while True:
            step = await self.play(document)
            if not isinstance(step, Fetch):
                return step
            document = await self.call.shared.hooks.document(self.call, step)

    async def play(self, document: Document) -> Step:
        for verb in document.verbs:
            step = await self.verb(verb, document)
            if step is not None:
                return step
        return None

    async def verb(self, verb: Verb, document: Document) -> Step:
        handler = self.handlers.get(verb.name)
        if handler is not None:
            return await handler(verb, document)
        if verb.name in IGNORED:
            log.debug("ignoring <%s> (not simulated)", verb.name)
            return None
        raise self.invalid(document, f"未知动词 / unknown verb <{verb.name}>")

    # --- helpers ---------------------------------------------------------------
    def url(self, ref: str | None, document: Document) -> str:
        """A URL from TwiML, resolved against its document, on the public base."""
        return self.call.shared.mapper.public_url(ref or document.url, document.url)

    def invalid(self, document: Document, reason: str) -> WebhookError:
        """TwiML Twilio would refuse: an application error, counted like an HTTP one."""
        self.call.record.errors.append({"url": self.call.shared.mapper.relative(document.url), "reason": reason})
        return WebhookError(document.url, reason)

    @staticmethod
    def loops(verb: Verb) -> int:
        count = int(verb.number("loop", 1))
        return LOOP_CAP if count <= 0 else count

    # --- verbs -------------------------------------------------------------------
    async def say(self, verb: Verb, document: Document) -> Step:
        self.call.record.said.append(verb.text)
        await asyncio.sleep(self.behaviour.say(verb.text, self.loops(verb)))
        return None

    async def play_audio(self, verb: Verb, document: Document) -> Step:
        if verb.attr("digits"):
            await asyncio.sleep(self.behaviour.seconds(0.2 * len(verb.attr("digits") or "")))
        else:
            await asyncio.sleep(self.behaviour.play(self.loops(verb)))
        return None

    async def pause(self, verb: Verb, document: Document) -> Step:
        await asyncio.sleep(self.behaviour.seconds(verb.number("length", 1)))
        return None

    async def gather(self, verb: Verb, document: Document) -> Step:
        """Prompts first, then the caller's keys; no keys falls through to the next verb."""
        for child in verb.children:
            if child.name in ("Say", "Play", "Pause"):
                await self.verb(child, document)
        num_digits = int(verb.number("numDigits", 0)) or None
        digits = self.behaviour.digits(num_digits)
        action = Fetch(self.url(verb.attr("action"), document), (verb.attr("method") or "POST").upper())
        if digits:
            self.call.record.pressed.append(digits)
            await asyncio.sleep(self.behaviour.think())
            finished = "" if num_digits and len(digits) >= num_digits else verb.attr("finishOnKey", "#")
            return Fetch(action.url, action.method, {"Digits": digits, "FinishedOnKey": finished or ""})
        await asyncio.sleep(self.behaviour.seconds(verb.number("timeout", 5)))
        if (verb.attr("actionOnEmptyResult") or "").lower() == "true":
            return Fetch(action.url, action.method, {"Digits": ""})
        return None

    async def redirect(self, verb: Verb, document: Document) -> Step:
        if not verb.text:
            raise self.invalid(document, "<Redirect> 缺少 URL / <Redirect> without a URL")
        return Fetch(self.url(verb.text, document), (verb.attr("method") or "POST").upper())

    async def hangup(self, verb: Verb, document: Document) -> Step:
        raise CallEnded("hangup")

    async def reject(self, verb: Verb, document: Document) -> Step:
        self.call.final_status = "busy" if verb.attr("reason") == "busy" else "no-answer"
        raise CallEnded("rejected")

    async def leave(self, verb: Verb, document: Document) -> Step:
        return LEAVE if self.in_queue else None

    async def record_message(self, verb: Verb, document: Document) -> Step:
        """The caller leaves a message and hangs up (Digits=hangup); the answer is not played."""
        await record_message(self, verb, document)
        raise CallEnded("voicemail")
