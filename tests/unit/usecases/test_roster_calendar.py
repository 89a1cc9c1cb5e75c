"""What counselors and supervisors read, with fakes: calendars, one's own shifts, the swap form,
the iCalendar feed behind its secret token, and generation queued as a job."""
from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.feeds import token_hash
from hotline.usecases.roster.generation_jobs import GENERATE_JOB, GenerationJobs
from tests.unit.usecases.fakes_roster_ports import FakeRosterJobs, local
from tests.unit.usecases.roster_world import ANA, BO, CY, SUP, RosterWorld


@pytest.fixture
def world() -> RosterWorld:
    return RosterWorld.rostered(date(2026, 11, 23), date(2026, 12, 6))


def test_the_week_grid_puts_each_shift_in_its_slot_row_on_its_local_date(world):
    world.edits.add_shift(SUP, CY, "gx-early", date(2026, 11, 25), override=True, reason="加班")
    view = world.calendar.week(date(2026, 11, 25), viewer_id=ANA)
    assert view["first"] == date(2026, 11, 23) and view["prev"] == date(2026, 11, 16)
    (line,) = view["lines"]
    assert line["name"] == "高新区热线" and [r["label_zh"] for r in line["rows"]] == ["早班", "晚班"]
    early = line["rows"][0]["cells"]
    assert [c["name"] for c in early[0]] == ["ana老师"] and early[0][0]["mine"] and early[0][0]["time"] == "09:00-15:00"
    assert sorted(c["name"] for c in early[2]) == ["ana老师", "cy老师"]
    assert {c["source"] for c in early[2]} == {"generated", "manual"}


def test_the_month_grid_marks_days_outside_the_month(world):
    view = world.calendar.month(date(2026, 11, 25), "gx")
    days = [d for week in view["weeks"] for d in week]
    assert days[0]["date"] == date(2026, 10, 26) and not days[0]["in_month"]
    entries = {d["iso"]: d["entries"] for d in days}
    assert [e["slot"] for e in entries["2026-12-06"]] == ["早班", "晚班"]
    assert entries["2026-11-22"] == []
    assert world.calendar.first_rostered_line() == "gx"


def test_my_shifts_from_now_on_and_what_a_swap_can_be_offered_against(world):
    world.at(2026, 11, 24, 10, 0)
    mine = world.calendar.mine(BO)
    assert [m["span"] for m in mine[:2]] == ["09:00–15:00", "15:00–21:00"]     # the one under way, then next
    assert mine[0]["date"] == date(2026, 11, 24) and mine[0]["slot_zh"] == "早班" and mine[0]["weekday_zh"] == "周二"
    assert all(m["counselor_id"] == BO for m in mine)
    form = world.calendar.swap_form(BO, mine[1]["id"])
    assert form["shift"]["id"] == mine[1]["id"] and [p.id for p in form["people"]] == [ANA, CY]
    assert form["others"] and {o["name"] for o in form["others"]} == {"ana老师"}
    assert world.calendar.swap_form(ANA, mine[1]["id"]) is None                  # not hers
    ended = world.shift(BO, 2026, 11, 23, 15, 0)
    assert world.calendar.swap_form(BO, ended.id) == {"shift": None}


def test_a_feed_link_is_shown_once_lists_only_my_shifts_and_can_be_replaced_or_revoked(world):
    token = world.feeds.regenerate(ANA)
    assert world.store.tables.feeds[ANA][0] == token_hash(token) != token
    assert world.feeds.status(ANA)["last_used_at"] is None
    ics = world.feeds.feed_for_token(token)
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 14 and all("高新区热线" in str(e["summary"]) for e in events)
    assert "@hotline.example.org" in str(events[0]["uid"])
    assert world.feeds.status(ANA)["last_used_at"] == world.clock.now()
    newer = world.feeds.regenerate(ANA)
    assert world.feeds.feed_for_token(token) is None and world.feeds.feed_for_token(newer) is not None
    assert world.feeds.revoke(ANA) and not world.feeds.revoke(ANA)
    assert world.feeds.feed_for_token(newer) is None
    assert world.feeds.feed_for_token("x" * 129) is None and world.feeds.feed_for_token("") is None
    assert world.store.actions()[-3:] == ["feed.regenerate", "feed.regenerate", "feed.revoke"]
    assert world.feeds.url("/roster/feed/t.ics") == "https://hotline.example.org/roster/feed/t.ics"


def test_generation_is_queued_by_its_dotted_path_and_polled():
    jobs = FakeRosterJobs()
    generation = GenerationJobs(jobs, jobs)
    job_id = generation.queue(date(2026, 12, 1), date(2026, 12, 31), actor_id=SUP)
    queued = jobs.queued[0]
    assert queued["function"] == GENERATE_JOB == "hotline.jobs.roster.generate_roster"
    assert queued["args"] == ("2026-12-01", "2026-12-31", SUP) and queued["kwargs"]["job_timeout"] == 600
    jobs.statuses[job_id] = {"id": job_id, "status": "finished"}
    assert generation.status(job_id)["status"] == "finished" and generation.status("other") is None
    with pytest.raises(RosterProblem, match="before"):
        generation.queue(date(2026, 12, 31), date(2026, 12, 1))
    assert generation.listening() == 1
    jobs.broken = True
    assert generation.listening() == 0


def test_today_is_read_in_the_home_zone(world):
    world.clock.at = local(2026, 11, 23, 23, 30)
    assert world.calendar.today() == date(2026, 11, 23)
    assert world.calendar.hosted_lines()[0].id == "gx"
