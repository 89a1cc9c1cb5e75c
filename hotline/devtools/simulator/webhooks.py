"""Signed webhook requests, exactly as Twilio sends them.

Form-encoded POST (or GET with the parameters in the query), signed with
X-Twilio-Signature over the *public* URL, sent to the next server process.
Every failure is recorded on the call with the URL that failed.
"""
from __future__ import annotations

import asyncio
import time
from typing import Mapping, Protocol
from urllib.parse import urlencode

import aiohttp
from twilio.request_validator import RequestValidator

from hotline.devtools.simulator.record import CallRecord
from hotline.devtools.simulator.steps import Fetch, WebhookError
from hotline.devtools.simulator.twiml import Document, TwimlError, parse
from hotline.devtools.simulator.urls import UrlMapper

USER_AGENT = "TwilioProxy/1.1 (hotline-simulator)"


class CallLike(Protocol):
    record: CallRecord

    def params(self) -> dict[str, str]: ...


def signed(validator: RequestValidator, public_url: str, method: str,
           params: Mapping[str, str]) -> tuple[str, dict[str, str], str]:
    """(URL to sign and request, form body, signature); GET carries params in the query."""
    if method.upper() == "GET":
        joiner = "&" if "?" in public_url else "?"
        url = public_url + (joiner + urlencode(params) if params else "")
        return url, {}, validator.compute_signature(url, {})
    return public_url, dict(params), validator.compute_signature(public_url, dict(params))


class WebhookClient:
    def __init__(self, session: aiohttp.ClientSession, mapper: UrlMapper, auth_token: str,
                 timeout: float = 15.0) -> None:
        self.session = session
        self.mapper = mapper
        self.validator = RequestValidator(auth_token)
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.latencies_ms: list[float] = []

    async def document(self, call: CallLike, fetch: Fetch) -> Document:
        """Request a TwiML document; any failure ends the call (Twilio's 'application error')."""
        body = await self._request(call, fetch.url, fetch.method, fetch.params)
        try:
            return parse(body, fetch.url)
        except TwimlError as exc:
            raise self._failed(call, fetch.url, str(exc)) from None

    async def notify(self, call: CallLike, url: str, params: Mapping[str, str], method: str = "POST") -> None:
        """A request whose answer is ignored (status callbacks, actions after hang-up)."""
        try:
            await self._request(call, url, method, params)
        except WebhookError:
            pass   # already recorded on the call

    async def _request(self, call: CallLike, url: str, method: str, extra: Mapping[str, str]) -> bytes:
        params = {**call.params(), **extra}
        sign_url, form, signature = signed(self.validator, url, method, params)
        send_url = self.mapper.next_send_url(sign_url)
        headers = {"X-Twilio-Signature": signature, "User-Agent": USER_AGENT}
        call.record.webhooks += 1
        started = time.perf_counter()
        try:
            async with self.session.request(method.upper(), send_url, data=form or None, headers=headers,
                                            timeout=self.timeout, allow_redirects=False) as response:
                body = await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            self._took(started)
            raise self._failed(call, url, f"{type(exc).__name__}: {exc}".strip(": ")) from None
        self._took(started)
        if not 200 <= response.status < 300:
            raise self._failed(call, url, f"HTTP {response.status}")
        return body

    def _took(self, started: float) -> None:
        """Latency of a finished request (a request cut off by a REST redirect is not one)."""
        self.latencies_ms.append((time.perf_counter() - started) * 1000)

    def _failed(self, call: CallLike, url: str, reason: str) -> WebhookError:
        call.record.errors.append({"url": self.mapper.relative(url), "reason": reason})
        return WebhookError(url, reason)
