"""<Record>: the caller speaks a short message, then hangs up."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from hotline.devtools.simulator.sids import new_sid
from hotline.devtools.simulator.twiml import Document, Verb

if TYPE_CHECKING:
    from hotline.devtools.simulator.twiml_player import Player

RECORDINGS_BASE = "http://127.0.0.1/sim/recordings/"


async def record_message(player: "Player", verb: Verb, document: Document) -> None:
    call = player.call
    speaking = player.behaviour.message(verb.number("maxLength", 3600))
    await asyncio.sleep(player.behaviour.seconds(0.5) + speaking)     # the beep, then the message
    call.record.recordings += 1
    sid = new_sid("RE")
    recording = {"RecordingUrl": RECORDINGS_BASE + sid, "RecordingSid": sid,
                 "RecordingDuration": str(max(1, round(speaking)))}
    call.status = "completed"
    hooks = call.shared.hooks
    await hooks.notify(call, player.url(verb.attr("action"), document), {**recording, "Digits": "hangup"},
                       (verb.attr("method") or "POST").upper())
    callback = verb.attr("recordingStatusCallback")
    if callback:
        await hooks.notify(call, player.url(callback, document),
                           {**recording, "RecordingStatus": "completed", "RecordingChannels": "1",
                            "RecordingSource": "RecordVerb"},
                           (verb.attr("recordingStatusCallbackMethod") or "POST").upper())
