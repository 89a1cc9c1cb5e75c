"""The `hotline` command: one entry point, one sub-command per area.

Each sub-command lives in its own module and is imported only when it is asked for, so
`hotline lines check` does not load the web application, the simulator or RQ (issue #18).
`hotline --help` still lists every command with its own help text, which imports them all.
"""
from __future__ import annotations

import importlib

import click

# command name → "module:attribute" of its click command or group
COMMANDS = {
    "db": "hotline.cli.server:db",
    "demo-agents": "hotline.cli.demo:demo_agents",
    "doctor": "hotline.cli.doctor_command:doctor",
    "keys": "hotline.cli.keys:keys",
    "lines": "hotline.cli.lines:lines",
    "referrals": "hotline.cli.referrals:referrals",
    "report": "hotline.cli.report:report",
    "roster": "hotline.cli.roster:roster",
    "schedule": "hotline.cli.lines:schedule",
    "serve": "hotline.cli.server:serve",
    "simulate": "hotline.cli.simulate:simulate",
    "triage": "hotline.cli.triage:triage",
    "users": "hotline.cli.users:users",
    "worker": "hotline.cli.worker:worker",
}


class HotlineGroup(click.Group):
    """Loads each command on first use; turns 'the schema is missing' into advice instead of
    a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | COMMANDS.keys())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, _, attribute = COMMANDS[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        # Imported when a command runs, not for `hotline --help` (issue #18: a fast start).
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
