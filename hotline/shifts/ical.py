"""An iCalendar feed of one counselor's shifts, to subscribe to from any calendar app.

UIDs are derived from the shift's identity (line, slot, start, counselor), so
re-publishing the feed after an edit updates events instead of duplicating them.
Times carry their TZID with a VTIMEZONE, so phones show them in the line's zone.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timezone

from icalendar import Calendar, Event

from hotline.shifts._time import require_aware
from hotline.shifts.labels import Labels
from hotline.shifts.shift import Shift, as_shifts, by_time

PRODID = "-//Hotline//Shifts//ZH-CN"


def shift_uid(shift: Shift, domain: str = "hotline") -> str:
    """A stable, opaque UID for a shift (ids may contain any characters)."""
    digest = hashlib.sha256(shift.key.encode()).hexdigest()[:32]
    return f"shift-{digest}@{domain}"


def shift_event(shift: Shift, labels: Labels, now: datetime, domain: str = "hotline") -> Event:
    """One VEVENT: summary and description in zh-CN then English."""
    (zh, en), line = labels.slot(shift), labels.line(shift.line_id)
    event = Event()
    event.add("uid", shift_uid(shift, domain))
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", shift.start)
    event.add("dtend", shift.end)
    event.add("summary", f"{line}：{zh} / {line}: {en}")
    event.add("description", f"热线 {line} 值班 {shift.start:%H:%M}-{shift.end:%H:%M} / "
                             f"on duty for line {line} {shift.start:%H:%M}-{shift.end:%H:%M}")
    event.add("categories", ["值班 / shift"])
    event.add("transp", "OPAQUE")
    return event


def counselor_calendar(shifts: Iterable[Shift], counselor_id: str, *, now: datetime,
                       labels: Labels | None = None, domain: str = "hotline") -> bytes:
    """The counselor's shifts as an .ics document (other counselors' shifts are ignored)."""
    require_aware(now, "生成时间 / now")
    labels = labels or Labels()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    who = labels.person(counselor_id)
    cal.add("x-wr-calname", f"{who} 的值班 / shifts of {who}")
    for shift in sorted((s for s in as_shifts(shifts) if s.counselor_id == counselor_id), key=by_time):
        cal.add_component(shift_event(shift, labels, now, domain))
    cal.add_missing_timezones()
    return cal.to_ical()
