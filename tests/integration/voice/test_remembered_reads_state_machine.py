"""A model-based test of the one-round-trip new call (issue #18): decided on what the last read
saw, its step checked in the same script against the live facts as they are.

The invariant: a new call is answered exactly as it would be if it had been decided on a fresh
read at the moment its step is taken, whatever changed since the last read. Hypothesis drives
random interleavings of counselors changing presence (state and lines), the roster version
moving, callers being flagged and unflagged, the flagged set losing its sentinel, the clock
moving across opening hours, calls arriving (from any caller id, withheld forms included, to a
line with no menu, one with a menu and a 24-hour one), Twilio delivering a call's webhook
again, and a presence change landing between a call's decision and its step (inside the
request, where no read can see it). Every answer is compared with the TwiML of the decision a
second, separate read gives at that moment, and a queued call's place with the queue itself.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from hypothesis import HealthCheck, Phase, settings as hypothesis_settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from hotline.app import create_app
from hotline.clock import Clock
from hotline.live.routing_reads import RedisRoutingReads
from hotline.live.triage import RedisFlaggedSet
from hotline.ports import Presence, RouteAnswer
from hotline.routing.decision import Enqueue, LiveState, route
from hotline.settings import testing_settings as make_settings
from hotline.store.migrate import upgrade
from hotline.telephony.answers import render
from hotline.telephony.inbound import inbound
from hotline.usecases.calls.incoming import PAST_ROUTING
from tests.integration.voice.conftest import CHENGDU_24H, GAOXIN, SICHUAN, TwiML, local
from tests.twilio_fake import TwilioClient, call_params, new_call_sid

COUNTS = {"examples": 0, "calls": 0, "one_trip": 0, "raced": 0}
CALLERS = ["+8613551585969", "+8613800000001", "+8613908170000", "anonymous", "Restricted", "Unknown", "",
           "+266696687", "client:x"]
LINES = ("chengdu-gaoxin", "sichuan", "chengdu")
STATES = ("available", "offline", "on_call", "wrap_up", "break")
START = local(2026, 11, 23, 8, 30)   # a Monday, before gaoxin opens at 9:00


@pytest.fixture(scope="module")
def world(tmp_path_factory, redis_url):
    prefix = "hotline-test-remembered-" + new_call_sid()[2:12]
    settings_ = make_settings(tmp_path_factory.mktemp("remembered"), redis_url=redis_url, redis_prefix=prefix)
    upgrade(settings_.database_url)
    app = create_app(settings_)
    yield app
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    app.extensions["hotline"].adapters.close()


class RememberedReads(RuleBasedStateMachine):
    app = None

    def __init__(self) -> None:
        super().__init__()
        COUNTS["examples"] += 1
        hotline = self.app.extensions["hotline"]
        self.services = hotline.adapters
        self.routing = hotline.calls_routing
        self.reads = self.routing.reads
        client, prefix = self.services.redis, self.services.keys.prefix
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        self.reads._last = None   # this example starts with nothing remembered (a new process)
        # the reference: a read of its own, so that it never feeds what the routing remembers
        self.fresh = RedisRoutingReads(client, self.services.keys, self.reads.version_key, self.reads.sentinel_key)
        self.flagged_set = RedisFlaggedSet(client, self.services.keys)
        self.flagged_set.rebuild([])
        self.now = START
        self._at(self.now)
        settings = self.services.settings
        self.twilio = TwilioClient(self.app.test_client(), settings.twilio_auth_token, settings.public_url)
        self.calls: list[tuple[str, str, str]] = []   # (sid, dialled, caller)
        self.race: Presence | None = None
        self.expected: bytes | None = None
        self.stepped = False
        self._roster_says = self.routing.staffing.staffed_among
        self.routing.staffing.staffed_among = self._roster_by_version
        self._steps = (self.reads.enqueue_unless_changed, self.reads.record_unless_changed)
        self.reads.enqueue_unless_changed = self._racing(self._steps[0])
        self.reads.record_unless_changed = self._racing(self._steps[1])

    def teardown(self) -> None:
        for name in ("enqueue_unless_changed", "record_unless_changed"):
            self.reads.__dict__.pop(name, None)
        self.routing.staffing.__dict__.pop("staffed_among", None)

    def _roster_by_version(self, presences, now, roster_version):
        """The roster as published: an odd version is one that took everybody off shift (so
        that a moved version changes who may answer, as a real roster change does)."""
        return {} if roster_version % 2 else self._roster_says(presences, now, roster_version)

    def _at(self, instant) -> None:
        self.services.settings = self.services.settings.with_(clock=Clock(frozen=instant))

    # --- the reference --------------------------------------------------------------------
    def _reference(self, sid: str, dialled: str, caller: str) -> bytes:
        """The TwiML of the decision a fresh read gives now (as incoming would carry it out); the
        decision is kept, for the queued call's priority (which the TwiML does not show)."""
        call = inbound(call_params(sid, dialled, caller))
        keys = self.routing.caller_keys(call)
        live = self.routing.live_from(keys, self.fresh.read(sid, keys))
        routed = route(self.routing.directory, self.routing.facts(call, live), LiveState(staffed=live.staffed))
        # a delivery for a call past routing is answered with its route, without the welcome
        opening = () if live.state.get("status") in PAST_ROUTING else self.routing.opening(call)
        answer = RouteAnswer(routed.decision, self.routing.directory, self.services.now(), *opening)
        self.decision = routed.decision
        return str(render(answer)).encode()

    def _racing(self, step):
        """The step, after the change a rule put between this call's decision and its step."""
        def racing(seen, caller_keys, call_sid, *args, **kwargs):
            self.stepped = True
            if self.race is not None:
                self.services.presence.set(self.race)
                self.race = None
                COUNTS["raced"] += 1
                sid, dialled, caller = self.calls[-1]
                self.expected = self._reference(sid, dialled, caller)   # the truth moved with it
            return step(seen, caller_keys, call_sid, *args, **kwargs)
        return racing

    def _post(self, sid: str, dialled: str, caller: str) -> TwiML:
        self.expected = self._reference(sid, dialled, caller)
        self.stepped = False
        response = self.twilio.post("/voice/incoming", call_params(sid, dialled, caller))
        assert response.status_code == 200, response.data
        if self.race is not None:            # no step was taken: the change lands after the call
            self.services.presence.set(self.race)
            self.race = None
        COUNTS["calls"] += 1
        COUNTS["one_trip"] += self.stepped
        return TwiML(response.data)

    # --- rules ----------------------------------------------------------------------------
    @rule(counselor=st.integers(1, 3), state=st.sampled_from(STATES),
          lines=st.sets(st.sampled_from(LINES), max_size=3))
    def presence(self, counselor, state, lines):
        self.services.presence.set(Presence(counselor, state, self.services.now(), tuple(sorted(lines))))

    @rule(counselor=st.integers(1, 3), lines=st.sets(st.sampled_from(LINES), min_size=1, max_size=3))
    def presence_changes_between_the_next_calls_decision_and_its_step(self, counselor, lines):
        self.race = Presence(counselor, "available", self.services.now(), tuple(sorted(lines)))

    @rule()
    def roster_version_moves(self):
        self.services.redis.incr(self.reads.version_key)

    @rule(caller=st.sampled_from(CALLERS[:3]), flag=st.booleans())
    def caller_flagged(self, caller, flag):
        for key in self.services.keyring.caller_key_candidates(caller):
            (self.flagged_set.add if flag else self.flagged_set.remove)(key)

    @rule()
    def flagged_set_loses_its_sentinel(self):
        self.services.redis.delete(self.reads.sentinel_key)

    @rule(minutes=st.integers(1, 14 * 60))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)
        self._at(self.now)

    @rule(caller=st.sampled_from(CALLERS), dialled=st.sampled_from([GAOXIN, GAOXIN, SICHUAN, CHENGDU_24H]))
    def call_arrives(self, caller, dialled):
        sid = new_call_sid()
        self.calls.append((sid, dialled, caller))
        twiml = self._post(sid, dialled, caller)
        assert twiml.xml.encode() == self.expected, (twiml.xml, self.expected)
        self._queued_where_it_says(sid, twiml)
        if isinstance(self.decision, Enqueue) and self.decision.menu is None:
            assert int(self.services.queues.call_state(sid)["priority"]) == self.decision.priority

    @rule(data=st.data())
    def a_webhook_delivered_again(self, data):
        if not self.calls:
            return
        sid, dialled, caller = self.calls[data.draw(st.integers(0, 255)) % len(self.calls)]
        self.calls.append((sid, dialled, caller))
        twiml = self._post(sid, dialled, caller)
        assert twiml.xml.encode() == self.expected, (twiml.xml, self.expected)

    def _queued_where_it_says(self, sid: str, twiml: TwiML) -> None:
        queued = twiml.find("Enqueue")
        state = self.services.queues.call_state(sid)
        if queued is None:
            assert state.get("status") != "queued" and not state.get("member"), state
            return
        assert sid in self.services.queues.waiting(queued.text), (sid, queued.text)
        assert state["status"] == "queued" and state["line"] == queued.text

    @invariant()
    def every_queued_call_is_in_one_queue(self):
        seen: dict[str, str] = {}
        for line in LINES:
            for sid in self.services.queues.waiting(line):
                assert sid not in seen, f"{sid} waits in {seen.get(sid)} and {line}"
                seen[sid] = line


def test_a_new_call_is_answered_as_a_fresh_read_would_route_it(world):
    RememberedReads.app = world
    runner = RememberedReads.TestCase
    runner.settings = hypothesis_settings(max_examples=40, stateful_step_count=40, deadline=None, database=None,
                                          suppress_health_check=list(HealthCheck),
                                          phases=(Phase.explicit, Phase.generate))
    runner().runTest()
    print(f"\nremembered reads: {COUNTS}")
    assert COUNTS["calls"] > 0 and COUNTS["one_trip"] > 0   # the one-trip path was exercised
    assert COUNTS["raced"] > 0                              # and a change landed inside a request
