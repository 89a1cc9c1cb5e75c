"""iCalendar feed: parsed back with icalendar; stable UIDs, TZID, bilingual summary."""
from datetime import date, timezone

from icalendar import Calendar

from hotline.shifts import Labels, counselor_calendar, shift_uid

from .helpers import TZ, at, shift, three_slots

DAY, EVENING, NIGHT = three_slots()
LABELS = Labels(names={"li": "李四"}, slots={s.id: s for s in (DAY, EVENING, NIGHT)}, lines={"A": "成都热线"})
SHIFTS = [shift("li", EVENING, date(2026, 12, 31)), shift("wang", DAY, date(2026, 12, 31)),
          shift("li", NIGHT, date(2027, 1, 2))]
NOW = at(2026, 12, 1, 9)


def test_feed_contains_only_the_counselors_shifts_with_tzid_and_labels():
    cal = Calendar.from_ical(counselor_calendar(SHIFTS, "li", now=NOW, labels=LABELS))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("DTSTART") == at(2026, 12, 31, 16) and first.decoded("DTEND") == at(2027, 1, 1, 0)
    assert str(first["SUMMARY"]) == "成都热线：中班 / 成都热线: evening"
    assert first.decoded("DTSTAMP") == NOW.astimezone(timezone.utc)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "李四" in str(cal["X-WR-CALNAME"])


def test_uids_are_stable_and_distinct():
    a = Calendar.from_ical(counselor_calendar(SHIFTS, "li", now=NOW))
    b = Calendar.from_ical(counselor_calendar(list(reversed(SHIFTS)), "li", now=at(2026, 12, 2)))
    uids = [str(e["UID"]) for e in a.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in b.walk("VEVENT")]
    assert len(set(uids)) == 2 and uids[0] == shift_uid(SHIFTS[0])


def test_empty_feed_is_still_a_valid_calendar():
    cal = Calendar.from_ical(counselor_calendar([], "nobody", now=NOW))
    assert cal["VERSION"] == "2.0" and list(cal.walk("VEVENT")) == []
    assert TZ.key == "Asia/Shanghai"
