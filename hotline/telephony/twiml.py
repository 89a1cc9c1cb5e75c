"""Routing decisions rendered as TwiML with the twilio library.

Only this module knows TwiML. URLs are relative: Twilio resolves them against the
public URL it called, which is also what the signature check uses.
"""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlencode

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from hotline.routing.decision import ClosedNotice, Enqueue, NothingOpen, Transfer
from hotline.routing.directory import Directory, Menu
from hotline.telephony import prompts

VOICEMAIL_MAX_S = 120
# XML 1.0 forbids these characters even escaped; ElementTree writes them raw, so a request
# field echoed into TwiML (a garbled CallSid in a conference name) would make Twilio's parser
# fail and the caller hear an application error.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_xml(response: VoiceResponse) -> str:
    """The TwiML text we send: always a document Twilio's XML parser accepts."""
    return _NOT_XML.sub("", str(response))


def url(path: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"/voice/{path}" + (f"?{query}" if query else "")


def say(response, text: str) -> None:
    response.say(text, **prompts.VOICE)


def route_key(decision, greet: str | None = None) -> tuple | None:
    """All of a decision that `render(decision, directory, now, greet)` reads, when it reads no
    clock: for one directory, equal keys give equal documents (they name the line, its menu's
    words, the number, the notice and the greeting, nothing of the call: not the queue priority
    nor the wait limit, which stay with us). None when a closed notice says when the line opens:
    that document depends on `now`."""
    notice = decision.notice
    if notice is not None and prompts.notice_reads_clock(notice.reason, notice.opens_at):
        return None
    if isinstance(decision, Enqueue):
        menu_words = decision.menu.prompt if decision.menu is not None else None
        return ("enqueue", decision.line_id, decision.menu is not None, menu_words, notice, greet)
    if isinstance(decision, Transfer):
        return ("transfer", decision.line_id, decision.number, decision.send_digits, notice, greet)
    return ("nothing-open", decision.line_id, decision.always_open_numbers, notice, greet)


def render(decision, directory: Directory, now: datetime, greet: str | None = None) -> VoiceResponse:
    response = VoiceResponse()
    if greet:
        say(response, greet)
    if isinstance(decision, Enqueue):
        _enqueue(response, decision, directory, now)
    elif isinstance(decision, Transfer):
        _transfer(response, decision, directory, now)
    else:
        _nothing_open(response, decision, directory, now)
    return response


def _notice_text(notice: ClosedNotice | None, target_name: str | None, directory: Directory, now) -> str:
    if notice is None:
        return ""
    zone = directory.get(notice.line_id).timezone if directory.get(notice.line_id) else "Asia/Shanghai"
    return prompts.closed_notice(notice.reason, notice.line_name, notice.opens_at, now, zone, target_name)


def _enqueue(response, decision: Enqueue, directory: Directory, now) -> None:
    line = directory.get(decision.line_id)
    if decision.notice:
        say(response, _notice_text(decision.notice, line.name, directory, now))
    if decision.menu is not None:
        menu(response, decision.line_id, decision.menu)
        return
    enqueue(response, decision.line_id)


def menu(response, line_id: str, line_menu: Menu) -> None:
    gather = Gather(num_digits=1, action=url("menu", line=line_id), method="POST", timeout=6)
    gather.say(line_menu.prompt, **prompts.VOICE)
    response.append(gather)
    response.redirect(url("menu", line=line_id, timeout=1), method="POST")


def enqueue(response, line_id: str) -> None:
    response.enqueue(line_id, wait_url=url("wait", line=line_id), wait_url_method="POST",
                     action=url("queue-result", line=line_id), method="POST")


def _transfer(response, decision: Transfer, directory: Directory, now) -> None:
    target = directory.get(decision.line_id)
    text = _notice_text(decision.notice, target.name, directory, now)
    say(response, text or f"正在为您转接{target.name}，请稍候。")
    dial = Dial(action=url("dial-result", line=decision.line_id), method="POST", timeout=30,
                caller_id=None)
    dial.number(decision.number, send_digits=_dtmf(decision.send_digits))
    response.append(dial)


def _dtmf(digits: str) -> str | None:
    """Wait a second after the far end answers ('ww') before sending the extension."""
    return f"ww{digits}" if digits else None


def _nothing_open(response, decision: NothingOpen, directory: Directory, now) -> None:
    notice = _notice_text(decision.notice, None, directory, now)
    say(response, prompts.nothing_open(notice, list(decision.always_open_numbers)))
    voicemail(response, decision.line_id)


def voicemail(response, line_id: str | None) -> None:
    say(response, prompts.VOICEMAIL)
    response.record(action=url("voicemail", line=line_id), method="POST", max_length=VOICEMAIL_MAX_S,
                    play_beep=True, timeout=5)
    say(response, prompts.VOICEMAIL_THANKS)
    response.hangup()


def wait_loop(position_text: str, line_id: str, breathing: bool, pause_s: int) -> VoiceResponse:
    """One round of the waiting caller's loop; Twilio requests the wait URL again after it."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=url("wait-key", line=line_id), method="POST", timeout=1)
    gather.say(position_text + prompts.LEAVE_MESSAGE_HINT, **prompts.VOICE)
    if breathing:
        gather.say(prompts.BREATHING, **prompts.VOICE)
    response.append(gather)
    response.pause(length=pause_s)
    return response


def leave_queue() -> VoiceResponse:
    response = VoiceResponse()
    response.leave()
    return response


def bridge_to_counselor(identity: str, call_sid: str) -> VoiceResponse:
    response = VoiceResponse()
    say(response, prompts.CONNECTING)
    dial = Dial(action=url("bridge-result", call=call_sid), method="POST", timeout=25)
    dial.client(identity)
    response.append(dial)
    return response


def pause(seconds: int) -> VoiceResponse:
    response = VoiceResponse()
    response.pause(length=seconds)
    return response


def hangup(text: str | None = None) -> VoiceResponse:
    response = VoiceResponse()
    if text:
        say(response, text)
    response.hangup()
    return response


def empty() -> VoiceResponse:
    return VoiceResponse()
