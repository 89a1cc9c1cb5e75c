"""`hotline keys rotate`: move everything encrypted at rest, and caller files, to the newest key.

Rotation is: put a new secret first in HOTLINE_DATA_KEY (older ones after it, comma-
separated), run this command, then drop the old secrets. It re-encrypts every token not
yet under the newest key, and re-keys the caller files it can: a file whose call-back
number is stored (encrypted) gets its caller key recomputed with the newest secret, and
every row and Redis entry under the old key moves with it. Files without a number are
re-keyed on the caller's next call (Rekey.rekey_caller, hotline/usecases/triage/rekey.py).
Nothing secret is printed: only table names and counts.
"""
from __future__ import annotations

import click


@click.group("keys")
def keys() -> None:
    """密钥 / data keys: rotation of encryption at rest and caller keys."""


@keys.command("rotate")
@click.option("--dry-run", is_flag=True, help="只统计，不修改 / count only, change nothing.")
def rotate_command(dry_run: bool) -> None:
    """用最新密钥重新加密并重新计算来电者档案键 / re-encrypt with the newest key and re-key caller files."""
    # lazy: `hotline --help` must not load the database and Redis layers
    from hotline.bootstrap import bootstrap

    hotline = bootstrap()
    try:
        rekey = hotline.triage_rekey
        for (table, column), count in rekey.rotate_tokens(dry_run).items():
            click.echo(f"{table}.{column}: {count} 个已重新加密 / re-encrypted")
        moved, without_number = rekey.rekey_files(dry_run)
        click.echo(f"来电者档案重新计算键 / caller files re-keyed: {moved}")
        click.echo(f"无号码、待下次来电时重新计算 / files without a stored number (re-keyed on their next "
                   f"call): {without_number}")
        if dry_run:
            click.echo("（演练，未修改 / dry run: nothing changed）")
    finally:
        hotline.close()
