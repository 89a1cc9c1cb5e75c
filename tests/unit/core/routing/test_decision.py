"""The routing decision, pure: directory + instant + live state → decision."""
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.decision import (PRIORITY_CRISIS, PRIORITY_FLAGGED, PRIORITY_NORMAL, CallFacts, Enqueue,
                                      LiveState, NothingOpen, Transfer, route)
from hotline.routing.directory_loader import load_directory

ROOT = Path(__file__).resolve().parents[4]
TZ = ZoneInfo("Asia/Shanghai")
SICHUAN, CHENGDU, GAOXIN = "+862812320", "+862887577510", "+862885337950"


@pytest.fixture(scope="module")
def directory():
    return load_directory(ROOT / "config" / "lines.yaml")


def at(*args):
    return datetime(*args, tzinfo=TZ)


def decide(directory, dialled, when, staffed=(), **facts):
    live = LiveState(staffed={line: 1 for line in staffed})
    return route(directory, CallFacts(dialled=dialled, at=when, **facts), live)


def test_open_and_staffed_enqueues_with_the_line_menu(directory):
    routed = decide(directory, SICHUAN, at(2026, 11, 23, 10), staffed=["sichuan"])
    assert isinstance(routed.decision, Enqueue)
    assert routed.decision.line_id == "sichuan" and routed.decision.menu is not None
    assert routed.alerts == ()


def test_menu_already_answered_is_not_asked_again(directory):
    routed = decide(directory, SICHUAN, at(2026, 11, 23, 10), staffed=["sichuan"], menu_value="student")
    assert routed.decision.menu is None


@pytest.mark.parametrize("facts,priority", [({}, PRIORITY_NORMAL), ({"crisis": True}, PRIORITY_CRISIS),
                                            ({"flagged": True}, PRIORITY_FLAGGED),
                                            ({"flagged": True, "crisis": True}, PRIORITY_FLAGGED)])
def test_priority(directory, facts, priority):
    routed = decide(directory, GAOXIN, at(2026, 11, 23, 10), staffed=["chengdu-gaoxin"], **facts)
    assert routed.decision.priority == priority


def test_closed_hosted_line_falls_to_first_open_staffed_line_of_its_chain(directory):
    routed = decide(directory, SICHUAN, at(2026, 11, 23, 19), staffed=["chengdu-gaoxin", "chengdu"])
    assert routed.decision == Enqueue("chengdu", 0, None, routed.decision.notice, 90)
    notice = routed.decision.notice
    assert notice.reason == "closed" and notice.opens_at == at(2026, 11, 24, 8)


def test_public_holiday_weekend_hours(directory):
    # 2026-10-01 (Thursday, National Day): Sichuan's schedule is by weekday, so it is open
    routed = decide(directory, SICHUAN, at(2026, 10, 1, 9), staffed=["sichuan"])
    assert isinstance(routed.decision, Enqueue) and routed.decision.line_id == "sichuan"


def test_unstaffed_open_line_raises_coverage_alert(directory):
    routed = decide(directory, GAOXIN, at(2026, 11, 23, 10), staffed=["chengdu"])
    assert ("coverage", "chengdu-gaoxin") in routed.alerts
    assert routed.decision.line_id == "chengdu" and routed.decision.notice.reason == "unstaffed"


def test_external_transfer_skips_closed_numbers(directory):
    # 23:30 Monday: national-covid (6-24) is open; Deyang 24 h comes first in Sichuan's chain
    routed = decide(directory, SICHUAN, at(2026, 11, 23, 23, 30))
    assert isinstance(routed.decision, Transfer)
    assert routed.decision.line_id == "deyang"


def test_rollover_excludes_tried_lines(directory):
    routed = decide(directory, GAOXIN, at(2026, 11, 23, 10), staffed=["chengdu-gaoxin", "chengdu"],
                    tried=frozenset({"chengdu-gaoxin"}))
    assert routed.decision.line_id == "chengdu"
    assert routed.decision.notice.reason == "busy"


def test_every_decision_is_open_at_that_instant(directory):
    """Sweep a week hour by hour from every hosted number: never a closed target."""
    for hour in range(7 * 24):
        when = at(2026, 11, 23) .replace(hour=0) + __import__("datetime").timedelta(hours=hour)
        for number in (SICHUAN, CHENGDU, GAOXIN):
            decision = decide(directory, number, when).decision
            if isinstance(decision, Transfer):
                line, entry = directory.by_number(decision.number)
                assert entry.is_open(when) and decision.number != number
            else:
                assert isinstance(decision, NothingOpen)
                assert not any(n.is_open(when) for n in directory.numbers() if n.e164 != number
                               and not directory.get(n.line_id).hosted)
