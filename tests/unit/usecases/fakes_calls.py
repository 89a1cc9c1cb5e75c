"""Fakes and builders for the calls area's use cases (hotline/usecases/calls/, recovery).

The common fakes (tests/unit/usecases/fakes.py) cover the clock, queues, records and
keyring; these add the calls area's own ports (wait rounds, line stats, the epoch,
the record read back) and the other areas' collaborators (Staffing, FlaggedCallers,
HangUps), plus a small directory and a `CallPath` that wires every use case the way
hotline/bootstrap/calls.py does.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from hotline.ports import InboundCall, RecordedWait
from hotline.routing.directory_loader import parse_directory
from hotline.usecases.calls.bridge import Bridge
from hotline.usecases.calls.failsafe import FailSafe, FailSafeLog
from hotline.usecases.calls.incoming import CallRouting
from hotline.usecases.calls.recording import CallRecorder
from hotline.usecases.calls.status import CallStatus
from hotline.usecases.calls.transfer import Transfers
from hotline.usecases.calls.voicemail import Voicemail
from hotline.usecases.calls.waiting import WaitingRoom
from hotline.usecases.recovery import QueueRecovery
from tests.unit.usecases.fakes import FakeClock, FakeKeyring, FakeQueues, FakeRecords

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITY = "+862887577510"       # hosted, 24 h, with a menu (0 = in danger now)
DISTRICT = "+862885337950"   # hosted, 9:00-21:00, no menu
EXTERNAL = "+868386661611"   # not hosted, 24 h
CALLER = "+8613551585969"
ANNOUNCE_EVERY_S = 30
MAX_WAIT_S = 90

DIRECTORY_LINES = [   # as a directory file lists them (a test may change one and parse them again)
    {"id": "city", "name": "城市热线", "region": "成都市", "level": "city", "hosted": True,
     "numbers": [{"number": "028-87577510", "schedule": "24小时"}], "fallback": ["district", "external"],
     "menu": {"prompt": "如果您现在有危险，请按0；其他来电请按1。",
              "options": {"1": {"value": "general", "zh": "一般", "en": "General"},
                          "0": {"value": "danger_now", "zh": "危险", "en": "Danger", "crisis": True}}},
     "max_wait_s": 120},
    {"id": "district", "name": "区热线", "region": "成都市", "level": "district", "hosted": True,
     "numbers": [{"number": "028-85337950", "schedule": "周一至周日，9:00-21:00"}],
     "fallback": ["city", "external"]},
    {"id": "external", "name": "外部热线", "region": "德阳市", "level": "city", "hosted": False,
     "numbers": [{"number": "0838-6661611", "schedule": "24小时"}]},
]
DIRECTORY = parse_directory({"lines": DIRECTORY_LINES})

CLOSED_DIRECTORY = parse_directory({"lines": [
    {"id": "day", "name": "日间热线", "region": "成都市", "level": "city", "hosted": True,
     "numbers": [{"number": "028-61111111", "schedule": "周一至周五，9:00-17:00"}]},
]})


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def inbound(call_sid: str = "CA1", dialled: str = DISTRICT, caller: str = CALLER, status: str = "ringing"):
    return InboundCall(call_sid, dialled, caller, status)


class FakeCallQueues(FakeQueues):
    """CallQueues plus WaitRounds, LineStats and LiveEpoch, as QueueStore provides them."""

    def __init__(self, records: FakeRecords | None = None) -> None:
        super().__init__(records)
        self.handle_s: dict[str, float] = {}
        self.epoch: str | None = None

    def count_round(self, call_sid: str) -> int:
        state = self.calls.setdefault(call_sid, {})
        state["rounds"] = str(int(state.get("rounds", 0)) + 1)
        return int(state["rounds"])

    def handle_time(self, line_id: str) -> float | None:
        return self.handle_s.get(line_id)

    def start(self, at: datetime) -> bool:
        if self.epoch is not None:
            return False
        self.epoch = at.isoformat()
        return True

    def forget_everything(self) -> None:
        """Redis restarted empty."""
        self.calls.clear()
        self.lines.clear()
        self.epoch = None


@dataclass
class FakeStaffing:
    """Staffing: counselors per line, as set by the test."""

    counts: dict[str, int] = field(default_factory=dict)
    asked_at: list[datetime] = field(default_factory=list)

    def lines_for(self, presence, at) -> set[str]:
        return set(presence.lines)

    def staffed_counts(self, at: datetime) -> dict[str, int]:
        self.asked_at.append(at)
        return dict(self.counts)

    def staffed_among(self, presences, at: datetime, roster_version: int) -> dict[str, int]:
        return self.staffed_counts(at)


@dataclass
class FakeFlagged:
    """FlaggedCallers and FlaggedSetRepair: a set of flagged caller keys."""

    keys: set[str] = field(default_factory=set)
    asked: list[tuple[str, ...]] = field(default_factory=list)
    repairs: int = 0

    def is_flagged(self, caller_keys) -> bool:
        self.asked.append(tuple(caller_keys))
        return any(key in self.keys for key in caller_keys)

    def flagged_from(self, caller_keys, hit: bool, set_built: bool) -> bool:
        self.asked.append(tuple(caller_keys))
        return hit

    def ensure(self, force: bool = False) -> bool:
        self.repairs += 1
        return False


@dataclass
class FakeHangUps:
    """HangUps: what the console was told; `accepted` calls can no longer leave the queue."""

    hung_up: list[str] = field(default_factory=list)
    left: list[tuple[str, str]] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    taken_over: list[tuple[str, int]] = field(default_factory=list)

    def caller_hung_up(self, call_sid: str) -> None:
        self.hung_up.append(call_sid)

    def call_taken_over(self, call_sid: str, counselor_id: int) -> None:
        self.taken_over.append((call_sid, counselor_id))

    def caller_leaves_queue(self, call_sid: str, reason: str) -> bool:
        if call_sid in self.accepted:
            return False
        self.left.append((call_sid, reason))
        return True


@dataclass
class FakeCallEvents:
    """CallEvents: (event, payload, line ids) as published."""

    sent: list[tuple[str, dict, tuple]] = field(default_factory=list)

    def publish(self, event: str, payload: dict, *line_ids) -> None:
        self.sent.append((event, dict(payload), line_ids))

    def named(self, event: str) -> list[dict]:
        return [payload for name, payload, _ in self.sent if name == event]


class FakeCallRecords:
    """CallRecords over a list of RecordedWait (already in queue order)."""

    def __init__(self, waiting: list[RecordedWait], received: dict[str, datetime]) -> None:
        self.waiting = waiting
        self.received = received
        self.asked_since: list[datetime] = []

    def still_waiting(self, since: datetime) -> list[RecordedWait]:
        self.asked_since.append(since)
        return [w for w in self.waiting if self.received[w.call_sid] >= since]


class FakeCallsUnitOfWork(AbstractContextManager):
    def __init__(self, calls: FakeCallRecords) -> None:
        self.calls = calls
        self.entered = 0

    def __enter__(self):
        self.entered += 1
        return self

    def __exit__(self, *exc) -> None:
        return None

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass


class CallPath:
    """Every call use case wired to fakes, the way hotline/bootstrap/calls.py wires them."""

    def __init__(self, directory=DIRECTORY, at: datetime | None = None) -> None:
        self.directory = directory
        self.clock = FakeClock(at or local(2026, 11, 23, 10, 0))   # a Monday morning
        self.records = FakeRecords()
        self.queues = FakeCallQueues(self.records)
        self.keyring = FakeKeyring(older=("k0",))
        self.events = FakeCallEvents()
        self.staffing = FakeStaffing()
        self.flagged = FakeFlagged()
        self.hang_ups = FakeHangUps()
        self.recorder = CallRecorder(self.clock, self.keyring, self.records)
        self.routing = CallRouting(directory, self.clock, self.queues, self.staffing, self.flagged, self.keyring,
                                   self.recorder, self.events)
        self.waiting = WaitingRoom(directory, self.clock, self.queues, self.queues, self.queues, self.staffing,
                                   self.hang_ups, self.routing, self.recorder, self.events,
                                   announce_every_s=ANNOUNCE_EVERY_S, max_wait_s=MAX_WAIT_S)
        self.transfers = Transfers(directory, self.clock, self.queues, self.routing)
        self.bridge = Bridge(self.queues, self.hang_ups)
        self.voicemail = Voicemail(self.recorder, self.events)
        self.status = CallStatus(self.clock, self.queues, self.waiting, self.hang_ups, self.recorder, self.events)
        self.failsafe = FailSafe(directory, self.clock)
        self.failsafe_log = FailSafeLog(self.recorder, lambda: self.queues, lambda: self.hang_ups)

    def staff(self, **counts: int) -> None:
        self.staffing.counts.update(counts)

    def ops(self, call_sid: str | None = None, kind: str | None = None):
        return [op for op in self.records.ops
                if (call_sid is None or op.call_sid == call_sid) and (kind is None or op.kind == kind)]

    def recovery(self, waiting: list[RecordedWait], received: dict[str, datetime]):
        calls = FakeCallRecords(waiting, received)
        uow = FakeCallsUnitOfWork(calls)
        return QueueRecovery(self.clock, self.directory, self.queues, self.queues, lambda: uow, self.flagged), uow
