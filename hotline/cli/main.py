"""The `hotline` command: one entry point, one sub-command per area.

Each sub-command lives in its own module and is imported only when it is asked for, so
`hotline lines check` does not load the web application, the simulator or RQ (issue #18).
`hotline --help` lists every command from SUMMARIES without importing any of them (a unit
test keeps each summary equal to its command's own first help line).
"""
from __future__ import annotations

import importlib
import sys

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

# command name → its short help as `hotline --help` shows it (the first line of its docstring)
SUMMARIES = {
    "db": "数据库 / database schema.",
    "demo-agents": "模拟咨询师（演示用） / counselors played by the machine, for the demo.",
    "doctor": "检查部署 / check this deployment's settings, database, Redis, directory, Twilio and URL.",
    "keys": "密钥 / data keys: rotation of encryption at rest and caller keys.",
    "lines": "线路目录 / the line directory.",
    "referrals": "转介机构目录 / the referral directory.",
    "report": "报告：来电分析 / call reports for a day, week or month.",
    "roster": "排班 / rotating shifts: generate, coverage, demo data.",
    "schedule": "营业时间 / schedules.",
    "serve": "运行网页与语音服务 / run the web application (Flask-SocketIO server).",
    "simulate": "模拟 Twilio 来电 / simulate Twilio calls against a running Hotline.",
    "triage": "分诊 / Triage: forms and the risk rule.",
    "users": "工作人员账号 / staff accounts (counselor, supervisor, admin).",
    "worker": "后台任务进程 / run background jobs (reports, reminders, rosters).",
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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from SUMMARIES: importing every command costs seconds (issue #18)."""
        names = self.list_commands(ctx)
        width = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self._summary(ctx, name, width)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _summary(self, ctx: click.Context, name: str, width: int) -> str:
        if name in SUMMARIES and name not in self.commands:
            return click.Command(name, help=SUMMARIES[name]).get_short_help_str(width)
        return self.get_command(ctx, name).get_short_help_str(width)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if not _database_error(exc):
                raise
            text = str(exc).lower()
            if "no such table" in text or "does not exist" in text or "undefinedtable" in text:
                raise click.ClickException("数据库尚未迁移 / the database is not migrated: "
                                           "run `hotline db upgrade`") from None
            raise click.ClickException(f"数据库错误 / database error: {type(exc.orig).__name__}") from None


def _database_error(exc: Exception) -> bool:
    """An SQLAlchemy operational or programming error. A command that never loaded SQLAlchemy
    cannot raise one, so `hotline schedule timeline` does not pay for importing it."""
    if "sqlalchemy.exc" not in sys.modules:
        return False
    errors = sys.modules["sqlalchemy.exc"]
    return isinstance(exc, (errors.OperationalError, errors.ProgrammingError))


@click.group(cls=HotlineGroup)
@click.version_option(package_name="hotline")
def main() -> None:
    """Hotline 心理援助热线呼叫中心 / call center and triage for support hotlines."""
