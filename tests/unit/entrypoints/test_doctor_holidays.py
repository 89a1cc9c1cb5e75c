"""The doctor's holiday-table check: next year's official table is due from 1 November."""
from __future__ import annotations

from hotline.cli.doctor import settings_checks as sc
from hotline.cli.doctor.report import FAIL, OK, WARN
from hotline.settings import from_env


def _settings(tmp_path, now: str):
    return from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path / "instance"), "HOTLINE_SECRET_KEY": "s" * 40,
                     "HOTLINE_DATA_KEY": "d" * 40, "HOTLINE_HOLIDAYS_DIR": str(tmp_path / "holidays"),
                     "HOTLINE_NOW": now})


def _table(tmp_path, year: int, text: str | None = None) -> None:
    folder = tmp_path / "holidays"
    folder.mkdir(exist_ok=True)
    (folder / f"cn-{year}.yaml").write_text(text or f"year: {year}\nholidays: [{{date: {year}-01-01, name: 元旦}}]\n",
                                            encoding="utf-8")


def test_next_years_table_is_due_from_november(tmp_path):
    _table(tmp_path, 2040)     # a year no package release will know while this test lives
    assert sc.check_holiday_tables(_settings(tmp_path, "2040-10-31T12:00+08:00")).status == OK
    check = sc.check_holiday_tables(_settings(tmp_path, "2040-11-01T09:00+08:00"))
    assert check.status == WARN and "2041" in check.message
    assert str(tmp_path / "holidays" / "cn-2041.yaml") in check.fix
    _table(tmp_path, 2041)
    assert sc.check_holiday_tables(_settings(tmp_path, "2040-11-01T09:00+08:00")).status == OK


def test_the_date_is_read_in_china_time(tmp_path):
    _table(tmp_path, 2040)
    # 2040-10-31T17:00Z is already 1 November 01:00 in Shanghai
    assert sc.check_holiday_tables(_settings(tmp_path, "2040-10-31T17:00Z")).status == WARN


def test_a_broken_table_fails_and_names_the_file(tmp_path):
    _table(tmp_path, 2040, "year: 2040\nholidays: [{date: 2040-02-30, name: x}]\n")
    check = sc.check_holiday_tables(_settings(tmp_path, "2040-06-01T09:00+08:00"))
    assert check.status == FAIL and "cn-2040.yaml" in check.message and "README" in check.fix


def test_a_holidays_dir_that_does_not_exist_warns(tmp_path):
    check = sc.check_holiday_tables(_settings(tmp_path, "2040-06-01T09:00+08:00"))   # holidays/ never made
    assert check.status == WARN and "HOTLINE_HOLIDAYS_DIR" in check.message and "cn-<year>.yaml" in check.fix
