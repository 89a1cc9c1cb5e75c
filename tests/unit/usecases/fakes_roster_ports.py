"""In-memory fakes of the roster area's small ports (roster version, alert gate, alerts, jobs,
a monotonic clock) and a small line directory with opening hours."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.unit.usecases.fakes import FakeJobs

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@dataclass
class FakeRosterVersion:
    """RosterVersion: a counter; `fail` makes it behave like Redis gone away."""

    value: int = 0
    reads: int = 0
    fail: bool = False

    def current(self) -> int:
        self.reads += 1
        if self.fail:
            raise ConnectionError("redis unavailable")
        return self.value

    def bump(self) -> None:
        if self.fail:
            raise ConnectionError("redis unavailable")
        self.value += 1


@dataclass
class FakeLocalSnapshot:
    invalidations: int = 0

    def invalidate(self) -> None:
        self.invalidations += 1


@dataclass
class FakeGate:
    """CoverageAlertGate: one claim per line until it expires."""

    until: dict[str, datetime] = field(default_factory=dict)

    def claim(self, line_id: str, at: datetime, seconds: int) -> bool:
        if line_id in self.until and at < self.until[line_id]:
            return False
        self.until[line_id] = at + timedelta(seconds=seconds)
        return True


@dataclass
class FakeAlerts:
    """AlertRaiser: what was raised."""

    raised: list[dict] = field(default_factory=list)

    def raise_alert(self, kind: str, level: str, at: datetime, **fields):
        self.raised.append({"kind": kind, "level": level, "at": at, **fields})
        return self.raised[-1]


@dataclass
class FakeRosterJobs(FakeJobs):
    """Jobs and JobWorkers."""

    workers: int = 1
    broken: bool = False

    def listening(self, queue: str = "default") -> int:
        if self.broken:
            raise ConnectionError("redis unavailable")
        return self.workers


@dataclass
class FakeTicks:
    """A monotonic clock in seconds that moves only when told."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


# --- a small line directory ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FakeSchedule:
    """Open daily [opens, closes) local hours, or always (opens=None)."""

    opens: int | None = None
    closes: int = 24

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        if self.opens is None:
            return [(start, end)]
        spans, day = [], start.astimezone(SHANGHAI).date() - timedelta(days=1)
        while datetime.combine(day, time(), SHANGHAI) < end:
            s = datetime.combine(day, time(self.opens), SHANGHAI)
            e = datetime.combine(day, time(), SHANGHAI) + timedelta(hours=self.closes)
            if e > start and s < end:
                spans.append((max(s, start), min(e, end)))
            day += timedelta(days=1)
        return spans

    def is_open(self, at: datetime) -> bool:
        return bool(self.intervals(at, at + timedelta(seconds=1)))


@dataclass(frozen=True)
class FakeNumber:
    schedule: FakeSchedule


@dataclass(frozen=True)
class FakeLine:
    id: str
    name: str
    numbers: tuple[FakeNumber, ...]
    hosted: bool = True
    timezone: str = "Asia/Shanghai"

    def is_open(self, at: datetime) -> bool:
        return any(n.schedule.is_open(at) for n in self.numbers)


class FakeDirectory:
    """The part of hotline.routing.Directory the roster uses: iteration, get, hosted."""

    def __init__(self, *lines: FakeLine) -> None:
        self.lines = {line.id: line for line in lines}

    def __iter__(self):
        return iter(self.lines.values())

    def get(self, line_id: str):
        return self.lines.get(line_id)

    def hosted(self) -> list:
        return [line for line in self if line.hosted]


GAOXIN = "gx"
DIRECTORY = FakeDirectory(
    FakeLine(GAOXIN, "高新区热线", (FakeNumber(FakeSchedule(9, 21)),)),
    FakeLine("allday", "全天热线", (FakeNumber(FakeSchedule()), FakeNumber(FakeSchedule(9, 21)))),
    FakeLine("elsewhere", "外部热线", (FakeNumber(FakeSchedule()),), hosted=False))
