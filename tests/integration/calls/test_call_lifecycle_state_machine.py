"""A model-based test of the call lifecycle (issue #12, "How to prove it").

Hypothesis drives random interleavings of: calls arriving with any caller id (valid numbers
and every withheld form), menu digits, wait rounds, counselors changing presence, offers
accepted / declined / timing out, hang-ups by either side, wrap-up and Ready, triage at
high risk, referrals, Redis hiccups (a TimeoutError now and then, or long enough to open
the breaker), a queue lost from Redis, and status callbacks repeated and out of order.
Everything goes through signed Twilio webhooks and the console's HTTP API, against real
Redis and a SQLite database. After every step the invariants are checked:

1. every call has exactly one record, with one consistent outcome (answered is never also
   "failsafe"/"transferred");
2. no caller is without a route: every TwiML answer parses and routes (Enqueue, Dial,
   Gather, Redirect, Pause, Leave, Record, or words followed by Hangup);
3. a queued caller keeps their priority and first arrival across rebuilds;
4. no counselor holds two calls, and no call is held by two counselors;
5. a counselor with a blocked record is never available or offered a call;
6. a caller the fail-safe sent on is never offered.

The number of steps run is printed at the end of the test (and counted in STEPS).
"""
from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
import redis
from hypothesis import HealthCheck, Phase, settings as hypothesis_settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import hotline.web.voice as voice_module
from hotline.app import create_app
from hotline.settings import testing_settings as make_settings
from hotline.store.migrate import upgrade
from hotline.store.models import Call
from hotline.store.users import create_user
from tests.integration.console.conftest import Floor
from tests.integration.console_web.conftest import PASSWORD, Desk
from tests.integration.triage.conftest import HIGH
from tests.integration.voice.conftest import GAOXIN, SICHUAN, local
from tests.twilio_fake import call_params, new_call_sid

STEPS = {"steps": 0, "requests": 0, "examples": 0}
CALLERS = ["+8613551585969", "+8613800000001", "+8613908170000", "anonymous", "Restricted", "Unknown",
           "Unavailable", "Private", "+266696687", "+7378742833", "+86282452253", "+8656696", "client:x", "+"]
ROUTES = {"Enqueue", "Dial", "Gather", "Redirect", "Pause", "Leave", "Record"}
STATUSES = ["ringing", "in-progress", "completed", "busy", "no-answer", "canceled"]
LINES = {GAOXIN: "chengdu-gaoxin", SICHUAN: "sichuan"}
START = local(2026, 11, 23, 10, 0)
MAX_EXAMPLES, STEP_COUNT = 30, 30
PHASES = (Phase.explicit, Phase.generate)   # no shrinking: keep the suite's time bounded
REQUEST_S = 0.02   # how far the breaker's clock moves per webhook (its open period is BREAKER_RESET_S = 0.05 here)


def routes(xml: bytes) -> ElementTree.Element:
    """Invariant 2: the answer parses and gives the caller a way on."""
    root = ElementTree.fromstring(xml)
    assert root.tag == "Response"
    tags = [child.tag for child in root]
    assert ROUTES & set(tags) or (tags and tags[-1] == "Hangup"), f"no route in {xml!r}"
    return root


@pytest.fixture(scope="module")
def world(tmp_path_factory, redis_url):
    prefix = "hotline-test-sm-" + new_call_sid()[2:12]
    settings_ = make_settings(tmp_path_factory.mktemp("sm"), redis_url=redis_url, redis_prefix=prefix)
    upgrade(settings_.database_url)
    app = create_app(settings_)
    services = app.extensions["hotline"].adapters
    with services.db.session() as db:
        users = [create_user(db, name, "counselor", PASSWORD, now=START, lines=("chengdu-gaoxin", "sichuan"))
                 for name in ("sm-li", "sm-wang")]
    yield app, [Desk(app, user) for user in users]     # signed in once: argon2 is slow on purpose
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    services.close()
    print(f"\ncall lifecycle state machine: {STEPS['examples']} examples, {STEPS['steps']} checked states, "
          f"{STEPS['requests']} requests")


def _pick(data, items: list):
    """One of `items` (None if there is none), drawn the same way whatever their number: how
    many calls exist depends on what the live system answered (a counselor's presence may be
    refused), and a draw that follows it makes Hypothesis report the run as flaky."""
    index = data.draw(st.integers(0, 255))
    return items[index % len(items)] if items else None


class Lifecycle(RuleBasedStateMachine):
    app = None
    users: list = []

    def __init__(self) -> None:
        super().__init__()
        STEPS["examples"] += 1
        self.floor = Floor(self.app)
        self.services = self.floor.services
        self._reset_live_state()
        self.now = START
        self.floor.at(self.now)
        self.desks = self.users
        self.calls: dict[str, str] = {}                # sid → caller id
        self.menu_calls: set[str] = set()              # calls to the line with a menu
        self.ended: set[str] = set()
        self.sent_on: set[str] = set()                 # callers the fail-safe sent on
        self.first_seen: dict[str, tuple[int, object]] = {}   # sid → (priority, arrival) while queued
        self.hiccups = 0
        self._original_position = self.services.queues.position
        self.services.queues.position = self._position
        self._wait_reads = self.app.extensions["hotline"].calls_waiting.reads
        self._original_wait_read = self._wait_reads.read
        self._wait_reads.read = self._wait_read   # a wait round's place is read here (one pipeline)

    def _reset_live_state(self) -> None:
        """A fresh live state per example (presence, queues, offers, marks: all under the prefix)."""
        client, prefix = self.services.redis, self.services.keys.prefix
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        # the breaker's clock moves with the requests, not the wall: whether its open period is over
        # (a probe) must not depend on how loaded the machine is, or examples would not replay
        self.breaker_clock = 0.0
        self.app.extensions[voice_module._BREAKER] = voice_module.new_breaker(clock=lambda: self.breaker_clock)
        self.app.extensions["hotline"].calls_failsafe_log.pending.clear()
        self.services.queues.__dict__.pop("position", None)
        self.app.extensions["hotline"].calls_waiting.reads.__dict__.pop("read", None)

    def _position(self, call_sid):
        self._hiccup()
        return self._original_position(call_sid)

    def _wait_read(self, *args):
        self._hiccup()
        return self._original_wait_read(*args)

    def _hiccup(self) -> None:
        if self.hiccups > 0:
            self.hiccups -= 1
            raise redis.TimeoutError("Timeout reading from socket")

    def teardown(self) -> None:
        self.hiccups = 0
        for sid in self.calls:                         # end every call: the next example starts clean
            self.floor.twilio.post("/voice/status", call_params(sid, GAOXIN, "x", status="completed"))
        self.floor.flush()
        self.services.queues.__dict__.pop("position", None)
        self.app.extensions["hotline"].calls_waiting.reads.__dict__.pop("read", None)

    # --- helpers ------------------------------------------------------------------------
    def _post(self, path: str, params: dict) -> ElementTree.Element:
        STEPS["requests"] += 1
        self.breaker_clock += REQUEST_S
        # a stray wait round of a caller already talking to a counselor (a repeated callback) sends
        # nobody anywhere, whatever it answers: Twilio has bridged that call out of its queue
        connected = {p.call for p in self.services.presence.all() if p.state == "on_call"}
        response = self.floor.twilio.post(path, params)
        assert response.status_code == 200, response.data
        root = routes(response.data) if path.split("?")[0] != "/voice/status" else None
        if root is not None and (root.find("Dial/Number") is not None or root.find("Leave") is not None):
            if path.startswith(("/voice/wait", "/voice/incoming", "/voice/menu")) and self._breaker_open_or_failsafe(root) \
                    and params["CallSid"] not in connected:
                self.sent_on.add(params["CallSid"])
        return root

    def _breaker_open_or_failsafe(self, root) -> bool:
        """A Leave from a wait round or a Dial from a new call is the fail-safe only when
        our own parts failed (a normal rollover or transfer is also a Leave/Dial)."""
        return bool(self.app.extensions["hotline"].calls_failsafe_log.pending) or \
            self.app.extensions.get(voice_module._BREAKER) is not None and \
            self.app.extensions[voice_module._BREAKER].current_state != "closed"

    def _desk(self, index: int) -> Desk:
        return self.desks[index % len(self.desks)]

    def _presence(self, desk: Desk):
        return self.services.presence.get(desk.id)

    # --- rules: callers -----------------------------------------------------------------
    @rule(caller=st.sampled_from(CALLERS), dialled=st.sampled_from(sorted(LINES)))
    def call_arrives(self, caller, dialled):
        sid = new_call_sid()
        self.calls[sid] = caller
        if dialled == SICHUAN:
            self.menu_calls.add(sid)
        self._post("/voice/incoming", call_params(sid, dialled, caller))

    @rule(data=st.data(), digit=st.sampled_from(["0", "1", "2", "9", ""]))
    def menu_digit(self, data, digit):
        """Twilio posts the menu once the caller pressed (or not) — possibly again, as a retry."""
        sid = _pick(data, sorted(self.menu_calls))
        if sid:
            self._post("/voice/menu?line=sichuan", call_params(sid, SICHUAN, self.calls[sid], Digits=digit))

    @rule(data=st.data(), waited=st.integers(0, 120))
    def wait_round(self, data, waited):
        sid = _pick(data, [sid for sid in sorted(self.calls) if sid not in self.ended])
        if sid:
            line = self.services.queues.call_state(sid).get("line") or "chengdu-gaoxin"
            self._post(f"/voice/wait?line={line}", call_params(sid, GAOXIN, self.calls[sid],
                                                                QueueTime=waited, QueueSid="QU" + "1" * 32))

    @rule(data=st.data(), status=st.sampled_from(STATUSES))
    def status_callback(self, data, status):
        """Repeated and out of order: any status for any call, at any time."""
        sid = _pick(data, sorted(self.calls))
        if sid:
            self._post("/voice/status", call_params(sid, GAOXIN, self.calls[sid], status=status))
            if status not in ("ringing", "in-progress"):
                self.ended.add(sid)

    # --- rules: counselors --------------------------------------------------------------
    @rule(index=st.integers(0, 1), state=st.sampled_from(["available", "break", "offline"]))
    def presence(self, index, state):
        STEPS["requests"] += 1
        assert self._desk(index).presence(state).status_code in (200, 409)

    @rule(index=st.integers(0, 1), caller=st.sampled_from(CALLERS))
    def a_counselor_works_a_call(self, index, caller):
        """The common path in one step (so that random runs reach the states after it): the
        counselor asks to be available, a caller rings, the dispatcher offers, they accept."""
        desk = self._desk(index)
        STEPS["requests"] += 1
        if desk.presence("available").status_code != 200:
            return
        self.call_arrives(caller, GAOXIN)
        self.floor.tick()
        presence = self._presence(desk)
        if presence and presence.state == "offered":
            assert desk.accept(presence.call).status_code in (200, 409)

    @rule(index=st.integers(0, 1))
    def accept(self, index):
        desk, presence = self._desk(index), self._presence(self._desk(index))
        if presence and presence.state == "offered":
            STEPS["requests"] += 1
            assert desk.accept(presence.call).status_code in (200, 409)

    @rule(index=st.integers(0, 1))
    def decline(self, index):
        desk, presence = self._desk(index), self._presence(self._desk(index))
        if presence and presence.state == "offered":
            STEPS["requests"] += 1
            assert desk.decline(presence.call).status_code in (200, 409)

    @rule(index=st.integers(0, 1))
    def counselor_hangs_up(self, index):
        desk, presence = self._desk(index), self._presence(self._desk(index))
        if presence and presence.state == "on_call":
            STEPS["requests"] += 1
            assert desk.hangup(presence.call).status_code in (200, 409)

    @rule(index=st.integers(0, 1))
    def assess_high(self, index):
        desk, presence = self._desk(index), self._presence(self._desk(index))
        if presence and presence.state in ("on_call", "wrap_up") and presence.call:
            STEPS["requests"] += 1
            body = {"form_id": "default", "form_version": 1, "answers": HIGH}
            assert desk.post(f"/api/calls/{presence.call}/assessment", body).status_code in (200, 409)

    @rule(index=st.integers(0, 1))
    def refer(self, index):
        desk, presence = self._desk(index), self._presence(self._desk(index))
        call = presence.call if presence else None
        if call:
            STEPS["requests"] += 1
            desk.post(f"/api/calls/{call}/referrals", {"institution_id": "chengdu_psychiatric",
                                                       "status": "contacted"})

    @rule(index=st.integers(0, 1))
    def ready(self, index):
        STEPS["requests"] += 1
        assert self._desk(index).post("/api/console/ready").status_code in (200, 409)

    @rule(seconds=st.sampled_from([1, 5, 25, 70]))
    def time_passes(self, seconds):
        """Offers time out, wrap-ups end, the dispatcher offers."""
        STEPS["requests"] += 1
        self.now += timedelta(seconds=seconds)
        self.floor.at(self.now)
        self.floor.tick()

    # --- rules: faults ------------------------------------------------------------------
    @rule(times=st.sampled_from([1, 1, 2, 6]))
    def redis_hiccup(self, times):
        self.hiccups = times

    @rule()
    def breaker_recovers(self):
        breaker = self.app.extensions.get(voice_module._BREAKER)
        if breaker is not None:
            breaker.close()

    @rule(line=st.sampled_from(sorted(LINES.values())))
    def queue_lost(self, line):
        self.services.redis.delete(self.services.keys.queue(line))

    # --- invariants ---------------------------------------------------------------------
    @invariant()
    def count_steps(self):
        STEPS["steps"] += 1          # invariants run once before the first step and after each one

    @invariant()
    def one_record_one_outcome(self):
        if not self.calls:
            return
        self.floor.flush()
        with self.services.db.session() as session:
            rows = session.query(Call).filter(Call.call_sid.in_(list(self.calls))).all()
        seen = [row.call_sid for row in rows]
        assert len(seen) == len(set(seen)) == len(self.calls), "a call without exactly one record"
        for row in rows:
            assert not (row.answered_at is not None and row.outcome in ("failsafe", "transferred")), row.call_sid
            if row.call_sid in self.sent_on:
                assert row.answered_at is None, "a caller sent on by the fail-safe was answered"

    @invariant()
    def queued_callers_keep_priority_and_arrival(self):
        self.hiccups, held = 0, self.hiccups            # reading is not a request: no hiccup here
        try:
            for sid in self.calls:
                waiting = self._original_position(sid)
                if waiting is None:
                    continue
                first = self.first_seen.setdefault(sid, (waiting.priority, waiting.arrived_at))
                assert (waiting.priority, waiting.arrived_at) == first, f"{sid} lost its place"
        finally:
            self.hiccups = held

    @invariant()
    def nobody_holds_two_calls_and_no_call_two_counselors(self):
        held = [p.call for p in self.services.presence.all() if p.state in ("offered", "on_call") and p.call]
        assert len(held) == len(set(held))

    @invariant()
    def blocked_counselors_are_never_available_or_offered(self):
        guard = self.app.extensions["hotline"].close_guard
        self.floor.flush()
        for desk in self.desks:
            presence = self._presence(desk)
            if presence and presence.state in ("available", "offered"):
                last = guard.call_just_handled(desk.id)
                if presence.state == "offered" and last == presence.call:
                    continue
                assert not (last and guard.close_blockers(last)), f"counselor {desk.id} blocked but {presence.state}"

    @invariant()
    def callers_sent_on_are_never_offered(self):
        for presence in self.services.presence.all():
            if presence.state in ("offered", "on_call"):
                assert presence.call not in self.sent_on, "a caller sent on by the fail-safe was offered"


def test_call_lifecycle_state_machine(world, monkeypatch):
    app, users = world
    monkeypatch.setattr(voice_module, "BREAKER_RESET_S", 0.05)
    Lifecycle.app, Lifecycle.users = app, users
    runner = Lifecycle.TestCase
    runner.settings = hypothesis_settings(max_examples=MAX_EXAMPLES, stateful_step_count=STEP_COUNT, deadline=None,
                                          suppress_health_check=list(HealthCheck), phases=PHASES, database=None)
    runner().runTest()
    print(f"\ncall lifecycle state machine: {STEPS['examples']} examples, {STEPS['steps']} checked states, "
          f"{STEPS['requests']} requests")
    assert STEPS["requests"] > 0
