"""The command-line contracts other parts and outside checks rely on, exactly as written."""
import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from hotline.cli.main import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("HOTLINE_LINES_FILE", raising=False)
    monkeypatch.delenv("HOTLINE_NOW", raising=False)

    def invoke(*args):
        return CliRunner().invoke(main, list(args))
    return invoke


def test_lines_check_valid_and_invalid(run, tmp_path):
    ok = run("lines", "check")
    assert ok.exit_code == 0 and "18" in ok.output and "22" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("lines:\n  - id: x\n    name: 坏\n    hosted: true\n    numbers:\n"
                   "      - {number: '028-61111111', schedule: '周一至周五，8:00-1x:00'}\n", encoding="utf-8")
    failed = run("lines", "check", str(bad))
    assert failed.exit_code == 1
    assert "line 'x'.numbers[0].schedule" in failed.output and "position" in failed.output


def test_lines_status_json_has_exactly_the_contract_keys(run):
    result = run("lines", "status", "--at", "2026-10-01T10:00:00+08:00", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == 22
    assert all(set(row) == {"line", "name", "number", "hosted", "open", "next_change"} for row in rows)
    sichuan = next(r for r in rows if r["line"] == "sichuan")
    assert sichuan == {"line": "sichuan", "name": "四川省心理援助热线", "number": "+862812320", "hosted": True,
                       "open": True, "next_change": "2026-10-01T18:00:00+08:00"}
    meishan = next(r for r in rows if r["line"] == "meishan")
    assert meishan["open"] is False and meishan["hosted"] is False      # National Day: 节假日除外
    datetime.fromisoformat(meishan["next_change"])


def test_lines_status_text_lists_every_number(run):
    result = run("lines", "status", "--at", "2026-11-23T20:00:00+08:00")
    assert result.exit_code == 0 and len(result.output.strip().splitlines()) == 22


def test_schedule_timeline_clips_merges_and_uses_the_zone(run):
    result = run("schedule", "timeline", "周一至周五17:00-次日9:00，节假日24小时",
                 "--from", "2026-10-09T12:00:00+08:00", "--to", "2026-10-12T00:00:00+08:00")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"intervals": [
        ["2026-10-09T17:00:00+08:00", "2026-10-10T09:00:00+08:00"],   # Sat 10-10 is a make-up working day
        ["2026-10-11T00:00:00+08:00", "2026-10-12T00:00:00+08:00"]]}


def test_schedule_timeline_osm_in_another_zone(run):
    result = run("schedule", "timeline", "Mo-Fr 09:00-17:00", "--from", "2026-11-23T00:00:00Z",
                 "--to", "2026-11-24T00:00:00Z", "--tz", "UTC", "--format", "osm")
    assert json.loads(result.output) == {"intervals": [["2026-11-23T09:00:00+00:00", "2026-11-23T17:00:00+00:00"]]}


def test_schedule_timeline_bad_text_exits_1_naming_the_position(run):
    result = run("schedule", "timeline", "周一至周五，8:00-1x:00", "--from", "2026-11-23T00:00:00+08:00",
                 "--to", "2026-11-24T00:00:00+08:00")
    assert result.exit_code == 1 and "position" in result.output
