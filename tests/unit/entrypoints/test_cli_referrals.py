"""`hotline referrals import FILE.csv|xlsx [--dry-run]` through click's CliRunner: good and bad
sheets (CSV and XLSX built here), errors naming row and column in both languages, nothing
half-written, the public numbers kept, unverified entries never suggested first."""
from __future__ import annotations

import csv
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from hotline.cli.main import main
from hotline.triage.referral_import import COLUMNS
from hotline.triage.referrals import load_directory
from tests.unit.core.triage.conftest import CONFIG

TZ = ZoneInfo("Asia/Shanghai")
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
GOOD = [
    {"id": "cd_4th", "name_zh": "成都市第四人民医院", "name_en": "Chengdu Fourth People's Hospital",
     "type": "psychiatric_hospital", "region": "成都市", "phone": "028-61111111", "verified": "是",
     "hours": "周一至周日，24小时"},
    {"id": "cd_comm", "name_zh": "武侯区社区心理服务站", "type": "社区心理健康服务", "region": "chengdu",
     "phone": "028-6222XXXX", "verified": "no", "hours": "周一至周五，9:00-17:00", "notes_zh": "号码待核实"},
]


@pytest.fixture
def directory_file(tmp_path):
    target = tmp_path / "referrals.yaml"
    shutil.copy(CONFIG / "referrals.yaml", target)
    return target


def write_csv(path, rows, header=COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) for column in header])
    book.save(path)
    return path


def run(directory_file, *args):
    return CliRunner().invoke(main, ["referrals", "import", *map(str, args)],
                              env={"HOTLINE_REFERRALS_FILE": str(directory_file)})


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_good_sheet_replaces_the_institutions_and_keeps_the_public_numbers(tmp_path, directory_file, write):
    sheet = write(tmp_path / f"ours.{'csv' if write is write_csv else 'xlsx'}", GOOD)
    result = run(directory_file, sheet)
    assert result.exit_code == 0, result.output
    assert "9 个机构 / institutions: 8 已核实 / verified, 1 未核实 / unverified" in result.output
    directory = load_directory(directory_file)
    ids = {inst.id for inst in directory.institutions}
    assert {"cd_4th", "cd_comm", "emergency_120", "emergency_110", "national_12356"} <= ids
    by_id = {inst.id: inst for inst in directory.institutions}
    assert by_id["cd_4th"].phone_verified and not by_id["cd_comm"].phone_verified
    assert by_id["cd_comm"].type == "community_mental_health" and by_id["cd_comm"].name.en == "武侯区社区心理服务站"
    assert by_id["cd_4th"].region == "chengdu" and directory.example_data is False
    first = directory.suggest("chengdu", WEDNESDAY_10, limit=20)
    verified = [s.institution.phone_verified for s in first]
    assert verified[0] and verified == sorted(verified, reverse=True)   # unverified ones only after all verified
    assert first[-1].institution.id == "cd_comm"


def test_dry_run_checks_and_writes_nothing(tmp_path, directory_file):
    before = directory_file.read_bytes()
    result = run(directory_file, write_csv(tmp_path / "ours.csv", GOOD), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run, nothing written" in result.output and directory_file.read_bytes() == before


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_errors_name_row_and_column_in_both_languages_and_nothing_is_written(tmp_path, directory_file, write):
    bad = [GOOD[0],
           GOOD[1] | {"phone": "call us", "verified": "maybe"},                 # row 3
           GOOD[0] | {"id": "cd_5th", "region": "atlantis", "hours": "有时候"},    # row 4
           GOOD[0] | {"name_zh": ""},                                          # row 5: duplicate id, no name
           GOOD[1] | {"id": "cd_x", "phone": "028-6222XXXX", "verified": "yes"}]  # row 6: placeholder verified
    before = directory_file.read_bytes()
    result = run(directory_file, write(tmp_path / f"bad.{'csv' if write is write_csv else 'xlsx'}", bad))
    assert result.exit_code == 1
    out = result.output
    assert "nothing imported, the directory is unchanged" in out
    assert "第 3 行 phone 列 / row 3, column phone" in out and "invalid phone" in out
    assert "第 3 行 verified 列 / row 3, column verified" in out and "must be yes or no" in out
    assert "第 4 行 region 列 / row 4, column region" in out and "unknown region" in out
    assert "第 4 行 hours 列 / row 4, column hours" in out
    assert "第 5 行 name_zh 列 / row 5, column name_zh：缺少 / missing" in out
    assert "第 6 行 verified 列 / row 6, column verified" in out and "placeholder" in out
    assert "row 2" not in out                                             # the good row is not blamed
    assert directory_file.read_bytes() == before


def test_a_duplicate_id_names_both_rows(tmp_path, directory_file):
    result = run(directory_file, write_csv(tmp_path / "dup.csv", [GOOD[0], GOOD[0]]))
    assert result.exit_code == 1 and "第 3 行 id 列 / row 3, column id：与第 2 行重复 / duplicates row 2" in result.output


def test_a_sheet_without_the_required_columns_or_with_unknown_ones(tmp_path, directory_file):
    header = ("id", "name_zh", "type", "region", "phone", "hours", "fax")
    result = run(directory_file, write_csv(tmp_path / "cols.csv", [], header=header))
    assert result.exit_code == 1
    assert "row 1: missing column verified" in result.output and "row 1: unknown column fax" in result.output


def test_files_that_are_not_sheets(tmp_path, directory_file):
    text = tmp_path / "list.txt"
    text.write_text("id\n", encoding="utf-8")
    assert "needs a .csv or .xlsx file" in run(directory_file, text).output
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = run(directory_file, fake)
    assert result.exit_code == 1 and "not a valid xlsx file" in result.output
    assert "cannot read" in run(directory_file, tmp_path / "missing.csv").output


def test_the_example_file_imports_as_unverified_examples_never_first(tmp_path, directory_file):
    result = run(directory_file, CONFIG / "referrals.example.csv")
    assert result.exit_code == 0, result.output
    directory = load_directory(directory_file)
    examples = [i for i in directory.institutions if i.id.startswith("example_")]
    assert examples and all(not i.phone_verified and "示例" in i.name.zh and "EXAMPLE" in i.name.en
                            for i in examples)
    first = directory.suggest("chengdu", WEDNESDAY_10, limit=3)
    assert all(s.institution.phone_verified for s in first)
