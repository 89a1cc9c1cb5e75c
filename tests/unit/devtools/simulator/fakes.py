"""In-memory stand-ins for the HTTP side, so verb handling is tested without a server."""
from __future__ import annotations

import random
from typing import Callable, Mapping

from hotline.devtools.simulator.behaviour import Behaviour, parse_digit_script
from hotline.devtools.simulator.call import Shared, SimCall
from hotline.devtools.simulator.config import SimConfig, Timing
from hotline.devtools.simulator.record import CallRecord
from hotline.devtools.simulator.targets import Target
from hotline.devtools.simulator.steps import WebhookError
from hotline.devtools.simulator.twiml import TwimlError, parse
from hotline.devtools.simulator.urls import UrlMapper

PUBLIC = "https://hotline.example.test"
Page = str | Callable[[Mapping[str, str]], str]


class FakeHooks:
    """Serves TwiML by path (query ignored) and records every request as (path_qs, params, method)."""

    def __init__(self, pages: Mapping[str, Page], mapper: UrlMapper) -> None:
        self.pages = dict(pages)
        self.mapper = mapper
        self.requests: list[tuple[str, dict[str, str], str]] = []

    async def document(self, call, fetch):
        body = self._answer(call, fetch.url, fetch.params, fetch.method)
        try:
            return parse(body, fetch.url)
        except TwimlError as exc:     # as WebhookClient does: recorded, and the call ends
            call.record.errors.append({"url": self.mapper.relative(fetch.url), "reason": str(exc)})
            raise WebhookError(fetch.url, str(exc)) from None

    async def notify(self, call, url, params, method="POST"):
        self._answer(call, url, params, method)

    def _answer(self, call, url, params, method) -> str:
        call.record.webhooks += 1
        relative = self.mapper.relative(url)
        self.requests.append((relative, {**call.params(), **params}, method))
        page = self.pages.get(relative.split("?")[0], "<Response/>")
        return page(params) if callable(page) else page

    def to(self, path: str) -> list[dict[str, str]]:
        return [params for relative, params, _ in self.requests if relative.split("?")[0] == path]


def make_call(pages: Mapping[str, Page], digits: str = "-", seed: int = 1, retry_status_prob: float = 0.0,
              **timing) -> tuple[SimCall, FakeHooks]:
    timing = Timing(**{"time_scale": 0.001, "patience_mean": 0, "talk_mean": 10, **timing})
    config = SimConfig(urls=("http://127.0.0.1:1",), public_url=PUBLIC, auth_token="t",
                       targets=(Target("+862812345600", "test"),), account_sid="AC" + "0" * 32, timing=timing,
                       retry_status_prob=retry_status_prob)
    mapper = UrlMapper(config.urls, config.public_url)
    hooks = FakeHooks(pages, mapper)
    record = CallRecord("CA" + "1" * 32, "+862812345600", "+8613800000000", "成都市", "test")
    behaviour = Behaviour(random.Random(seed), timing, parse_digit_script(digits))
    return SimCall(Shared(config, hooks, mapper), record, behaviour), hooks


def response(*verbs: str) -> str:
    return "<Response>" + "".join(verbs) + "</Response>"
