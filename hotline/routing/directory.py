"""The line directory: which hotlines exist, their numbers, hours and fallbacks.

Pure data plus lookups; loading and validation live in directory_loader.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Iterator, Mapping

from hotline.routing.schedule import Schedule


@dataclass(frozen=True)
class MenuOption:
    digit: str
    value: str
    zh: str
    en: str
    crisis: bool = False


@dataclass(frozen=True)
class Menu:
    """A <Gather> menu: caller group or concern; a crisis digit raises priority."""

    prompt: str
    options: Mapping[str, MenuOption]

    def choose(self, digits: str | None) -> MenuOption | None:
        return self.options.get((digits or "").strip()[:1])


@dataclass(frozen=True)
class LineNumber:
    """One published number of a line, with its own hours."""

    line_id: str
    published: str          # as printed in the directory, e.g. "028-12320-4号线"
    e164: str               # +862812320
    send_digits: str        # DTMF to send after connecting ("4" for 4号线), "" if none
    schedule_text: str
    schedule: Schedule

    def is_open(self, at: datetime) -> bool:
        return self.schedule.is_open(at)


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    name_en: str
    region: str
    level: str                          # national | province | city | district
    hosted: bool
    numbers: tuple[LineNumber, ...]
    fallback: tuple[str, ...] = ()
    menu: Menu | None = None
    max_wait_s: int = 90
    timezone: str = "Asia/Shanghai"
    gateway: bool = False               # a unified number that routes by caller region
    area_codes: tuple[str, ...] = field(default=())
    service_level_s: int | None = None  # its own service-level threshold; None: the service's default

    def is_open(self, at: datetime) -> bool:
        return any(n.is_open(at) for n in self.numbers)

    def open_numbers(self, at: datetime) -> list[LineNumber]:
        return [n for n in self.numbers if n.is_open(at)]

    def next_change(self, at: datetime) -> datetime | None:
        changes = [c for c in (n.schedule.next_change(at) for n in self.numbers) if c]
        return min(changes) if changes else None

    @property
    def always_open(self) -> bool:
        return any(n.schedule.always_open for n in self.numbers)


@dataclass(frozen=True)
class Directory:
    lines: Mapping[str, Line]
    source: str = ""

    def __iter__(self) -> Iterator[Line]:
        return iter(self.lines.values())

    def __len__(self) -> int:
        return len(self.lines)

    def get(self, line_id: str) -> Line | None:
        return self.lines.get(line_id)

    def by_number(self, e164: str) -> tuple[Line, LineNumber] | None:
        """The line (and number) a call to e164 reached; None for a foreign number."""
        return self._number_index().get(e164)

    def numbers(self) -> Iterable[LineNumber]:
        for line in self:
            yield from line.numbers

    def hosted(self) -> list[Line]:
        return [line for line in self if line.hosted]

    def _number_index(self) -> dict[str, tuple[Line, LineNumber]]:
        index = self.__dict__.get("_index")
        if index is None:
            index = {n.e164: (line, n) for line in self for n in line.numbers}
            object.__setattr__(self, "_index", index)
        return index
