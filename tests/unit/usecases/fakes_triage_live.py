"""In-memory fakes of triage's live ports: the flagged set, one-time claims, what a re-key
moves in Redis, the alerts, the line names — and a keyring that fails as the real one does."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from hotline.ports import DataKeyError
from tests.unit.usecases.fakes import FakeKeyring


class StrictKeyring(FakeKeyring):
    """FakeKeyring failing as the real keyring does: DataKeyError for a token no key opens."""

    def decrypt(self, token: str) -> str:
        generation = token.partition("]:")[0].removeprefix("enc[")
        if not token.startswith("enc[") or generation not in (self.generation, *self.older):
            raise DataKeyError("cannot decrypt")
        return super().decrypt(token)


@dataclass
class FakeFlaggedSet:
    members: set = field(default_factory=set)
    built: bool = True
    down: bool = False

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("redis unavailable")

    def add(self, caller_key: str) -> None:
        self._check()
        self.members.add(caller_key)

    def remove(self, caller_key: str) -> None:
        self._check()
        self.members.discard(caller_key)

    def any_flagged(self, caller_keys: Sequence[str]) -> bool:
        self._check()
        return any(k in self.members for k in caller_keys)

    def is_built(self) -> bool:
        self._check()
        return self.built

    def rebuild(self, caller_keys: Sequence[str]) -> None:
        self._check()
        self.members.update(caller_keys)
        self.built = True


@dataclass
class FakeClaims:
    """OnceClaims shared by 'processes': a claim taken stays taken until released."""

    taken: set = field(default_factory=set)

    def claim(self, call_sid: str, action: str) -> bool:
        if (call_sid, action) in self.taken:
            return False
        self.taken.add((call_sid, action))
        return True

    def release(self, call_sid: str, action: str) -> None:
        self.taken.discard((call_sid, action))


@dataclass(frozen=True)
class FakeAlert:
    kind: str
    level: str
    raised_at: str
    fields: tuple

    @property
    def call_sid(self) -> str | None:
        return dict(self.fields).get("call_sid")


@dataclass
class FakeAlerts:
    """AlertRaiser and OpenAlerts."""

    raised: list = field(default_factory=list)
    fail: bool = False

    def raise_alert(self, kind: str, level: str, at: datetime, **fields) -> FakeAlert:
        if self.fail:
            raise ConnectionError("alerts unavailable")
        alert = FakeAlert(kind, level, at.isoformat(), tuple(sorted(fields.items())))
        self.raised.append(alert)
        return alert

    def open_alerts(self) -> list:
        if self.fail:
            raise ConnectionError("alerts unavailable")
        return list(self.raised)

    def of(self, kind: str) -> list[FakeAlert]:
        return [a for a in self.raised if a.kind == kind]


@dataclass
class FakeLiveCallerKeys:
    moved: list = field(default_factory=list)

    def move(self, old: str, new: str) -> None:
        self.moved.append((old, new))


@dataclass(frozen=True)
class FakeLine:
    id: str
    name: str
    name_en: str = ""


class FakeLines:
    """The line directory as triage reads it: a name per line id."""

    def __init__(self, *lines: FakeLine) -> None:
        self.by_id = {line.id: line for line in lines}

    def get(self, line_id: str):
        return self.by_id.get(line_id)
