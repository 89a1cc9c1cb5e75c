"""The command line starts at once (issue #18): `--help` lists the commands without importing
them, and the quick commands load neither the ORM nor the phone-number geocoder."""
import json
import subprocess
import sys

import click
import pytest

from hotline.cli.main import COMMANDS, SUMMARIES, main

HEAVY = ("sqlalchemy", "phonenumbers.geocoder", "hotline.devtools.simulator", "flask", "rq")
PROBE = """
import sys, runpy, json, io, contextlib
sys.argv = ["hotline", *json.loads(sys.argv[1])]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        runpy.run_module("hotline", run_name="__main__")
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"modules": sorted(sys.modules), "output": out.getvalue()}))
"""


def _loaded_by(*args: str) -> tuple[set[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(args))], capture_output=True,
                          text=True, timeout=60, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return set(result["modules"]), result["output"]


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_summary_is_the_commands_own_first_help_line(name):
    command = main.get_command(click.Context(main), name)
    assert SUMMARIES[name] == command.help.strip().split("\n\n")[0].strip()


def test_help_lists_every_command_without_importing_one():
    modules, output = _loaded_by("--help")
    for name in COMMANDS:
        assert f"  {name} " in output
    assert "线路目录 / the line directory." in output
    assert not [m for m in modules if m.startswith("hotline.cli.") and m != "hotline.cli.main"]
    assert _heavy(modules) == []


def test_schedule_timeline_loads_neither_the_orm_nor_the_geocoder():
    modules, output = _loaded_by("schedule", "timeline", "24小时", "--from", "2026-01-01T00:00+08:00",
                                 "--to", "2026-01-02T00:00+08:00")
    assert json.loads(output)   # it answered
    assert _heavy(modules) == []


def test_lines_status_loads_neither_the_orm_nor_the_geocoder():
    modules, output = _loaded_by("lines", "status", "--at", "2026-01-05T10:00:00+08:00")
    assert "open" in output
    assert _heavy(modules) == []
