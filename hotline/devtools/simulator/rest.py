"""REST commands from Hotline, read from Redis instead of api.twilio.com.

In simulator mode Hotline's Twilio client sends its HTTP requests to the Redis list
`{prefix}:sim:rest` as JSON {"method", "url", "data"}. We act on the two requests
that move calls: a queue Members update (dequeue to a URL) and a Calls update
(redirect to a URL, run inline TwiML, or end the call).
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import redis.asyncio as aioredis

from hotline.devtools.simulator.steps import Fetch, Inline, Program, Terminate
from hotline.devtools.simulator.urls import UrlMapper

log = logging.getLogger(__name__)
_MEMBER = re.compile(r"/Queues/(QU[0-9a-fA-F]{32})/Members/(CA[0-9a-fA-F]{32}|Front)(?:\.json)?$")
_CALL = re.compile(r"/Calls/(CA[0-9a-fA-F]{32})(?:\.json)?$")


@dataclass(frozen=True)
class RestCommand:
    kind: str                   # "member" | "call"
    call_sid: str | None        # None: the front of the queue
    queue_sid: str | None
    program: Program


def parse_command(raw: bytes | str, mapper: UrlMapper) -> RestCommand | None:
    """The command in one list entry; None for anything that does not move a call."""
    try:
        message = json.loads(raw)
    except (ValueError, TypeError):
        log.warning("无法解析的 REST 命令 / unreadable REST command: %r", raw[:200])
        return None
    url = str(message.get("url") or "").split("?")[0]
    if str(message.get("method") or "POST").upper() != "POST":
        return None
    program = _program(_data(message.get("data")), mapper)
    if program is None:
        return None
    if match := _MEMBER.search(url):
        call_sid = None if match.group(2) == "Front" else match.group(2)
        return RestCommand("member", call_sid, match.group(1), program)
    if match := _CALL.search(url):
        return RestCommand("call", match.group(1), None, program)
    return None


def _data(raw: Any) -> Mapping[str, str]:
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items() if v is not None}
    if isinstance(raw, list):               # [[key, value], ...] as some HTTP layers send it
        return {str(k): str(v) for k, v in raw}
    return {}


def _program(data: Mapping[str, str], mapper: UrlMapper) -> Program | None:
    if data.get("Status") in ("completed", "canceled"):
        return Terminate(f"rest-{data['Status']}")
    if data.get("Twiml"):
        return Inline(data["Twiml"], mapper.public + "/")
    if data.get("Url"):
        return Fetch(mapper.public_url(data["Url"]), (data.get("Method") or "POST").upper())
    return None


def apply(command: RestCommand, live: Mapping[str, Any], front: Callable[[str], str | None]) -> bool:
    """Hand the command to its call; False when the call is not ours or already over."""
    call_sid = command.call_sid or front(command.queue_sid or "")
    call = live.get(call_sid or "")
    if call is None:
        log.debug("REST command for a call this simulator does not know: %s", call_sid)
        return False
    return call.dequeue(command.program) if command.kind == "member" else call.command(command.program)


class RestConsumer:
    """BLPOP loop on `{prefix}:sim:rest`; survives Redis hiccups."""

    def __init__(self, redis_url: str, prefix: str, handle: Callable[[bytes], None]) -> None:
        self.key = f"{prefix}:sim:rest"
        self.client = aioredis.Redis.from_url(redis_url, socket_timeout=10)
        self.handle = handle
        self.consumed = 0

    async def check(self) -> None:
        await self.client.ping()

    async def run(self) -> None:
        while True:
            try:
                item = await self.client.blpop([self.key], timeout=1)
            except (aioredis.RedisError, OSError) as exc:
                log.warning("Redis 读取失败，稍后重试 / Redis read failed, retrying: %s", exc)
                await asyncio.sleep(1.0)
                continue
            if item is not None:
                self.consumed += 1
                self.handle(item[1])

    async def close(self) -> None:
        await self.client.aclose()
