"""Orchestration: arrivals at --rate, at most --concurrency calls at once, REST consumer.

`Simulator(config).run()` returns the summary; `stop()` (Ctrl-C) stops new calls and
ends the live ones cleanly, so that their status callbacks are still sent.
"""
from __future__ import annotations

import asyncio
import logging
import random
import secrets
import signal
import time
from dataclasses import replace
from typing import Any, Callable

import aiohttp

from hotline.devtools.simulator.behaviour import Behaviour, parse_digit_script
from hotline.devtools.simulator.call import Shared, SimCall
from hotline.devtools.simulator.callers import CallerBook
from hotline.devtools.simulator.config import SimConfig
from hotline.devtools.simulator.record import CallRecord
from hotline.devtools.simulator.conference import handles as participants_request
from hotline.devtools.simulator.rest import RestConsumer, apply, parse_command
from hotline.devtools.simulator.sids import new_sid
from hotline.devtools.simulator.stats import summarise
from hotline.devtools.simulator.steps import Terminate
from hotline.devtools.simulator.urls import UrlMapper
from hotline.devtools.simulator.webhooks import WebhookClient

log = logging.getLogger(__name__)
OnCall = Callable[[CallRecord], None]


class Simulator:
    def __init__(self, config: SimConfig, on_call_done: OnCall | None = None) -> None:
        self.seed = config.seed if config.seed is not None else secrets.randbelow(2**31)
        self.config = config if config.account_sid else replace(config, account_sid=new_sid("AC"))
        self.on_call_done = on_call_done
        self.records: list[CallRecord] = []
        self.rest_commands = 0
        self._stop = asyncio.Event()
        self._shared: Shared | None = None

    async def run(self) -> dict[str, Any]:
        started = time.monotonic()
        mapper = UrlMapper(self.config.urls, self.config.public_url)
        connector = aiohttp.TCPConnector(limit=max(100, self.config.concurrency * 2))
        async with aiohttp.ClientSession(connector=connector) as session:
            hooks = WebhookClient(session, mapper, self.config.auth_token, self.config.http_timeout)
            self._shared = Shared(self.config, hooks, mapper)
            consumer = await self._start_rest(self._shared)
            try:
                await self._arrivals(self._shared)
            finally:
                await _stop_consumer(consumer)
        return summarise(self.records, hooks.latencies_ms, seed=self.seed, rest_commands=self.rest_commands,
                         elapsed_s=round(time.monotonic() - started, 3))

    def stop(self) -> None:
        """Stop placing calls and hang up the live ones (their status callbacks still go out)."""
        self._stop.set()
        for call in list(self._shared.live.values()) if self._shared else []:
            call.command(Terminate("stopped"))

    async def _arrivals(self, shared: Shared) -> None:
        rng = random.Random(f"{self.seed}:arrivals")
        callers = CallerBook(random.Random(f"{self.seed}:callers"), self.config.repeat_fraction,
                             self.config.mobile_fraction)
        slots = asyncio.Semaphore(self.config.concurrency)
        tasks: set[asyncio.Task] = set()
        index = 0
        while not self._stop.is_set() and (self.config.forever or index < self.config.calls):
            await slots.acquire()
            if self._stop.is_set():
                slots.release()
                break
            task = asyncio.create_task(self._one(self._new_call(shared, index, rng, callers), slots))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            index += 1
            await self._pause(rng)
        await asyncio.gather(*tasks)

    async def _pause(self, rng: random.Random) -> None:
        """Poisson arrivals at --rate (none: as fast as --concurrency allows)."""
        if not self.config.rate:
            await asyncio.sleep(0)
            return
        try:
            await asyncio.wait_for(self._stop.wait(), rng.expovariate(self.config.rate))
        except TimeoutError:
            pass

    def _new_call(self, shared: Shared, index: int, rng: random.Random, callers: CallerBook) -> SimCall:
        target = rng.choice(self.config.targets)
        caller = callers.next(target)
        record = CallRecord(new_sid("CA"), target.e164, caller.e164, caller.region, target.line_id, caller.repeat)
        behaviour = Behaviour(random.Random(f"{self.seed}:{index}"), self.config.timing,
                              parse_digit_script(self.config.digits))
        return SimCall(shared, record, behaviour)

    async def _one(self, call: SimCall, slots: asyncio.Semaphore) -> None:
        if self._stop.is_set():           # created just before a stop: never placed
            slots.release()
            return
        try:
            record = await call.run()
        except Exception as exc:      # a simulator bug must not stop the run; it shows as an error
            log.exception("simulated call %s failed inside the simulator", call.record.call_sid)
            call.record.errors.append({"url": "(simulator)", "reason": repr(exc)})
            record = call.record
        finally:
            slots.release()
        self.records.append(record)
        if self.on_call_done:
            self.on_call_done(record)

    async def _start_rest(self, shared: Shared) -> asyncio.Task | None:
        if not self.config.redis_url:
            return None
        consumer = RestConsumer(self.config.redis_url, self.config.redis_prefix, self._handler(shared))
        try:
            await consumer.check()
        except Exception as exc:
            log.warning("无法连接 Redis，不处理 REST 命令 / Redis unreachable, REST commands ignored: %s", exc)
            await consumer.close()
            return None
        task = asyncio.create_task(consumer.run())
        task.consumer = consumer  # type: ignore[attr-defined]
        return task

    def _handler(self, shared: Shared) -> Callable[[bytes], None]:
        def handle(raw: bytes) -> None:
            if participants_request(raw, shared):
                self.rest_commands += 1
                return
            command = parse_command(raw, shared.mapper)
            if command is not None and apply(command, shared.live, shared.queues.front):
                self.rest_commands += 1
        return handle


async def _stop_consumer(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await task.consumer.close()  # type: ignore[attr-defined]


def simulate(config: SimConfig, on_call_done: OnCall | None = None, handle_signals: bool = False) -> dict[str, Any]:
    """Run a simulation to the end; with handle_signals, Ctrl-C stops it gently (twice: at once)."""
    async def main() -> dict[str, Any]:
        simulator = Simulator(config, on_call_done)
        if handle_signals:
            _install_signals(simulator, asyncio.current_task())
        return await simulator.run()
    return asyncio.run(main())


def _install_signals(simulator: Simulator, main: asyncio.Task | None) -> None:
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if simulator._stop.is_set() and main is not None:
            main.cancel()
        simulator.stop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
