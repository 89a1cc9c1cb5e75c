"""The routing decision: where one call goes, given the instant and the live state.

Pure core: plain data in (directory, numbers, `at`, live state), a decision out.
The Twilio adapter renders it as TwiML; the simulator and tests read it directly.
A caller never meets a dead end: closed lines fall back along their chain, then
across the directory, and only when nothing anywhere is open do they hear the
hours and the 24-hour numbers (with a voicemail offer).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator, Mapping

from hotline.routing.directory import Directory, Line, LineNumber, Menu
from hotline.routing.regions import gateway_targets

PRIORITY_NORMAL = 0
PRIORITY_CRISIS = 20
PRIORITY_FLAGGED = 30


@dataclass(frozen=True)
class LiveState:
    """What routing needs to know about people and queues right now."""

    staffed: Mapping[str, int] = field(default_factory=dict)   # line → counselors able to answer

    def is_staffed(self, line_id: str) -> bool:
        return self.staffed.get(line_id, 0) > 0


@dataclass(frozen=True)
class CallFacts:
    dialled: str                        # E.164 the caller dialled (our number)
    at: datetime
    caller_region: str | None = None    # "四川省成都市" from the caller's number, if known
    flagged: bool = False               # the caller's file is flagged high risk
    menu_value: str | None = None       # already chose in the menu
    crisis: bool = False                # pressed the crisis option
    tried: frozenset[str] = frozenset() # lines this call already waited on (rollover)


@dataclass(frozen=True)
class ClosedNotice:
    """Said before a transfer: this line is closed (or unstaffed) and when it opens."""

    line_id: str
    line_name: str
    opens_at: datetime | None
    reason: str = "closed"      # closed | unstaffed | busy (rolled over after the maximum wait)


@dataclass(frozen=True)
class Enqueue:
    line_id: str
    priority: int
    menu: Menu | None = None
    notice: ClosedNotice | None = None
    max_wait_s: int = 90


@dataclass(frozen=True)
class Transfer:
    line_id: str
    number: str
    send_digits: str = ""
    notice: ClosedNotice | None = None


@dataclass(frozen=True)
class NothingOpen:
    """Every line is closed: say hours and the 24-hour numbers, offer a voicemail."""

    line_id: str | None
    notice: ClosedNotice | None
    always_open_numbers: tuple[tuple[str, str], ...]   # (line name, published number)


Decision = Enqueue | Transfer | NothingOpen


@dataclass(frozen=True)
class Routed:
    decision: Decision
    alerts: tuple[tuple[str, str], ...] = ()   # ("coverage", line_id): open but nobody on shift


def route(directory: Directory, facts: CallFacts, live: LiveState) -> Routed:
    """Decide where a call goes; see the module docstring for the order of choice."""
    found = directory.by_number(facts.dialled)
    line = found[0] if found else None
    if line is None or line.gateway:
        return _route_gateway(directory, facts, live, line)
    return _route_line(directory, line, facts, live)


def route_to(directory: Directory, line_id: str, facts: CallFacts, live: LiveState) -> Routed:
    """Route as if the caller had dialled line_id (a counselor's transfer)."""
    line = directory.get(line_id)
    if line is None:
        raise KeyError(line_id)
    return _route_line(directory, line, facts, live)


def _route_line(directory: Directory, line: Line, facts: CallFacts, live: LiveState) -> Routed:
    alerts: list[tuple[str, str]] = []
    if line.hosted and line.id not in facts.tried and line.is_open(facts.at):
        if live.is_staffed(line.id):
            return Routed(_enqueue(line, facts))
        alerts.append(("coverage", line.id))
    notice = _notice(line, facts, _closed_reason(line, facts, alerts))
    chain = [line.id, *line.fallback] if line.id not in facts.tried and not line.hosted else list(line.fallback)
    decision = _first_open(directory, chain, facts, live, notice, alerts)
    return Routed(decision or _nothing_open(directory, line.id, notice, facts), tuple(alerts))


def _route_gateway(directory: Directory, facts: CallFacts, live: LiveState, gateway: Line | None) -> Routed:
    alerts: list[tuple[str, str]] = []
    targets = gateway_targets(directory, facts.caller_region)
    if gateway is not None:
        targets = [t for t in targets if t != gateway.id] + [f for f in gateway.fallback if f not in targets]
    decision = _first_open(directory, targets, facts, live, None, alerts)
    return Routed(decision or _nothing_open(directory, None, None, facts), tuple(alerts))


def _first_open(directory: Directory, chain: list[str], facts: CallFacts, live: LiveState,
                notice: ClosedNotice | None, alerts: list) -> Decision | None:
    """The first line of the chain, then of the directory, that can take the call now."""
    seen: set[str] = set()
    for line_id in _candidates(directory, chain):
        line = directory.get(line_id)
        if line is None or line_id in seen or line_id in facts.tried:
            continue
        seen.add(line_id)
        decision = _try_line(line, facts, live, notice, alerts)
        if decision is not None:
            return decision
    return None


def _try_line(line: Line, facts: CallFacts, live: LiveState, notice, alerts) -> Decision | None:
    if line.gateway:
        return None
    if line.hosted:
        if not line.is_open(facts.at):
            return None
        if live.is_staffed(line.id):
            return _enqueue(line, facts, notice)
        if ("coverage", line.id) not in alerts:
            alerts.append(("coverage", line.id))
        return None
    number = _open_external_number(line, facts)
    return Transfer(line.id, number.e164, number.send_digits, notice) if number else None


def _open_external_number(line: Line, facts: CallFacts) -> LineNumber | None:
    for number in line.numbers:
        if number.e164 != facts.dialled and number.is_open(facts.at):
            return number
    return None


def _enqueue(line: Line, facts: CallFacts, notice: ClosedNotice | None = None) -> Enqueue:
    menu = line.menu if (facts.menu_value is None and not facts.crisis and notice is None) else None
    return Enqueue(line.id, priority_for(facts), menu, notice, line.max_wait_s)


def priority_label(priority: int) -> str | None:
    """Why a call jumps the queue, in words for the counselor (the number means nothing to
    a person): None for an ordinary call."""
    if priority >= PRIORITY_FLAGGED:
        return "优先：高危回访来电 / priority: flagged caller"
    if priority >= PRIORITY_CRISIS:
        return "优先：选择了危机选项 / priority: chose the crisis option"
    return "优先 / priority" if priority > 0 else None


def priority_for(facts: CallFacts) -> int:
    """Flagged files first, then crisis-option callers, then everyone by arrival."""
    if facts.flagged:
        return PRIORITY_FLAGGED
    return PRIORITY_CRISIS if facts.crisis else PRIORITY_NORMAL


def _closed_reason(line: Line, facts: CallFacts, alerts: list) -> str:
    if line.id in facts.tried:
        return "busy"
    return "unstaffed" if alerts else "closed"


def _notice(line: Line, facts: CallFacts, reason: str) -> ClosedNotice:
    opens = line.next_change(facts.at) if reason == "closed" else None
    return ClosedNotice(line.id, line.name, opens, reason)


def _candidates(directory: Directory, chain: list[str]) -> Iterator[str]:
    """The chain, then the directory's order, which is worked out only when the chain ran out
    (most calls are taken by the first line or two of their chain)."""
    yield from chain
    yield from _directory_order(directory)


def _directory_order(directory: Directory) -> list[str]:
    """After the chain: round-the-clock lines first, then the others, as listed."""
    lines = list(directory)
    return [l.id for l in lines if l.always_open] + [l.id for l in lines if not l.always_open]


def _nothing_open(directory: Directory, line_id, notice, facts: CallFacts) -> NothingOpen:
    numbers = tuple((l.name, n.published) for l in directory for n in l.numbers
                    if n.schedule.always_open and n.e164 != facts.dialled)
    return NothingOpen(line_id, notice, numbers)
