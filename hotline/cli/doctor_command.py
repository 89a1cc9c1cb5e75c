"""`hotline doctor [--json]`: check a deployment's settings and dependencies.

Exits 1 when any check fails (warnings do not fail), so it can gate a deploy script
or a systemd ExecStartPre.
"""
from __future__ import annotations

import click

from hotline.cli.doctor import run_checks
from hotline.settings import environment


@click.command()
@click.option("--json", "as_json", is_flag=True, help="机器可读输出 / machine-readable output")
@click.option("--production/--development", default=None,
              help="按生产/开发标准检查（默认：有 Twilio 账户或公网地址即生产）/ judge as production or "
                   "development (default: production when Twilio is configured or the public URL is not local)")
def doctor(as_json: bool, production: bool | None) -> None:
    """检查部署 / check this deployment's settings, database, Redis, directory, Twilio and URL."""
    report = run_checks(environment(), production)
    click.echo(report.to_json() if as_json else report.to_text())
    if not report.ok:
        raise SystemExit(1)
