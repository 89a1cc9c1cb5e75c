"""`hotline report` on the command line: table, JSON and CSV, one line, storing, the schedule."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from hotline.cli.main import main
from hotline.reports.periods import period_ending
from hotline.store.reports import ReportRun
from tests.integration.reports.conftest import build_world, compute, jobs_of, remove_rq_jobs


@pytest.fixture
def cli_world(tmp_path, database_url, redis_url, redis_prefix):
    world = build_world(tmp_path / "world", database_url, count=300, seed=7)
    env = {"HOTLINE_DATABASE_URL": database_url, "HOTLINE_INSTANCE_DIR": str(tmp_path / "instance"),
           "HOTLINE_REDIS_URL": redis_url, "HOTLINE_REDIS_PREFIX": redis_prefix,
           "HOTLINE_DATA_KEY": world.services.settings.data_key, "HOTLINE_SECRET_KEY": "test",
           "HOTLINE_NOW": "2026-11-03T12:00+08:00", "HOTLINE_LINES_FILE": "", "HOTLINE_CONFIG_DIR": ""}
    yield world, env
    world.services.close()
    remove_rq_jobs(redis_url, redis_prefix)


def invoke(env, *args):
    result = CliRunner().invoke(main, ["report", *args], env=env, catch_exceptions=False)
    return result


def test_json_has_every_figure_and_the_comparison(cli_world):
    world, env = cli_world
    result = invoke(env, "--period", "month", "--end", "2026-10-31", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = compute(world.services, period_ending("month", date(2026, 10, 31)))
    assert data["overall"]["values"] == pytest.approx(expected.overall.values)
    assert data["previous"]["period"]["last"] == "2026-09-30"
    assert set(data["lines"]) == {line.id for line in world.directory}


def test_csv_is_clean_on_stdout_while_progress_goes_to_stderr(cli_world):
    world, env = cli_world
    result = invoke(env, "--period", "week", "--end", "2026-10-31", "--line", "chengdu", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["line_id"] for r in rows} == {"chengdu"}
    offered = next(r for r in rows if r["metric"] == "offered")
    expected = compute(world.services, period_ending("week", date(2026, 10, 31)), "chengdu")
    assert float(offered["value"]) == expected.overall.values["offered"]


def test_table_defaults_to_the_week_ending_yesterday(cli_world):
    _, env = cli_world
    result = invoke(env)
    assert result.exit_code == 0
    assert "2026-10-27 – 2026-11-02" in result.stdout and "来电 / calls offered" in result.stdout


def test_store_keeps_the_run(cli_world):
    world, env = cli_world
    assert invoke(env, "--period", "day", "--end", "2026-10-05", "--store", "--no-compare").exit_code == 0
    with world.services.db.session() as session:
        run = session.scalars(select(ReportRun)).one()
        assert (run.period, run.last_day.isoformat(), run.source) == ("day", "2026-10-05", "cli")


@pytest.mark.parametrize("args,message", [(("--end", "31.10.2026"), "YYYY-MM-DD"),
                                          (("--line", "atlantis"), "unknown line")])
def test_bad_input_is_named(cli_world, args, message):
    _, env = cli_world
    result = invoke(env, *args)
    assert result.exit_code != 0 and message in result.output


def test_schedule_command_changes_and_registers(cli_world):
    world, env = cli_world
    from hotline.bootstrap import Adapters

    def scheduled_nightly(services):
        return jobs_of(services).registered_runs()

    result = invoke(env, "schedule", "--time", "4:05", "--enable")
    assert result.exit_code == 0 and "04:05" in result.stdout
    services = Adapters(world.services.settings.with_(redis_url=env["HOTLINE_REDIS_URL"],
                                                      redis_prefix=env["HOTLINE_REDIS_PREFIX"]))
    assert len(scheduled_nightly(services)) == 1
    assert invoke(env, "schedule", "--disable").exit_code == 0
    assert scheduled_nightly(services) == []
    services.close()
