"""`hotline referrals import FILE.csv|xlsx [--dry-run]`: load a center's own referral directory.

The sheet is checked in full before anything is written (every problem named by row and
column, exit 1, the directory untouched); a good sheet replaces the institutions of
the directory file (HOTLINE_REFERRALS_FILE, default <config>/referrals.yaml) in one rename, keeping the public emergency numbers and national
hotlines unless the sheet lists the same id. Running processes pick the new file up on
their next read (the triage configuration reloads a changed file).
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import compile_schedule
from hotline.settings import holidays_dir_from, referrals_path_from_env
from hotline.store.referral_files import SheetError, read_directory, read_sheet, write_directory
from hotline.triage.referral_import import ReferralImportError, import_directory


@click.group()
def referrals() -> None:
    """转介机构目录 / the referral directory."""


@referrals.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只检查，不写入 / check only, write nothing")
def import_command(file: Path, dry_run: bool) -> None:
    """导入本中心的转介机构表（CSV 或 XLSX）/ import the center's own directory (CSV or XLSX)."""
    target = referrals_path_from_env()
    calendar = china_calendar(holidays_dir_from())
    try:
        header, rows = read_sheet(file)
        base = read_directory(target) if target.exists() else {}
        raw, directory = import_directory(rows, header, base, str(file),
                                          lambda text, tz: compile_schedule(text, tz=tz, calendar=calendar))
    except (SheetError, ReferralImportError) as exc:
        click.echo(f"未导入，目录未改动 / nothing imported, the directory is unchanged:\n{exc}", err=True)
        sys.exit(1)
    verified = Counter(inst.phone_verified for inst in directory.institutions)
    summary = (f"{len(directory.institutions)} 个机构 / institutions: {verified[True]} 已核实 / verified, "
               f"{verified[False]} 未核实 / unverified")
    if dry_run:
        click.echo(f"检查通过（未写入）/ valid (dry run, nothing written): {summary}")
        return
    write_directory(target, raw)
    click.echo(f"已导入 / imported into {target}: {summary}")
