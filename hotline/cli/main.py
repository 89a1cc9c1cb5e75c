"""The `hotline` command: one entry point, one sub-group per area."""
from __future__ import annotations

import importlib

import click

from hotline.cli.lines import lines, schedule
from hotline.cli.server import db, serve

# Sub-groups that live in their own modules, registered when present.
_OPTIONAL_GROUPS = (
    ("hotline.cli.triage", "triage"),
    ("hotline.cli.users", "users"),
    ("hotline.cli.roster", "roster"),
    ("hotline.cli.simulate", "simulate"),
    ("hotline.cli.report", "report"),
    ("hotline.cli.doctor_command", "doctor"),
    ("hotline.cli.worker", "worker"),
    ("hotline.cli.keys", "keys"),
    ("hotline.cli.demo", "demo_agents"),
)


class HotlineGroup(click.Group):
    """Turns 'the schema is missing' into advice instead of a traceback."""

    def invoke(self, ctx):
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as exc:
            text = str(exc).lower()
            if "no such table" in text or "does not exist" in text or "undefinedtable" in text:
                raise click.ClickException("数据库尚未迁移 / the database is not migrated: "
                                           "run `hotline db upgrade`") from None
            raise click.ClickException(f"数据库错误 / database error: {type(exc.orig).__name__}") from None


@click.group(cls=HotlineGroup)
@click.version_option(package_name="hotline")
def main() -> None:
    """Hotline 心理援助热线呼叫中心 / call center and triage for support hotlines."""


for command in (db, serve, lines, schedule):
    main.add_command(command)

for module_name, attribute in _OPTIONAL_GROUPS:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    main.add_command(getattr(module, attribute))
