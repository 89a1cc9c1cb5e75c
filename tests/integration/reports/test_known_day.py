"""One hand-made day (Wednesday 2026-10-14, Asia/Shanghai) whose figures are worked out
by hand in the comments: the definitions themselves, not just agreement with the oracle."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hotline.clock import Clock
from hotline.reports.periods import period_ending
from hotline.devtools.synthetic_calls import SyntheticCall, insert_calls
from hotline.devtools.synthetic_records import (SyntheticAssessment, SyntheticFollowUp, SyntheticReferral,
                                               TriageSet, insert_triage)
from hotline.routing.directory_loader import load_directory
from hotline.bootstrap import Adapters
from hotline.settings import testing_settings as settings_for_tests
from tests.integration.reports.conftest import ROOT, compute

TZ = ZoneInfo("Asia/Shanghai")
CD, SC = "+862887577510", "+862812320"      # Chengdu's 24 h number, Sichuan's number


def at(day: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(2026, 10, day, hh, mm, ss, tzinfo=TZ).astimezone(timezone.utc)


def call(sid, when, outcome, path=("chengdu",), key="K1", wait=None, talk=None, wrap=None, dialled=CD,
         line="chengdu", transfer=None):
    return SyntheticCall(sid, line, dialled, key, when, outcome, tuple(path), transfer, wait, talk, wrap)


CALLS = [
    call("c1", at(14, 9), "answered", wait=10, talk=600, wrap=60, key="K1"),
    call("c2", at(14, 9, 30), "answered", wait=30, talk=300, key="K1"),
    call("c3", at(14, 10, 5), "abandoned", wait=3, key="K2"),                       # a short abandon
    call("c4", at(14, 10, 10), "abandoned", wait=45, key="K3"),
    call("c5", at(14, 11), "voicemail", wait=20, key="anonymous"),
    call("c6", at(14, 11), "answered", wait=70, talk=100, key="anonymous"),
    call("c7", at(14, 23, 59, 59), "answered", path=("sichuan", "chengdu"), wait=100, talk=200, key="K4",
         dialled=SC, line="sichuan"),                                                # rolled over Sichuan → Chengdu
    call("c8", at(14, 8), "info_only", path=(), key="K2"),                          # no queue: the dialled line
    call("c9", at(14, 12), "transferred", path=(), transfer="national-covid", key="K5"),   # not a rollover
    call("c10", at(14, 13), "answered", path=("sichuan",), wait=5, talk=400, key="K1", dialled=SC, line="sichuan"),
    call("c11", at(14, 13), "transferred", path=("sichuan", "chengdu"), transfer="deyang", key="K6",
         dialled=SC, line="sichuan"),                                                # two rollovers
    call("c14", at(14, 14), "info_only", path=(), key="K7", dialled="+861069000000", line="?"),  # not our number
    call("c12", at(13, 23, 59, 59), "answered", wait=1, talk=50, key="K1"),        # the day before
    call("c13", at(15, 0), "answered", wait=1, talk=50, key="K1"),                 # the day after
]
TRIAGE = TriageSet(
    assessments=[SyntheticAssessment("c1", "K1", "high", ("anxiety", "sleep"), "2", at(14, 9, 10)),
                 SyntheticAssessment("c2", "K1", "low", ("anxiety",), "not_applicable", at(14, 9, 40)),
                 SyntheticAssessment("c12", "K1", "moderate", ("bereavement",), "4", at(14, 0, 1))],
    follow_ups=[SyntheticFollowUp("c1", "K1", "high", at(14, 9, 10), at(15, 9, 10), None),      # not due yet
                SyntheticFollowUp("c12", "K1", "high", at(13, 23), at(14, 23), None)],          # overdue
    referrals=[SyntheticReferral("c1", "K1", at(14, 9, 20), (("suggested", at(14, 9, 20)),
                                                               ("completed", at(14, 20))), None),
               SyntheticReferral("c12", "K1", at(13, 23, 59), (("suggested", at(13, 23, 59)),),
                                 at(13, 23, 59) + timedelta(hours=24))])                   # due 23:59 on the 14th


@pytest.fixture
def services(tmp_path, database_url):
    from hotline.store.migrate import upgrade

    upgrade(database_url)
    built = Adapters(settings_for_tests(tmp_path, database_url=database_url,
                                      clock=Clock(frozen=datetime(2026, 10, 20, tzinfo=timezone.utc))))
    built.__dict__["directory"] = load_directory(ROOT / "config" / "lines.yaml")
    with built.db.session() as session:
        insert_calls(session, CALLS)
        insert_triage(session, TRIAGE, built.keyring.encrypt)
    yield built
    built.close()


def test_the_hand_worked_day(services):
    report = compute(services, period_ending("day", date(2026, 10, 14)))
    chengdu, sichuan, deyang = (report.lines[k].values for k in ("chengdu", "sichuan", "deyang"))
    # Chengdu: c1 c2 c3 c4 c5 c6 c7 c8 c9 c11 (c7 and c11 ended there; c8 and c9 by the dialled number)
    assert chengdu["offered"] == 10 and chengdu["answered"] == 4                  # c1 c2 c6 c7
    assert (chengdu["abandoned"], chengdu["abandoned_short"], chengdu["abandon_wait_avg"]) == (2, 1, 24.0)
    assert (chengdu["voicemail"], chengdu["transferred"], chengdu["info_only"]) == (1, 2, 1)
    assert chengdu["answer_rate"] == pytest.approx(0.4)
    assert chengdu["service_level_20"] == pytest.approx(1 / 9)                    # c1 of 10 − 1 short abandon
    assert chengdu["service_level_60"] == pytest.approx(2 / 9)                    # c1, c2
    assert chengdu["asa"] == pytest.approx((10 + 30 + 70 + 100) / 4)
    assert chengdu["talk_avg"] == pytest.approx((600 + 300 + 100 + 200) / 4)
    assert chengdu["wrap_up_avg"] == pytest.approx(60, abs=1e-3)                   # only c1 recorded one
    assert (chengdu["rolled_in"], chengdu["rolled_out"]) == (2, 1)                 # c7 c11 in; c11 → Deyang
    assert chengdu["repeat_callers"] == 2                                          # K1 (c1 c2), K2 (c3 c8)
    assert (sichuan["offered"], sichuan["rolled_out"], sichuan["rolled_in"], sichuan["asa"]) == (1, 2, 0, 5)
    assert (deyang["offered"], deyang["rolled_in"], deyang["answer_rate"]) == (0, 1, None)
    # triage: c1 and c2 were assessed on the 14th; c12's follow-up and referral were overdue by midnight
    assert (chengdu["assessments"], chengdu["referrals_made"], chengdu["referrals_completed"]) == (2, 1, 1)
    assert chengdu["follow_ups_overdue"] == 2
    series = report.lines["chengdu"].series
    assert series["concerns"] == {"anxiety": 2, "sleep": 1}
    assert series["population_levels"] == {"2": 1, "not_applicable": 1}
    assert series["risk_levels"] == {"high": 1, "low": 1}
    assert {k: v for k, v in series["heat"].items() if v} == {"2:08": 1, "2:09": 2, "2:10": 2, "2:11": 2,
                                                              "2:12": 1, "2:13": 1, "2:23": 1}
    assert series["abandon_wait"] == {"0-5": 1, "5-20": 0, "20-60": 1, "60-120": 0, "120+": 0}

    assert list(report.lines)[-1] == "unassigned" and report.lines["unassigned"].values["info_only"] == 1
    overall = report.overall.values                                                # c1–c11 and c14
    assert (overall["offered"], overall["answered"], overall["rolled_in"], overall["rolled_out"]) == (12, 5, 3, 3)
    assert overall["service_level_20"] == pytest.approx(2 / 11) and overall["service_level_60"] == pytest.approx(3 / 11)
    assert overall["asa"] == pytest.approx(43) and overall["talk_avg"] == pytest.approx(320)
    assert overall["repeat_callers"] == 2                                          # K1 (3 calls), K2


def test_calls_on_no_known_line_are_unassigned(services):
    alone = compute(services, period_ending("day", date(2026, 10, 14)), "unassigned")
    assert alone.overall.values["offered"] == 1 and alone.overall.values["answer_rate"] == 0
