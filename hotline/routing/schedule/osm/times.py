"""Time spans of opening_hours rules: "08:00-18:00", "22:00-02:00", "20:00-26:00" — and the lenient
"10-12", "10.00-12.00", "10am-12pm", "10:30pm-1am" read as opening_hours.js reads them.

A lenient span is read only when its meaning is not in doubt, each with the reference's
warning. Where the reference itself guesses, we refuse: minutes on one end only ("10-12:30",
which it refuses too), am/pm on one end only ("4-10pm" is 04:00-22:00 to it, 16:00-22:00 to
a reader), and am/pm on hours outside 1–12 ("13pm", "0am").
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, MAX_END, Window
from hotline.routing.schedule.osm import lenient
from hotline.routing.schedule.osm.cursor import OsmCursor
from hotline.routing.schedule.osm.lenient import Edit

__all__ = ["OsmTimeParser"]


@dataclass(frozen=True)
class _Clock:
    hours: int
    minutes: int
    pos: int
    end: int
    bare: bool              # "10" rather than "10:00"
    meridian: str | None    # "am" / "pm" as written
    meridian_pos: int
    single_digit: bool      # the hour was written with one digit

    @property
    def minute(self) -> int:
        return self.hours * 60 + self.minutes

    @property
    def ambiguous(self) -> bool:
        return self.single_digit and self.meridian is None and self.hours < 12

    def hhmm(self) -> str:
        return f"{self.hours:02d}:{self.minutes:02d}"


class OsmTimeParser(OsmCursor):
    """Reads a comma-separated list of spans; warnings and edits go to self.notes / self.edits."""

    def _starts_clock(self, ahead: int = 0) -> bool:
        kind = self._kind(ahead)
        return kind == "TIME" or (kind == "NUMBER" and self._kind(ahead + 1) in ("-", "MERIDIAN"))

    def _times(self) -> tuple[Window, ...]:
        spans = [self._span()]
        while self._kind() == "," and self._starts_clock(1):
            self.i += 1
            spans.append(self._span())
        return tuple(spans)

    def _span(self) -> Window:
        start = self._clock()
        if self._kind() == "+":
            self._fail("不支持开放式结束时间 / open end '+' is not supported")
        if self._kind() != "-":
            self._fail("应为时间范围 HH:MM-HH:MM / expected a time span HH:MM-HH:MM")
        self.i += 1
        end = self._clock()
        if start.bare != end.bare:
            raise ScheduleError(self.text, (end if end.bare else start).pos, "两端都写分钟或都不写 / give the "
                                "minutes on both ends of a span (10:00-12:30) or on neither (10-12)")
        if (start.meridian is None) != (end.meridian is None):
            raise ScheduleError(self.text, (start if start.meridian is None else end).pos, "两端都写 am/pm 或都不写 / "
                                "give am/pm on both ends or on neither (is '4-10pm' 04:00 or 16:00?)")
        if start.minute >= DAY:
            raise ScheduleError(self.text, start.pos, "开始时间须早于 24:00 / a span must start before 24:00")
        self._note_lenient(start, end)
        # as opening_hours.js: "13:00-13:00" is 24 hours, but bare "13-13" is an empty span
        wraps = end.minute < start.minute or (end.minute == start.minute and not start.bare)
        until = end.minute + DAY if wraps else end.minute
        if until > MAX_END:
            raise ScheduleError(self.text, end.pos, "结束时间超过 48:00 / a span cannot end after 48:00")
        return (start.minute, until)

    def _clock(self) -> _Clock:
        tok = self._take("TIME", "NUMBER")
        hours, minutes = divmod(tok.value, 60) if tok.kind == "TIME" else (tok.value, 0)
        digits = len(self.text[tok.pos:tok.end]) - len(self.text[tok.pos:tok.end].lstrip("0123456789"))
        meridian, meridian_pos, end = None, -1, tok.end
        if self._kind() == "MERIDIAN":
            mark = self.tokens[self.i]
            self.i += 1
            meridian, meridian_pos, end = mark.value, mark.pos, mark.end
            if not 1 <= hours <= 12:
                raise ScheduleError(self.text, tok.pos, "用 am/pm 时小时应为 1–12 / with am/pm the hour must be 1–12")
            hours = hours % 12 + (12 if meridian == "pm" else 0)
        elif tok.kind == "NUMBER" and hours > 48:
            raise ScheduleError(self.text, tok.pos, f"时间超出范围 / time out of range: {hours} (00–48)")
        return _Clock(hours, minutes, tok.pos, end, tok.kind == "NUMBER", meridian, meridian_pos, digits == 1)

    def _note_lenient(self, start: _Clock, end: _Clock) -> None:
        """The reference's warnings for this span, and the edits to its canonical spelling."""
        for clock in (start, end):
            if clock.meridian is not None:
                self.notes.append(lenient.twelve_hour(clock.meridian_pos, clock.hhmm()))
                self.edits.append(Edit(clock.pos, clock.end, clock.hhmm()))
            elif clock.bare:
                self.edits.append(Edit(clock.pos, clock.end, clock.hhmm()))
        if start.bare:
            self.notes.append(lenient.no_minutes(start.pos, f"{start.hhmm()}-{end.hhmm()}"))
        ambiguous = [c for c in (start, end) if c.ambiguous and (c is end or end.ambiguous)]
        for clock in ambiguous:
            self.notes.append(lenient.single_digit(clock.pos, clock.hours))
            if not clock.bare:
                self.edits.append(Edit(clock.pos, clock.pos + 1, f"0{clock.hours}"))
