"""Schedule engine — when a hotline number is answered.

Public API (other modules import only from here):

- ``compile_schedule(spec, *, fmt="auto", tz="Asia/Shanghai", calendar=None, overrides=None)``
  turns Chinese free text ("周一至周五，8:00-18:00"), an OSM opening_hours value
  ("Mo-Fr 08:00-18:00; PH off") or a structured mapping into a ``Schedule``;
- ``Schedule.is_open(at)``, ``next_change(at)``, ``intervals(start, end)``, ``always_open``;
  ``warnings`` (what was read leniently, and as what), ``comments`` and ``notes(start, end)``
  (OSM comments per period, open or closed);
- ``ScheduleError`` (a ValueError) with ``text``, ``position`` and ``reason``; texts that
  cannot be turned into hours (a duration without times, an event, "时间不固定") are refused
  with the position and what is missing, never guessed.

All formats compile to one model (schedule_model): per date, the windows that start on
that date in wall-clock minutes, possibly running past midnight. The implementation is
split into small modules: runtime (instants, caching), spans, compile (format detection,
overrides), zh/ (normalize, lexer, cursor, days, clause, checks, parser, hours), osm/
(lexer, lenient, times, weekdays, dates, preds, eval, hours) and structured.
"""

from __future__ import annotations

from hotline.routing.schedule.compile import compile_schedule
from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.runtime import HORIZON_DAYS, Schedule

__all__ = ["Schedule", "ScheduleError", "compile_schedule", "HORIZON_DAYS"]
