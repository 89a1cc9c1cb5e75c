"""OpenStreetMap opening_hours values compiled to a day plan.

Supported: weekdays (lists, ranges, wrap-around Sa-Mo, nth weekdays Sa[1] / Su[-1] with day
offsets Mo[2] +1 day), PH bound to the line's holiday calendar (with PH ±1 day), years,
months and month days (mixed in one list), time spans including spans past midnight
(22:00-02:00, 20:00-26:00), 24/7, off/closed/open, ';' rules that replace earlier rules for
the days they match, ',' additional rules, '||' fallback rules, and comments after a state
(`PH off "closed on holidays"`), kept and shown. The lenient spellings opening_hours.js
accepts with a warning are read the same way, with the same warning (osm_lenient).
Evaluation follows opening_hours.js (see osm_eval). Refused, with the reason: open ends,
sun times, week numbers, SH, and every rule whose state would be *unknown* (a comment
without open/off, the 'unknown' keyword): a crisis line is open or it is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, Window
from hotline.routing.schedule.osm.eval import OsmPlan, OsmRule
from hotline.routing.schedule.osm.lenient import apply_edits
from hotline.routing.schedule.osm.lexer import tokenize_osm
from hotline.routing.schedule.osm.times import OsmTimeParser
from hotline.routing.schedule.osm.weekdays import OsmWeekdayParser

__all__ = ["parse_osm"]

_UNKNOWN = ("注释前应写 open 或 off，否则 opening_hours 把状态当作“未知” / comments need an explicit open or "
            "off before them — without one opening_hours makes the state unknown: write 'open \"…\"' or 'off \"…\"'")


def parse_osm(text: str) -> OsmPlan:
    """Compile an opening_hours value; ScheduleError (with position) when unsupported."""
    if not text or not text.strip():
        raise ScheduleError(text or "", 0, "营业时间为空 / empty opening_hours value")
    tokens, notes, edits = tokenize_osm(text)
    parser = _Parser(text, tokens, notes, edits)
    rules = tuple(parser.rules())
    return OsmPlan(rules, lenient=tuple(parser.notes), normalized=apply_edits(text, parser.edits))


@dataclass
class _Draft:
    """A rule being read."""

    pos: int
    groups: list[tuple] = field(default_factory=list)
    times: tuple[Window, ...] | None = None
    is_open: bool = True
    state_seen: bool = False
    comment: str | None = None
    last: str | None = None


class _Parser(OsmWeekdayParser, OsmTimeParser):
    """Rules and their separators; selectors and spans come from the mixins."""

    def __init__(self, text, tokens, notes, edits):
        super().__init__(text, tokens)
        self.notes, self.edits = notes, edits

    def rules(self) -> list[OsmRule]:
        rules: list[OsmRule] = []
        additional = fallback = False
        while self.i < len(self.tokens):
            if self._kind() in (";", "FALLBACK"):
                fallback = self._kind() == "FALLBACK"
                if fallback and (not rules or self._kind(-1) in (";", ",", "FALLBACK")):
                    self._fail("“||”前面没有规则 / nothing before the fallback '||'")
                self.i += 1
                additional = False
                if fallback and self._kind() in (None, ";", "FALLBACK"):
                    self._fail("“||”后面没有规则 / nothing after the fallback '||'")
                continue
            rule, last = self._rule(additional, fallback)
            rules.append(rule)
            additional = self._kind() == ","
            if additional:
                if last not in ("TIME", "STATE", "COMMENT"):   # as opening_hours.js: "Dec 25, Mo ..." is an error
                    self._fail("此处不能用“,”附加规则，请用“;” / an additional rule ',' makes no sense here, use ';'")
                self.i += 1
        if not rules:
            self._fail("没有规则 / no rules found")
        return rules

    # -- one rule -------------------------------------------------------------------

    def _rule(self, additional: bool, fallback: bool) -> tuple[OsmRule, str | None]:
        """One rule, and the kind of its last element (TIME, STATE, COMMENT, ALWAYS or a selector)."""
        draft = _Draft(pos=self._pos())
        while self._kind() not in (None, ";", ",", "FALLBACK"):
            draft.last = self._kind()
            self._element(draft)
        if not draft.groups and draft.times is None and not draft.state_seen:
            self._fail("应为规则 / expected a rule")
        rule = OsmRule(tuple(draft.groups), draft.times, draft.is_open, additional, draft.pos,
                       fallback=fallback, comment=draft.comment)
        return rule, draft.last

    def _element(self, draft: _Draft) -> None:
        """Selectors, then times (or 24/7), then an optional state, then an optional comment."""
        kind = self._kind()
        if draft.comment is not None:
            self._fail("注释之后不应再有内容 / nothing may follow the comment in a rule")
        if kind == "COMMENT":
            self._comment(draft)
        elif draft.state_seen:
            self._fail("状态之后只能是注释 / nothing may follow off/closed/open in a rule but a comment")
        elif kind == "STATE":
            draft.is_open, draft.state_seen = self.tokens[self.i].value, True
            self.i += 1
        elif draft.times is not None:
            self._fail("时间之后只能是 off/open / only off/closed/open may follow the times")
        elif kind == "ALWAYS":
            self.i += 1
            draft.times = ((0, DAY),)
        elif self._starts_clock():
            draft.times, draft.last = self._times(), "TIME"     # "10-12" starts with a NUMBER
        elif kind == ":":
            self.i += 1       # separator for readability: "Dec 25: 10:00-12:00"
        else:
            draft.groups.append(self._selector(kind))

    def _comment(self, draft: _Draft) -> None:
        tok = self.tokens[self.i]
        if not draft.state_seen:
            raise ScheduleError(self.text, tok.pos, _UNKNOWN)
        if not tok.value.strip():
            raise ScheduleError(self.text, tok.pos, "注释为空 / empty comment: write something in it or leave it out")
        draft.comment = tok.value
        self.i += 1

    def _selector(self, kind: str | None) -> tuple:
        if kind in ("WEEKDAY", "PH"):
            return self._weekday_list()
        if kind == "YEAR":
            return self._date_list() if self._kind(1) == "MONTH" and self._kind(2) == "NUMBER" \
                else self._year_list()
        if kind == "MONTH":
            return self._date_list()
        if kind == "+":
            self._fail("不支持开放式结束时间 / open end '+' is not supported")
        self._fail("此处不应出现 / unexpected token here")
        raise AssertionError  # unreachable
