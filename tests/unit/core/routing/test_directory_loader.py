"""The shipped directory and the loader's errors: line, field and schedule position."""
from pathlib import Path

import pytest
import yaml

from hotline.routing.directory_loader import DirectoryError, load_directory, parse_directory

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def directory():
    return load_directory(ROOT / "config" / "lines.yaml")


def test_the_sichuan_directory_has_18_lines_and_22_numbers(directory):
    assert len(directory) == 18
    assert len(list(directory.numbers())) == 22
    assert {line.id for line in directory.hosted()} == {"sichuan", "chengdu", "chengdu-gaoxin"}


def test_numbers_are_e164_and_extensions_become_digits_to_send(directory):
    line, number = directory.by_number("+862812320")
    assert line.id == "sichuan" and number.send_digits == "4" and number.published == "028-12320-4号线"
    assert all(n.e164.startswith("+86") for n in directory.numbers())
    assert directory.by_number("+8618982762013")[0].id == "luzhou"


def test_each_number_keeps_its_own_published_hours(directory):
    chengdu = directory.get("chengdu")
    assert [n.schedule_text for n in chengdu.numbers] == ["周一至周日，24小时", "周一至周日，9:00-21:00"]


def _line(**overrides):
    line = {"id": "x", "name": "测试线", "hosted": True,
            "numbers": [{"number": "028-61111111", "schedule": "每天 9:00-17:00"}]}
    line.update(overrides)
    return line


@pytest.mark.parametrize("line,expected", [
    (_line(numbers=[{"number": "028-61111111", "schedule": "周一至周五，8:00-18:0x"}]),
     "line 'x'.numbers[0].schedule"),
    (_line(numbers=[{"number": "not a number", "schedule": "24小时"}]), "line 'x'.numbers[0].number"),
    (_line(hosted="yes"), "line 'x'.hosted"),
    (_line(fallback=["nowhere"]), "unknown line 'nowhere'"),
    (_line(fallback=["x"]), "must not name the line itself"),
    (_line(timezone="Mars/Olympus"), "line 'x'.timezone"),
    (_line(menu={"prompt": "p", "options": {"12": {"value": "v"}}}), "line 'x'.menu.options"),
    (_line(id="Bad Id"), "lines[0].id"),
    (_line(service_level_s=0), "line 'x'.service_level_s"),
    (_line(service_level_s="20s"), "line 'x'.service_level_s"),
])
def test_bad_files_name_the_line_and_the_field(line, expected):
    with pytest.raises(DirectoryError) as error:
        parse_directory({"lines": [line]}, source="test.yaml")
    assert expected in str(error.value)


def test_schedule_errors_carry_the_position():
    bad = _line(numbers=[{"number": "028-61111111", "schedule": "周一至周五，8:00-18:0x"}])
    with pytest.raises(DirectoryError) as error:
        parse_directory({"lines": [bad]})
    assert "position" in str(error.value)


def test_every_problem_is_reported_at_once():
    lines = [_line(id="a", hosted="no"), _line(id="b", fallback=["zzz"])]
    with pytest.raises(DirectoryError) as error:
        parse_directory({"lines": lines})
    assert len(error.value.problems) == 2


def test_the_holidays_dir_passed_in_decides_the_calendar(tmp_path):
    """load_directory(holidays_dir=…) reads that directory's cn-<year>.yaml; without it the
    built-in calendar answers. 2041-03-13 (a Wednesday) is a holiday only in the table."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    lines = tmp_path / "lines.yaml"
    lines.write_text(yaml.safe_dump({"lines": [_line(numbers=[{"number": "028-61111111",
                                                                "schedule": "周一至周五（节假日除外），9:00-17:00"}])]},
                                    allow_unicode=True), encoding="utf-8")
    tables = tmp_path / "holidays"
    tables.mkdir()
    (tables / "cn-2041.yaml").write_text("year: 2041\nholidays: [{date: 2041-03-13, name: 测试}]\n", encoding="utf-8")
    at = datetime(2041, 3, 13, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert not load_directory(lines, holidays_dir=tables).get("x").is_open(at)
    assert load_directory(lines).get("x").is_open(at)


def test_a_broken_holiday_table_is_a_directory_problem_naming_the_file(tmp_path):
    tables = tmp_path / "holidays"
    tables.mkdir()
    (tables / "cn-2041.yaml").write_text("year: 2041\nholidays: [{date: 2041-02-30, name: x}]\n", encoding="utf-8")
    with pytest.raises(DirectoryError) as info:
        load_directory(ROOT / "config" / "lines.yaml", holidays_dir=tables)
    assert "cn-2041.yaml" in str(info.value) and "holidays[0].date" in str(info.value)


def test_a_line_may_set_its_own_service_level_threshold():
    other = [{"number": "028-62222222", "schedule": "24小时"}]
    lines = parse_directory({"lines": [_line(id="a", service_level_s=30), _line(id="b", numbers=other)]})
    assert (lines.get("a").service_level_s, lines.get("b").service_level_s) == (30, None)
