"""A new call and the menu: ask the routing core, then carry out its decision.

Carrying out a decision (join a queue, transfer, say the hours) is shared with the
other steps that route a call again: rollover, a failed transfer, a counselor's
hand-over. The decision itself is the pure core's (hotline/routing/decision.py).

What routing needs from the live state (the call's hash, who is working, the roster
version, the caller's flag) comes in one read (RoutingReads: one Redis pipeline) and a
queue place in one more (CallQueues.enqueue: one script, which also carries the call's
record), so a call costs two round trips: the reads, then the queue or the record (issue
#18); a menu choice that queues the call goes on its hash in the same script. A new call
usually costs one: it is decided on what the last read saw of presence and the roster
(RoutingReads.remembered), and its step goes with the check that this still holds and the
call is new and its caller not flagged; when that fails nothing was done, and it is decided
again on the facts the check answered. Without RoutingReads (the unit fakes) each port is
asked on its own, with the same answers.
"""
from __future__ import annotations

from dataclasses import dataclass

from hotline.ports import (CallEvents, CallQueues, Clock, CoverageNotices, FlaggedCallers, InboundCall, Keyring,
                           LiveFactsChanged, Prompt, RouteAnswer, RoutingReadout, RoutingReads, Staffing)
from hotline.routing.decision import (CallFacts, Enqueue, LiveState, NothingOpen, Routed, Transfer, priority_for,
                                     route, route_to)
from hotline.routing.directory import Directory
from hotline.usecases.calls.recording import CallRecorder

COVERAGE_NOTICE_EVERY_S = 300   # an open line with nobody working is announced once per 5 minutes
# where a call's live status says it has left routing behind: offered to or talking with a
# counselor, leaving its queue, sent on by the fail-safe, or over
PAST_ROUTING = frozenset({"offered", "bridging", "on_call", "leaving", "ended", "failsafe"})


def joins_queue(decision) -> bool:
    """The call is queued now (a menu's Enqueue first waits for the caller's choice)."""
    return isinstance(decision, Enqueue) and decision.menu is None


def in_one_step(routed: Routed) -> bool:
    """A decision whose whole step is one script: queue the call, or only record a transfer or
    the hours (a menu's Gather waits for the caller's choice, and takes no step yet)."""
    return joins_queue(routed.decision) or isinstance(routed.decision, (Transfer, NothingOpen))


@dataclass(frozen=True)
class LiveFacts:
    """What the live state says about one call now."""

    state: dict[str, str]      # the call's live hash
    flagged: bool              # the caller's file is flagged (under any data key)
    staffed: dict[str, int]    # line → counselors working who may answer it


class CallRouting:
    def __init__(self, directory: Directory, clock: Clock, queues: CallQueues, staffing: Staffing,
                 flagged: FlaggedCallers, keyring: Keyring, recorder: CallRecorder, events: CallEvents,
                 reads: RoutingReads | None = None, notices: CoverageNotices | None = None) -> None:
        self.directory = directory
        self.clock = clock
        self.queues = queues
        self.staffing = staffing
        self.flagged = flagged
        self.keyring = keyring
        self.recorder = recorder
        self.events = events
        self.reads = reads
        self.notices = notices

    # --- webhooks ------------------------------------------------------------------------
    def incoming(self, call: InboundCall) -> RouteAnswer:
        keys = self.caller_keys(call)
        seen = self.reads.remembered() if self.reads is not None else None
        if seen is not None and seen.flagged_set_built:   # (a lost set: the files are asked, below)
            answered = self.on_what_was_seen(call, keys, seen)
            if answered is not None:
                return answered
        live = self.live(call, keys)
        self.record_received(call)
        return self.route_received(call, live)

    def on_what_was_seen(self, call: InboundCall, keys: list[str], seen: RoutingReadout) -> RouteAnswer | None:
        """A new call decided on what the last read saw, its step checked against the facts as
        they are in the same round trip; decided again on those if they changed. None (nothing
        done) when the decision takes no step of its own (the menu)."""
        guessed = self.live_from(keys, seen)
        routed = route(self.directory, self.facts(call, guessed), LiveState(staffed=guessed.staffed))
        if not in_one_step(routed):
            return None
        self.record_received(call)
        try:
            return self.carry_out(call, routed, *self.opening(call), unless_changed=(seen, keys))
        except LiveFactsChanged as changed:
            return self.route_received(call, self.live_from(keys, changed.now))

    def record_received(self, call: InboundCall) -> None:
        # recorded even when late: its dedup key keeps it to one, and the record needs what it says
        self.recorder.record(call, "received", status="received",
                             caller_region=None if call.withheld else call.region)

    def opening(self, call: InboundCall) -> tuple:
        """A new call's welcome, in the dialled line's name (none for a number not listed)."""
        found = self.directory.by_number(call.dialled)
        return (Prompt.WELCOME, found[0].name) if found else ()

    def route_received(self, call: InboundCall, live: LiveFacts) -> RouteAnswer:
        routed = route(self.directory, self.facts(call, live), LiveState(staffed=live.staffed))
        if live.state.get("status") in PAST_ROUTING:
            return self.answer_only(routed)
        return self.carry_out(call, routed, *self.opening(call))

    def menu(self, line_id: str, call: InboundCall, digits: str | None) -> RouteAnswer:
        """The caller pressed a key (or nothing): their choice is kept, a crisis option first.
        Only the first post counts: a repeat (a retry, a late delivery) is answered the same way
        and changes nothing, even with other digits."""
        line = self.directory.get(line_id)
        option = line.menu.choose(digits) if line and line.menu else None
        value = option.value if option else "none"
        crisis = bool(option and option.crisis)
        live = self.live(call)
        if live.state.get("menu") or live.state.get("status") in PAST_ROUTING:
            # chosen before (a repeated or late post: Twilio asks the menu once) or past routing:
            # the first choice stands, with the priority it gave
            return self.answer_only(route(self.directory, self.facts(call, live), LiveState(staffed=live.staffed)))
        routed = route(self.directory, self.facts(call, live, menu_value=value, crisis=crisis),
                       LiveState(staffed=live.staffed))
        self.recorder.record(call, "menu", f"menu:{value}", {"choice": value}, status="menu", menu_choice=value)
        return self.carry_out(call, routed, noted={"menu": value, "crisis": "1" if crisis else "0"})

    def answer_only(self, routed: Routed) -> RouteAnswer:
        """A new-call or menu request for a call already past routing (a late or repeated
        delivery: the caller is with a counselor, or gone): answered with a route, as every
        webhook is, but nothing is carried out — the call is not queued again behind its
        counselor's back or transferred, its choice and priority stay."""
        return RouteAnswer(routed.decision, self.directory, self.clock.now())

    # --- routing again (rollover, failed transfer, hand-over) ----------------------------
    def route_again(self, call: InboundCall, opening: Prompt | None = None) -> RouteAnswer:
        """Route with what the call's live state says now (the lines it already tried)."""
        live = self.live(call)
        return self.carry_out(call, route(self.directory, self.facts(call, live), LiveState(staffed=live.staffed)),
                              opening)

    def route_to_line(self, call: InboundCall, line_id: str, opening: Prompt | None = None) -> RouteAnswer:
        """Route as if the caller had dialled line_id, whatever it tried before."""
        live = self.live(call)
        routed = route_to(self.directory, line_id, self.facts(call, live, tried=frozenset()),
                          LiveState(staffed=live.staffed))
        return self.carry_out(call, routed, opening)

    # --- what routing needs --------------------------------------------------------------
    def caller_keys(self, call: InboundCall) -> list[str]:
        return [] if call.withheld else self.keyring.caller_key_candidates(call.caller)

    def live(self, call: InboundCall, keys: list[str] | None = None) -> LiveFacts:
        """The call's live facts: in one read where RoutingReads is wired, else port by port.
        `keys`: the caller's keys, when the caller worked them out already."""
        keys = self.caller_keys(call) if keys is None else keys
        if self.reads is None:
            return LiveFacts(self.queues.call_state(call.call_sid), bool(keys) and self.flagged.is_flagged(keys),
                             self.staffing.staffed_counts(self.clock.now()))
        return self.live_from(keys, self.reads.read(call.call_sid, keys))

    def live_from(self, keys: list[str], read: RoutingReadout) -> LiveFacts:
        flagged = bool(keys) and self.flagged.flagged_from(keys, read.flagged_hit, read.flagged_set_built)
        return LiveFacts(read.call, flagged,
                         self.staffing.staffed_among(read.presences, self.clock.now(), read.roster_version))

    def facts(self, call: InboundCall, live: LiveFacts, **extra) -> CallFacts:
        state = live.state
        tried = frozenset(filter(None, state.get("tried", "").split(",")))
        values = dict(dialled=call.dialled, at=self.clock.now(), caller_region=None if call.withheld else call.region,
                      flagged=live.flagged, tried=tried, crisis=state.get("crisis") == "1",
                      menu_value=state.get("menu") or None)
        values.update(extra)
        return CallFacts(**values)

    def priority(self, call: InboundCall) -> int:
        """The queue priority the call's facts give now (a flagged file, a crisis choice)."""
        return priority_for(self.facts(call, self.live(call)))

    # --- carrying out a decision ---------------------------------------------------------
    def carry_out(self, call: InboundCall, routed: Routed, opening: Prompt | None = None,
                  line_name: str = "", noted: dict[str, str] | None = None,
                  unless_changed: tuple[RoutingReadout, list[str]] | None = None) -> RouteAnswer:
        """Apply a decision's side effects (queue, record, events); the answer says it. `noted`
        goes on the call's live hash: with the queue place when the call is queued (the same
        script, no round trip of its own), before anything else otherwise. With `unless_changed`
        (a new call decided on what the last read saw, and the caller's keys) the queue or the
        record goes with the check that it still holds: LiveFactsChanged, with nothing done,
        when it does not; the gaps are announced only after the step was taken."""
        decision = routed.decision
        queued = joins_queue(decision)
        if noted and not queued:
            self.queues.annotate(call.call_sid, **noted)
        event = None
        if queued:
            event = self.enqueue(call, decision, noted or {}, unless_changed)
        elif isinstance(decision, Transfer):
            self.record_step(call, unless_changed, "transferred", f"transfer:{decision.line_id}",
                             {"to": decision.line_id}, status="transferred", routed_to=decision.line_id,
                             outcome="transferred")
            event = ("call.transferred", {"call": call.call_sid, "to": decision.line_id}, decision.line_id)
        elif isinstance(decision, NothingOpen):
            self.record_step(call, unless_changed, "nothing_open", status="info_only", outcome="info_only")
        if routed.alerts:
            self.announce_gaps(routed)
        if event is not None:
            self.events.publish(*event)
        return RouteAnswer(decision, self.directory, self.clock.now(), opening, line_name)

    def record_step(self, call: InboundCall, unless_changed: tuple[RoutingReadout, list[str]] | None, kind: str,
                    dedup: str | None = None, detail: dict | None = None, **fields) -> None:
        if unless_changed is None:
            self.recorder.record(call, kind, dedup, detail, **fields)
            return
        seen, keys = unless_changed
        self.reads.record_unless_changed(seen, keys, call.call_sid, self.recorder.change(call, kind, dedup, detail,
                                                                                         **fields))

    def announce_gaps(self, routed: Routed) -> None:
        """One coverage notice for the call, naming every open line it found nobody working on —
        and only when one of them was not announced in the last COVERAGE_NOTICE_EVERY_S."""
        lines = list(dict.fromkeys(line_id for _kind, line_id in routed.alerts))
        now = self.clock.now()
        if self.notices is not None and not self.notices.claim(lines, now, COVERAGE_NOTICE_EVERY_S):
            return
        self.events.publish("coverage.alert", {"line": lines[0], "lines": lines, "at": now.isoformat()}, *lines)

    def enqueue(self, call: InboundCall, decision: Enqueue, noted: dict[str, str],
                unless_changed: tuple[RoutingReadout, list[str]] | None = None) -> tuple[str, dict, str]:
        """Queue the call; its record says so in the same step (one round trip, issue #18). The
        event that says so is returned, to go after the coverage notice."""
        now = self.clock.now()
        queued = self.recorder.change(call, "queued", f"queued:{decision.line_id}", {"line": decision.line_id},
                                      status="queued", line_id=decision.line_id, queued_at=now,
                                      priority=decision.priority)
        fields = dict(caller_key=queued.caller_key, dialled=call.dialled, withheld="1" if call.withheld else "0",
                      max_wait_s=decision.max_wait_s, status="queued", **noted)
        if unless_changed is None:
            waiting = self.queues.enqueue(call.call_sid, decision.line_id, decision.priority, now, record=queued,
                                          **fields)
        else:
            waiting = self.reads.enqueue_unless_changed(*unless_changed, call.call_sid, decision.line_id,
                                                        decision.priority, now, queued, **fields)
        return ("queue.changed", {"line": decision.line_id, "length": waiting.length, "call": call.call_sid,
                                  "change": "joined"}, decision.line_id)
