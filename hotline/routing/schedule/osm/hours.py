"""OpenStreetMap opening_hours values compiled to a day plan.

Supported: weekdays (lists, ranges, wrap-around Sa-Mo), PH bound to the line's holiday
calendar, years, months, month days (with or without year), time spans including spans
past midnight (22:00-02:00, 20:00-26:00), 24/7, off/closed/open, ';' rules that replace
earlier rules for the days they match, and ',' additional rules. Evaluation follows
opening_hours.js (see schedule_osm_eval); fallback '||', comments, open ends, sun times,
week numbers and SH raise a ScheduleError saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, MAX_END, Window, weekday_set
from hotline.routing.schedule.osm.dates import OsmDateParser
from hotline.routing.schedule.osm.eval import OsmPlan, OsmRule
from hotline.routing.schedule.osm.lexer import tokenize_osm
from hotline.routing.schedule.osm.preds import HolidayPred, WeekdayPred

__all__ = ["parse_osm"]


def parse_osm(text: str) -> OsmPlan:
    """Compile an opening_hours value; ScheduleError (with position) when unsupported."""
    if not text or not text.strip():
        raise ScheduleError(text or "", 0, "营业时间为空 / empty opening_hours value")
    return OsmPlan(tuple(_Parser(text, tokenize_osm(text)).rules()))


@dataclass
class _Draft:
    """A rule being read."""

    pos: int
    groups: list[tuple] = field(default_factory=list)
    times: tuple[Window, ...] | None = None
    is_open: bool = True
    state_seen: bool = False
    last: str | None = None


class _Parser(OsmDateParser):
    """Rules, weekday/PH selectors and time spans; date selectors come from OsmDateParser."""

    def rules(self) -> list[OsmRule]:
        rules: list[OsmRule] = []
        additional = False
        while self.i < len(self.tokens):
            if self._kind() == ";":
                self.i += 1
                additional = False
                continue
            rule, last = self._rule(additional)
            rules.append(rule)
            additional = self._kind() == ","
            if additional:
                if last not in ("TIME", "STATE"):   # as opening_hours.js: "Dec 25, Mo ..." is an error
                    self._fail("此处不能用“,”附加规则，请用“;” / an additional rule ',' makes no sense here, use ';'")
                self.i += 1
        if not rules:
            self._fail("没有规则 / no rules found")
        return rules

    # -- one rule -------------------------------------------------------------------

    def _rule(self, additional: bool) -> tuple[OsmRule, str | None]:
        """One rule, and the kind of its last element (TIME, STATE, ALWAYS or a selector)."""
        draft = _Draft(pos=self._pos())
        while self._kind() not in (None, ";", ","):
            draft.last = self._kind()
            self._element(draft)
        if not draft.groups and draft.times is None and not draft.state_seen:
            self._fail("应为规则 / expected a rule")
        rule = OsmRule(tuple(draft.groups), draft.times, draft.is_open, additional, draft.pos)
        return rule, draft.last

    def _element(self, draft: "_Draft") -> None:
        """Selectors, then times (or 24/7), then an optional state — in that order."""
        kind = self._kind()
        if draft.state_seen:
            self._fail("状态之后不应再有内容 / nothing may follow off/closed/open in a rule")
        if kind == "STATE":
            draft.is_open, draft.state_seen = self.tokens[self.i].value, True
            self.i += 1
        elif draft.times is not None:
            self._fail("时间之后只能是 off/open / only off/closed/open may follow the times")
        elif kind == "ALWAYS":
            self.i += 1
            draft.times = ((0, DAY),)
        elif kind == "TIME":
            draft.times = self._times()
        elif kind == ":":
            self.i += 1       # separator for readability: "Dec 25: 10:00-12:00"
        else:
            draft.groups.append(self._selector(kind))

    def _selector(self, kind: str | None) -> tuple:
        if kind in ("WEEKDAY", "PH"):
            return self._weekday_list()
        if kind == "YEAR":
            return self._monthday_list() if self._kind(1) == "MONTH" and self._kind(2) == "NUMBER" \
                else self._year_list()
        if kind == "MONTH":
            return self._monthday_list() if self._kind(1) == "NUMBER" else self._month_list()
        self._fail("此处不应出现 / unexpected token here")
        raise AssertionError  # unreachable

    # -- selectors ------------------------------------------------------------------

    def _weekday_list(self) -> tuple:
        items, commas = [self._weekday_item()], 0
        while self._kind() == "," and self._kind(1) in ("WEEKDAY", "PH"):
            self.i += 1
            commas += 1
            items.append(self._weekday_item())
        if commas == 0 and isinstance(items[0], HolidayPred):
            return (items[0],)     # a lone PH is its own group (ANDed with weekdays)
        return tuple(items)

    def _weekday_item(self) -> WeekdayPred | HolidayPred:
        tok = self._take("WEEKDAY", "PH")
        if tok.kind == "PH":
            return HolidayPred()
        if self._kind() == "-" and self._kind(1) == "WEEKDAY":
            self.i += 2
            return WeekdayPred(weekday_set(tok.value, self.tokens[self.i - 1].value))
        return WeekdayPred(frozenset({tok.value}))

    # -- times ----------------------------------------------------------------------

    def _times(self) -> tuple[Window, ...]:
        spans = [self._span()]
        while self._kind() == "," and self._kind(1) == "TIME":
            self.i += 1
            spans.append(self._span())
        return tuple(spans)

    def _span(self) -> Window:
        start = self._take("TIME").value
        if self._kind() != "-":
            self._fail("应为时间范围 HH:MM-HH:MM / expected a time span HH:MM-HH:MM")
        self.i += 1
        end = self._take("TIME").value
        if start >= DAY:
            self._fail("开始时间须早于 24:00 / a span must start before 24:00", back=3)
        if end <= start:
            end += DAY
        if end > MAX_END:
            self._fail("结束时间超过 48:00 / a span cannot end after 48:00", back=1)
        return (start, end)
