"""In-memory fakes of the ops area's ports (hotline/ports.py, the ops section).

The unit of work keeps the accounts and the day's call record in a store that changes
only on commit, like the SQL one: a use case that fails half-way leaves nothing behind.
Passwords are kept as "hash:<password>" so a test can see a password changed without
argon2; the real hashing is proven in tests/integration/auth.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timezone

from hotline.ports import Account, AccountError, AccountEvent, Alert, DayCall, QueueEntry, QueuedCaller, SignIn
from hotline.routing.directory import Directory, Line, LineNumber
from hotline.routing.schedule import compile_schedule

UTC = timezone.utc
CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class FakeAlertBoard:
    """AlertBoard: a dict; `down` makes every call fail like Redis away."""

    def __init__(self) -> None:
        self.alerts: dict[str, Alert] = {}
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("redis down")

    def put(self, alert: Alert) -> None:
        self._check()
        self.alerts[alert.id] = alert

    def remove(self, alert_id: str) -> bool:
        self._check()
        return self.alerts.pop(alert_id, None) is not None

    def all(self) -> list[Alert]:
        self._check()
        return list(self.alerts.values())


class Ids:
    """new_id for Alerts: a1, a2, …"""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"a{self.n}"


@dataclass
class FakeFloor:
    """FloorState: queues per line (in order) and the line of each busy call."""

    queues: dict[str, list[QueuedCaller]] = field(default_factory=dict)
    call_lines: dict[str, str] = field(default_factory=dict)
    down: bool = False
    asked: list[list[str]] = field(default_factory=list)

    def queued(self, line_ids) -> dict[str, list[QueuedCaller]]:
        if self.down:
            raise ConnectionError("redis down")
        return {line_id: list(self.queues.get(line_id, [])) for line_id in line_ids}

    def lines_of_calls(self, call_sids) -> dict[str, str]:
        self.asked.append(list(call_sids))
        return {sid: self.call_lines[sid] for sid in call_sids if sid in self.call_lines}


class FakeStaffing:
    """Staffing: a counselor may answer their assigned lines, minus `off_shift` ones."""

    def __init__(self, off_shift: set[str] | None = None) -> None:
        self.off_shift = off_shift or set()

    def lines_for(self, presence, at) -> set[str]:
        return set(presence.lines) - self.off_shift

    def staffed_counts(self, at) -> dict[str, int]:
        return {}


class FakeOnDuty:
    """OnDuty: an answer per line (default: nobody on shift), or an exception."""

    def __init__(self, answers: dict | None = None, fail: Exception | None = None) -> None:
        self.answers = answers or {}
        self.fail = fail

    def on_duty(self, line_id: str, at) -> dict:
        if self.fail is not None:
            raise self.fail
        return self.answers.get(line_id, {"current": [], "next": {"start": None, "names": []},
                                          "source": "presence", "staffed": False})


@dataclass
class OpsStore:
    """What the SQL store would hold: user rows and the day's call record."""

    users: dict[str, dict] = field(default_factory=dict)        # username → row
    audit: list[AccountEvent] = field(default_factory=list)
    calls: list[DayCall] = field(default_factory=list)
    entries: list[QueueEntry] = field(default_factory=list)
    next_id: int = 1


class FakeUsers:
    """Users on a working copy of the store's rows."""

    def __init__(self, store: OpsStore) -> None:
        self.store = store

    def _account(self, row: dict) -> Account:
        return Account(id=row["id"], username=row["username"], display_name=row["display_name"], role=row["role"],
                       lines=tuple(row["lines"]), active=row["active"], created_at=row["created_at"],
                       last_login_at=row["last_login_at"], session_id=f"{row['id']}:{row.get('version', 0)}",
                       locked_at=row.get("locked_at"))

    def by_username(self, username: str) -> Account | None:
        row = self.store.users.get(username)
        return self._account(row) if row else None

    def by_id(self, user_id: int) -> Account | None:
        row = next((r for r in self.store.users.values() if r["id"] == user_id), None)
        return self._account(row) if row else None

    def all(self) -> list[Account]:
        return [self._account(self.store.users[name]) for name in sorted(self.store.users)]

    def display_names(self, user_ids) -> dict[int, str]:
        wanted = set(user_ids)
        return {r["id"]: r["display_name"] for r in self.store.users.values() if r["id"] in wanted}

    def add(self, username, role, password, *, display_name, lines, now) -> Account:
        if username in self.store.users:
            raise AccountError(f"用户已存在 / user already exists: {username}")
        self.store.users[username] = {"id": self.store.next_id, "username": username,
                                      "display_name": display_name.strip()[:128], "role": role,
                                      "lines": list(lines), "active": True, "created_at": now,
                                      "last_login_at": None, "hash": f"hash:{password}"}
        self.store.next_id += 1
        return self.by_username(username)

    def set_password(self, username, password) -> bool:
        if username not in self.store.users:
            return False
        self.store.users[username]["hash"] = f"hash:{password}"
        return self.revoke_sessions(username)

    def set_active(self, username, active) -> bool:
        if username not in self.store.users:
            return False
        self.store.users[username]["active"] = active
        return self.revoke_sessions(username)

    def revoke_sessions(self, username) -> bool:
        if username not in self.store.users:
            return False
        row = self.store.users[username]
        row["version"] = row.get("version", 0) + 1
        return True

    def set_locked(self, username, locked_at) -> bool:
        row = self.store.users.get(username)
        if row is None or (row.get("locked_at") is None) == (locked_at is None):
            return False
        row["locked_at"] = locked_at
        return True

    def sign_in(self, username, password, now) -> SignIn:
        row = self.store.users.get(username) if username else None
        if row is not None and row["active"] and row.get("locked_at") is not None:
            return SignIn(None, row["id"], locked=True)
        if row is None or not row["active"] or row["hash"] != f"hash:{password}":
            return SignIn(None, row["id"] if row else None)
        row["last_login_at"] = now
        return SignIn(self._account(row))


class FakeAccountAudit:
    """AccountAudit on the store's list (newest last)."""

    def __init__(self, store: OpsStore) -> None:
        self.store = store

    def record(self, event: AccountEvent) -> None:
        self.store.audit.append(event)

    def recent(self, limit: int) -> list[AccountEvent]:
        return list(reversed(self.store.audit))[:limit]


class FakeToday:
    """TodayRecords over the store's call record."""

    def __init__(self, store: OpsStore) -> None:
        self.store = store

    def calls(self, start, end) -> list[DayCall]:
        return [c for c in self.store.calls if start <= c.received_at < end]

    def queue_entries(self, start, end) -> list[QueueEntry]:
        ids = {c.id for c in self.calls(start, end)}
        return [e for e in self.store.entries if e.call_id in ids]


class FakeOpsUnitOfWork:
    """OpsUnitOfWork: a working copy of `committed`, written back on commit only."""

    def __init__(self, committed: OpsStore, log: list[str] | None = None, down: bool = False) -> None:
        self.committed = committed
        self.log = log if log is not None else []
        self.down = down

    def __enter__(self):
        if self.down:
            raise OSError("database down")
        self.working = copy.deepcopy(self.committed)
        self.users = FakeUsers(self.working)
        self.account_audit = FakeAccountAudit(self.working)
        self.today = FakeToday(self.working)
        self.log.append("begin")
        return self

    def __exit__(self, *exc) -> None:
        self.log.append("end")

    def commit(self) -> None:
        self.committed.__dict__.update(copy.deepcopy(self.working).__dict__)
        self.log.append("commit")

    def rollback(self) -> None:
        self.log.append("rollback")


class UowFactory:
    """`uow()` for a use case: units of work over one committed store; counts them."""

    def __init__(self, store: OpsStore | None = None) -> None:
        self.store = store or OpsStore()
        self.opened = 0
        self.down = False

    def __call__(self) -> FakeOpsUnitOfWork:
        self.opened += 1
        return FakeOpsUnitOfWork(self.store, down=self.down)


class FakeLeadership:
    """DashboardLeadership shared by several feeds: one token leads at a time."""

    def __init__(self) -> None:
        self.holder: str | None = None
        self.watched_for: int | None = None
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("redis down")

    def renew(self, token: str, ttl_ms: int) -> bool:
        self._check()
        if self.holder in (None, token):
            self.holder = token
        return self.holder == token

    def release(self, token: str) -> None:
        if self.holder == token:
            self.holder = None

    def mark_watched(self, ttl_s: int) -> None:
        self._check()
        self.watched_for = ttl_s

    def watched(self) -> bool:
        self._check()
        return self.watched_for is not None


class FakeChanges:
    """ChangeSource: the test calls `emit(name)` as if an event happened somewhere."""

    def __init__(self) -> None:
        self.on_event = None
        self.listening = None
        self.stopped = False

    def start(self, on_event, listening) -> None:
        self.on_event, self.listening = on_event, listening

    def stop(self) -> None:
        self.stopped = True

    def emit(self, name: str) -> None:
        if self.listening():
            self.on_event(name)


@dataclass
class FakeSink:
    """SnapshotSink: what was emitted; `ready` False outside a web process."""

    sent: list[dict] = field(default_factory=list)
    is_ready: bool = True
    fail: bool = False

    def ready(self) -> bool:
        return self.is_ready

    def emit(self, snapshot: dict) -> None:
        if self.fail:
            raise ConnectionError("socket.io down")
        self.sent.append(snapshot)


class FakeBuilder:
    """What the feed needs of the DashboardBuilder: snapshots, counted; `fail` raises."""

    def __init__(self) -> None:
        self.built: list[bool] = []
        self.fail = False

    def snapshot(self, fresh_today: bool = False) -> dict:
        if self.fail:
            raise ConnectionError("redis down")
        self.built.append(fresh_today)
        return {"seq": len(self.built), "fresh": fresh_today}


class FakeMonotonic:
    def __init__(self, at: float = 1000.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def account(**fields) -> Account:
    values = dict(id=1, username="wang", display_name="王", role="counselor", lines=("chengdu",), active=True,
                  created_at=CREATED, last_login_at=None, session_id="1:abc")
    values.update(fields)
    return Account(**values)


__all__ = ["FakeAlertBoard", "FakeBuilder", "FakeChanges", "FakeFloor", "FakeLeadership", "FakeMonotonic",
           "FakeOnDuty", "FakeOpsUnitOfWork", "FakeSink", "FakeStaffing", "FakeToday", "FakeUsers", "Ids",
           "OpsStore", "UowFactory", "account", "directory", "line"]


# --- a small directory (the core's own types) -------------------------------------------------

def line(line_id: str, hours: str = "24小时", *, hosted: bool = True, tz: str = "Asia/Shanghai",
         name: str | None = None):
    """A Line with one number open `hours` (Chinese schedule text)."""
    number = LineNumber(line_id, "028-00000000", "+862800000000", "", hours, compile_schedule(hours, fmt="zh", tz=tz))
    return Line(id=line_id, name=name or f"{line_id} 热线", name_en=f"{line_id} line", region="四川", level="city",
                hosted=hosted, numbers=(number,), timezone=tz)


def directory(*lines) -> Directory:
    return Directory({item.id: item for item in lines})
