"""`hotline schedule timeline` and `hotline lines check` read every construct of issue 14.

The timeline prints the open intervals as JSON (plus "warnings" and "comments" only when
there are any); a text that cannot be hours exits 1 with the engine's message, naming the
position and what is missing. The directory check refuses such a number before load.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hotline.cli.main import main

WEEK = ("--from", "2026-10-12T00:00:00+08:00", "--to", "2026-10-19T00:00:00+08:00")   # Mon..Sun, ordinary


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("HOTLINE_LINES_FILE", raising=False)
    monkeypatch.delenv("HOTLINE_NOW", raising=False)

    def invoke(*args):
        return CliRunner().invoke(main, list(args))
    return invoke


def _daily(start: str, end: str, days=range(12, 19), next_day=False):
    return [[f"2026-10-{d:02d}T{start}:00+08:00", f"2026-10-{d + int(next_day):02d}T{end}:00+08:00"] for d in days]


@pytest.mark.parametrize("text,expected", [
    ("全年365天×24小时值守", [["2026-10-12T00:00:00+08:00", "2026-10-19T00:00:00+08:00"]]),
    ("24小時開通", [["2026-10-12T00:00:00+08:00", "2026-10-19T00:00:00+08:00"]]),
    ("早9点开始，晚9点结束", _daily("09:00", "21:00")),
    ("每天下午1:30-4:30", _daily("13:30", "16:30")),
    ("每晚7点到9点", _daily("19:00", "21:00")),
    ("周一至周五: 18:00-21:00", _daily("18:00", "21:00", range(12, 17))),
    ("星期一至五 上午8:30-12:00下午14:00-17:30", sorted(_daily("08:30", "12:00", range(12, 17))
                                                    + _daily("14:00", "17:30", range(12, 17)))),
    ("周六、日 9:00-17:00（法定假日除外）", _daily("09:00", "17:00", range(17, 19))),
    ("每天开放12小时（8:00—20:00）", _daily("08:00", "20:00")),
    ("（9:00~22:00）", _daily("09:00", "22:00")),
    ("每周三 14:00-17:00", _daily("14:00", "17:00", [14])),
])
def test_timeline_reads_chinese_notices(run, text, expected):
    result = run("schedule", "timeline", text, *WEEK)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"intervals": expected}


def test_timeline_runs_a_night_window_into_the_next_morning(run):
    result = run("schedule", "timeline", "晚19：00-早8：00", "--from", "2026-10-12T00:00:00+08:00",
                 "--to", "2026-10-14T00:00:00+08:00")
    assert json.loads(result.output)["intervals"] == [
        ["2026-10-12T00:00:00+08:00", "2026-10-12T08:00:00+08:00"],
        ["2026-10-12T19:00:00+08:00", "2026-10-13T08:00:00+08:00"],
        ["2026-10-13T19:00:00+08:00", "2026-10-14T00:00:00+08:00"]]


@pytest.mark.parametrize("text,position,fragment", [
    ("每晚开通2小时", 4, "says how long, not when"),
    ("不少于16小时", 0, "minimum duration"),
    ("汛期期间", 0, "names a period or an event"),
    ("即日起至另行通知", 0, "not at what times"),
    ("时间不固定", 0, "not fixed"),
    ("每周日下午", 3, "no clock times"),
    ('Mo-Fr 09:00-17:00 "call first"', 18, "comments need an explicit open or off"),
])
def test_timeline_refusals_exit_1_naming_the_position_and_what_is_missing(run, text, position, fragment):
    result = run("schedule", "timeline", text, *WEEK)
    assert result.exit_code == 1
    assert f"position {position}" in result.output and fragment in result.output


def test_timeline_reads_osm_fallbacks_nth_weekdays_and_holiday_offsets(run):
    result = run("schedule", "timeline", "Sa[4] 10:00-12:00 || Su 10:00-11:00; PH -1 day off",
                 "--from", "2026-10-24T00:00:00+08:00", "--to", "2026-10-26T00:00:00+08:00")
    assert json.loads(result.output) == {"intervals": [["2026-10-24T10:00:00+08:00", "2026-10-24T12:00:00+08:00"],
                                                       ["2026-10-25T10:00:00+08:00", "2026-10-25T11:00:00+08:00"]]}
    before_national_day = run("schedule", "timeline", "Mo-Fr 09:00-17:00; PH -1 day off",
                              "--from", "2026-09-29T00:00:00+08:00", "--to", "2026-10-01T00:00:00+08:00")
    assert json.loads(before_national_day.output)["intervals"] == [
        ["2026-09-29T09:00:00+08:00", "2026-09-29T17:00:00+08:00"]]


def test_timeline_shows_warnings_and_comments(run):
    result = run("schedule", "timeline", 'Mo-Fr 09.00-17.00 open "weekdays"; PH off "closed on public holidays"',
                 "--from", "2026-09-30T12:00:00+08:00", "--to", "2026-10-02T00:00:00+08:00")
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["intervals"] == [["2026-09-30T12:00:00+08:00", "2026-09-30T17:00:00+08:00"]]
    assert [w.split(":")[0] for w in shown["warnings"]] == ["位置 8", "位置 14"]
    assert all('Please use ":" as hour/minute-separator' in w for w in shown["warnings"])
    assert shown["comments"] == [
        {"from": "2026-09-30T12:00:00+08:00", "to": "2026-09-30T17:00:00+08:00", "open": True, "comment": "weekdays"},
        {"from": "2026-10-01T00:00:00+08:00", "to": "2026-10-02T00:00:00+08:00", "open": False,
         "comment": "closed on public holidays"}]


def test_lines_check_refuses_a_number_whose_hours_are_only_a_duration(run, tmp_path):
    directory = tmp_path / "lines.yaml"
    directory.write_text("lines:\n  - id: x\n    name: 测试热线\n    hosted: true\n    numbers:\n"
                         "      - {number: '028-61111111', schedule: '周一至周五，每晚开通2小时'}\n", encoding="utf-8")
    result = run("lines", "check", str(directory))
    assert result.exit_code == 1
    assert "line 'x'.numbers[0].schedule" in result.output and "position 10" in result.output
    assert "says how long, not when" in result.output
    directory.write_text(directory.read_text(encoding="utf-8").replace("每晚开通2小时", "每晚19:00-21:00"),
                         encoding="utf-8")
    assert run("lines", "check", str(directory)).exit_code == 0


def _accepted_texts() -> list[str]:
    """Every text the new acceptance tests read (their parametrize lists), once."""
    from tests.unit.core.schedule import test_osm_features, test_osm_reference_more, test_zh_notices

    texts: list[str] = []
    for module in (test_zh_notices, test_osm_features):
        for name in dir(module):
            test = getattr(module, name)
            for mark in getattr(test, "pytestmark", []):
                if name.startswith("test_") and mark.name == "parametrize" and "refused" not in name:
                    texts += [case if isinstance(case, str) else case[0] for case in mark.args[1]]
    for corpus in ("FALLBACK", "COMMENTS", "NTH", "MIXED", "LENIENT", "PH_MORE"):
        texts += getattr(test_osm_reference_more, corpus)
    return list(dict.fromkeys(texts))


def test_timeline_reads_every_accepted_text_as_the_engine_does(run):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from hotline.routing.schedule import compile_schedule

    zone, texts = ZoneInfo("Asia/Shanghai"), _accepted_texts()
    assert len(texts) > 150
    start, end = datetime(2026, 9, 28, tzinfo=zone), datetime(2026, 10, 19, tzinfo=zone)
    for text in texts:      # the format is detected, as for lines.yaml
        result = run("schedule", "timeline", text, "--from", start.isoformat(), "--to", end.isoformat())
        assert result.exit_code == 0, (text, result.output)
        expected = [[a.isoformat(), b.isoformat()] for a, b in compile_schedule(text).intervals(start, end)]
        assert json.loads(result.output)["intervals"] == expected, text
