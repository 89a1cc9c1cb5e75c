"""In-memory fakes of the triage unit of work, and the triage use cases wired to fakes.

FakeTriageDb keeps the tables; each FakeUnitOfWork works on a copy of them and only a
commit() makes its writes visible, so a use case that forgets to commit fails here as it
would on PostgreSQL. `db.down = True` makes every unit of work fail to open (an outage).
The repositories are in fakes_triage_repos.py, the live (Redis) fakes in fakes_triage_live.py.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hotline.ports import RecordedCall
from hotline.usecases.triage.assessments import Assessments
from hotline.usecases.triage.blocked import BlockedRecords
from hotline.usecases.triage.close_guard import CloseGuard
from hotline.usecases.triage.config import TriageConfig
from hotline.usecases.triage.file_view import CallerFileView, OfferContext
from hotline.usecases.triage.files import CallerFiles, FlaggedCallers
from hotline.usecases.triage.follow_ups import FollowUps
from hotline.usecases.triage.notes import CallNotes
from hotline.usecases.triage.origin import CallOrigins
from hotline.usecases.triage.panel import TriagePanel
from hotline.usecases.triage.referrals import Referrals
from hotline.usecases.triage.rekey import Rekey
from hotline.usecases.triage.risk_actions import RiskActions
from hotline.usecases.triage.supervision import Supervision
from tests.unit.usecases.fakes import FakeClock, FakeJobs, FakeKeyring, FakePresences, FakeQueues
from tests.unit.usecases.fakes_triage_live import (FakeAlerts, FakeClaims, FakeFlaggedSet, FakeLine, FakeLines,
                                                   FakeLiveCallerKeys)
from tests.unit.usecases.fakes_triage_repos import (FakeAccessLog, FakeAssessments, FakeCallRecord,
                                                    FakeCallerFiles, FakeChecklists, FakeEncryptedColumns,
                                                    FakeFollowUps, FakeNotes, FakeReferrals)


class FakeTriageDb:
    def __init__(self) -> None:
        self.tables: dict[str, dict] = {name: {} for name in (
            "assessments", "checklists", "follow_ups", "caller_files", "referrals", "notes", "calls", "tokens")}
        self.logs: dict[str, list[tuple[str, AccessEntry]]] = {"file_access": [], "note_access": []}
        self.ids = 0
        self.down = False
        self.commits = 0
        self.race_on_insert: object | None = None   # an assessment another writer saves first

    def __call__(self) -> "FakeUnitOfWork":
        return FakeUnitOfWork(self)

    def next_id(self) -> int:
        self.ids += 1
        return self.ids

    # helpers for tests
    def call(self, call_sid: str, caller_key: str, **fields) -> RecordedCall:
        self.tables["calls"][call_sid] = found = RecordedCall(call_sid, caller_key, **fields)
        return found

    def accesses(self, log: str, subject: str) -> list[tuple[int, str]]:
        return [(e.user_id, e.action) for s, e in self.logs[log] if s == subject]


class FakeUnitOfWork:
    def __init__(self, db: FakeTriageDb) -> None:
        self.db = db

    def __enter__(self):
        if self.db.down:
            raise ConnectionError("database unavailable")
        self.tables = {name: dict(rows) for name, rows in self.db.tables.items()}
        self.logs = {name: list(rows) for name, rows in self.db.logs.items()}
        self.assessments = FakeAssessments(self)
        self.checklists = FakeChecklists(self)
        self.follow_ups = FakeFollowUps(self)
        self.caller_files = FakeCallerFiles(self)
        self.referrals = FakeReferrals(self)
        self.notes = FakeNotes(self)
        self.file_access = FakeAccessLog(self, "file_access")
        self.note_access = FakeAccessLog(self, "note_access")
        self.calls = FakeCallRecord(self)
        self.encrypted = FakeEncryptedColumns(self)
        return self

    def __exit__(self, *exc) -> None:
        self.tables = None

    def commit(self) -> None:
        self.db.tables, self.db.logs = self.tables, self.logs
        self.tables = {name: dict(rows) for name, rows in self.tables.items()}
        self.logs = {name: list(rows) for name, rows in self.logs.items()}
        self.db.commits += 1

    def rollback(self) -> None:
        self.__enter__()


# --- the triage use cases wired to these fakes (what hotline/bootstrap/triage.py does) -------

_CONFIG = None


def shipped_config():
    """The repository's config/ forms and the test referral directory (tests/fixtures: the
    shipped one holds public numbers only), loaded once per test run."""
    global _CONFIG
    if _CONFIG is None:
        root = Path(__file__).resolve().parents[3]
        _CONFIG = TriageConfig(root / "config", referrals_file=root / "tests" / "fixtures" / "referrals-test.yaml")
    return _CONFIG


class TriageWorld:
    """One process's triage use cases over in-memory ports; every fake is an attribute."""

    def __init__(self, at: datetime | None = None) -> None:
        self.clock, self.db, self.keyring = FakeClock(at), FakeTriageDb(), FakeKeyring()
        self.queues, self.presences, self.jobs = FakeQueues(), FakePresences(), FakeJobs()
        self.flagged, self.claims, self.alerts = FakeFlaggedSet(), FakeClaims(), FakeAlerts()
        self.live_keys, self.monotonic = FakeLiveCallerKeys(), [100.0]
        self.lines = FakeLines(FakeLine("chengdu-gaoxin", "成都高新区心理援助热线", "Chengdu Gaoxin line"))
        self.config = shipped_config()
        origins = CallOrigins(self.queues, self.db)
        self.follow_ups = FollowUps(self.db, self.jobs, self.alerts, self.clock)
        self.risk_actions = RiskActions(self.alerts, self.flagged, self.claims, self.follow_ups, self.lines)
        self.assessments = Assessments(self.config, origins, self.db, self.keyring, self.clock, self.risk_actions)
        self.close_guard = CloseGuard(self.db, self.presences, self.keyring)
        self.referrals = Referrals(self.db, self.config, origins, self.keyring, self.clock)
        self.flagged_callers = FlaggedCallers(self.flagged, self.db, monotonic=lambda: self.monotonic[0])
        self.offer_context = OfferContext(self.flagged_callers, self.db)
        self.caller_files = CallerFiles(self.db, self.flagged, self.keyring, self.clock, origins)
        self.file_view = CallerFileView(self.db, self.keyring, self.clock, self.presences, self.queues,
                                        self.close_guard, self.referrals)
        self.panel = TriagePanel(self.db, self.keyring, origins, self.referrals, self.close_guard)
        self.blocked = BlockedRecords(self.db, self.close_guard, self.presences, self.lines, self.alerts, self.alerts,
                                      self.clock)
        self.supervision = Supervision(self.db, self.alerts, self.referrals, self.follow_ups, self.clock,
                                       self.blocked)
        self.notes = CallNotes(self.db, self.keyring, self.clock)
        self.rekey = Rekey(self.db, self.keyring, self.live_keys)

    def live_call(self, call_sid: str = "CA1", caller: str = "+8613908170000", line: str = "chengdu-gaoxin",
                  region: str | None = "四川省成都市", counselor_id: int | None = None) -> str:
        """A call in the queue's live state and in the record; returns its caller key."""
        key = self.keyring.caller_key(caller) if caller else ""
        self.queues.annotate(call_sid, caller_key=key, line=line)
        self.db.call(call_sid, key or "anonymous", line_id=line, caller_region=region, counselor_id=counselor_id,
                     received_at=self.clock.now())
        return key
