"""`hotline doctor` against real SQLite, PostgreSQL and Redis: good and broken deployments."""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from hotline.cli.main import main
from hotline.store.migrate import upgrade
from tests.servers import free_port

SID, TOKEN = "AC" + "ab" * 16, "cd" * 16
KEY = {"TWILIO_API_KEY_SID": "SK" + "ef" * 16, "TWILIO_API_KEY_SECRET": "Abc123" * 5 + "xy"}


@pytest.fixture
def doctor(tmp_path, redis_url, redis_prefix):
    """doctor(*args, **env) → (exit code, output); the environment is only what is given."""
    instance = tmp_path / "instance"
    instance.mkdir()
    base = {"HOTLINE_INSTANCE_DIR": str(instance), "HOTLINE_DATABASE_URL": f"sqlite:///{instance / 'hotline.db'}",
            "HOTLINE_REDIS_URL": redis_url, "HOTLINE_REDIS_PREFIX": redis_prefix,
            "HOTLINE_SECRET_KEY": "s" * 40, "HOTLINE_DATA_KEY": "d" * 40}

    def run(*args: str, **env: str):
        cleared = {k: None for k in os.environ if k.startswith(("HOTLINE_", "TWILIO_"))}
        result = CliRunner().invoke(main, ["doctor", *args], env={**cleared, **base, **env})
        return result.exit_code, result.output
    run.base = base
    run.instance = instance
    return run


def _checks(output: str) -> dict[str, dict]:
    return {check["name"].split(" / ")[-1]: check for check in json.loads(output)["checks"]}


def test_a_good_development_setup_passes(doctor):
    upgrade(doctor.base["HOTLINE_DATABASE_URL"])
    code, output = doctor()
    assert code == 0, output
    assert "✓ 数据库 / database" in output and "✓ Redis" in output
    assert "18 lines, 22 numbers" in output and "0 failed" in output


def _holiday_tables(folder, *years: int) -> str:
    """A holidays directory with a (minimal) official table for each year."""
    folder.mkdir(exist_ok=True)
    for year in years:
        (folder / f"cn-{year}.yaml").write_text(f"year: {year}\nholidays: [{{date: {year}-01-01, name: 元旦}}]\n",
                                                encoding="utf-8")
    return str(folder)


def test_a_good_production_setup_passes_with_json(doctor, migrated_postgres_url, tmp_path):
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year    # a good deployment has next year's table too
    code, output = doctor("--json", HOTLINE_DATABASE_URL=migrated_postgres_url,
                          HOTLINE_HOLIDAYS_DIR=_holiday_tables(tmp_path / "holidays", year, year + 1),
                          HOTLINE_PUBLIC_URL="https://hotline.example.org", HOTLINE_TRUSTED_PROXIES="1",
                          TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN, **KEY)
    report = json.loads(output)
    assert code == 0, output
    assert report["ok"] and report["production"]
    checks = _checks(output)
    assert checks["account"]["status"] == "ok" and "needs network" in checks["account"]["message"]
    assert all(c["status"] == "ok" for c in checks.values()), checks


def test_a_bad_lines_file_fails_and_names_the_problem(doctor, tmp_path):
    upgrade(doctor.base["HOTLINE_DATABASE_URL"])
    lines = tmp_path / "lines.yaml"
    lines.write_text("lines:\n  - id: broken\n    name: 坏的\n    region: 四川省\n    level: city\n"
                     "    numbers:\n      - number: '028-87577510'\n        schedule: 每天 25:00-26:00\n",
                     encoding="utf-8")
    code, output = doctor("--json", HOTLINE_LINES_FILE=str(lines))
    assert code == 1
    directory = _checks(output)["directory"]
    assert directory["status"] == "fail" and "broken" in directory["message"]
    assert "hotline lines check" in directory["fix"]


def test_an_unreachable_redis_fails(doctor):
    upgrade(doctor.base["HOTLINE_DATABASE_URL"])
    code, output = doctor(HOTLINE_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert code == 1
    assert "✗ Redis: 无法连接 / cannot connect to redis://127.0.0.1:" in output
    assert "HOTLINE_REDIS_URL" in output


def test_pending_migrations_fail_on_sqlite_and_postgres(doctor, fresh_postgres_url):
    sqlite3.connect(doctor.instance / "hotline.db").close()         # the file exists, no schema
    code, output = doctor()
    assert code == 1 and "migration(s) pending: 0001" in output and "hotline db upgrade" in output
    code, output = doctor("--json", HOTLINE_DATABASE_URL=fresh_postgres_url)
    assert code == 1 and "pending" in _checks(output)["database"]["message"]


def test_missing_database_and_dead_postgres(doctor):
    code, output = doctor()
    assert code == 1 and "file does not exist" in output
    assert not (doctor.instance / "hotline.db").exists()                # the doctor creates nothing
    code, output = doctor(HOTLINE_DATABASE_URL=f"postgresql+psycopg://hotline:pw@127.0.0.1:{free_port()}/x")
    assert code == 1 and "cannot connect" in output and ":pw@" not in output


def test_warnings_do_not_fail(doctor, tmp_path):
    upgrade(doctor.base["HOTLINE_DATABASE_URL"])
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year      # +3h may cross New Year: tables up to year + 2
    tables = _holiday_tables(tmp_path / "holidays", year, year + 1, year + 2)
    code, output = doctor(HOTLINE_NOW="+3h", HOTLINE_WEB_WORKERS="2", HOTLINE_HOLIDAYS_DIR=tables)
    assert code == 0, output
    assert "! 时钟 / clock: !!! HOTLINE_NOW" in output and "! 进程 / processes" in output
    assert "2 warning(s)" in output


def test_embedded_redis_in_production_warns_and_is_not_started(doctor):
    upgrade(doctor.base["HOTLINE_DATABASE_URL"])
    code, output = doctor("--production", "--json", HOTLINE_REDIS_URL="", HOTLINE_WEB_WORKERS="2")
    redis_check = _checks(output)["Redis"]
    assert redis_check["status"] == "warn" and "2 processes" in redis_check["message"]
    assert "HOTLINE_REDIS_URL" in redis_check["fix"]
    assert not (doctor.instance / "redis.sock").exists()


def test_broken_settings_stop_early_with_the_variable(doctor):
    code, output = doctor(HOTLINE_NOW="next tuesday")
    assert code == 1
    assert "✗ 设置 / settings" in output and "HOTLINE_NOW" in output and "- 其余检查 / other checks" in output


def test_nothing_is_written_into_an_empty_instance(doctor):
    code, _ = doctor(HOTLINE_SECRET_KEY="", HOTLINE_DATA_KEY="")
    assert code == 1                                                     # no database yet
    assert list(doctor.instance.iterdir()) == []


def test_next_years_holiday_table_is_due_from_november(doctor, tmp_path):
    """The doctor's own clock (HOTLINE_NOW) decides: 31 October is fine, 1 November warns."""
    upgrade(doctor.base["HOTLINE_DATABASE_URL"])
    folder = _holiday_tables(tmp_path / "holidays", 2040)
    code, output = doctor("--json", HOTLINE_HOLIDAYS_DIR=folder, HOTLINE_NOW="2040-10-31T10:00+08:00")
    assert code == 0 and _checks(output)["holiday tables"]["status"] == "ok", output
    code, output = doctor("--json", HOTLINE_HOLIDAYS_DIR=folder, HOTLINE_NOW="2040-11-01T10:00+08:00")
    check = _checks(output)["holiday tables"]
    assert code == 0 and check["status"] == "warn", output     # a warning, not a failure
    assert "2041" in check["message"] and "cn-2041.yaml" in check["fix"]
    code, output = doctor(HOTLINE_HOLIDAYS_DIR=folder, HOTLINE_NOW="2040-11-01T10:00+08:00")
    assert "! 节假日表 / holiday tables: 尚无 2041 年官方放假安排" in output
    _holiday_tables(tmp_path / "holidays", 2041)
    code, output = doctor("--json", HOTLINE_HOLIDAYS_DIR=folder, HOTLINE_NOW="2040-11-01T10:00+08:00")
    assert _checks(output)["holiday tables"]["status"] == "ok", output
