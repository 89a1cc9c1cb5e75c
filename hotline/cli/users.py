"""`hotline users add|list|set-password|disable|enable|sign-out-everywhere|unlock`: staff
accounts from the shell.

Passwords come from stdin (--password-stdin), a hidden prompt on a terminal, or are
generated and printed once. They are never echoed back or logged. A failing command
writes nothing. The rules an account follows are the accounts use case's
(hotline/usecases/accounts.py); this module parses, asks for the password and prints.
"""
from __future__ import annotations

import json
import secrets
import sys
from contextlib import contextmanager
from typing import Iterator

import click

from hotline.bootstrap import Adapters, Hotline
from hotline.ports import ROLES, Account, AccountError
from hotline.routing.directory_loader import DirectoryError, load_directory
from hotline.settings import Settings, from_env
from hotline.store.migrate import pending, upgrade
from hotline.usecases.accounts import Accounts, check_password, no_such_user


@click.group()
def users() -> None:
    """工作人员账号 / staff accounts (counselor, supervisor, admin)."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="角色 / role")
@click.option("--lines", "line_args", multiple=True, metavar="LINE",
              help="可接听的线路，可重复或用逗号分隔 / line ids this user answers (repeatable, or a,b)")
@click.option("--display-name", help="显示名称 / name shown in the console (default: NAME)")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码 / read the password from stdin")
def users_add(name: str, role: str, line_args: tuple[str, ...], display_name: str | None,
              password_stdin: bool) -> None:
    """新建账号 / create a user."""
    settings = from_env()
    line_ids = _check_lines(settings, _split_lines(line_args))
    with _accounts(settings) as accounts:
        if accounts.find(name) is not None:
            _fail(f"用户已存在 / user already exists: {name.strip()}")
        password, generated = _obtain_password(password_stdin)
        account = _guard(lambda: accounts.add(name, role, password, display_name=display_name, lines=line_ids))
    click.echo(f"已创建用户 / created user {account.username} ({role}; 线路 / lines: "
               f"{', '.join(account.line_ids) or '—'})")
    if generated:
        click.echo(f"初始密码（只显示这一次）/ initial password (shown only once): {password}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
def users_list(as_json: bool) -> None:
    """列出账号 / list users (never their passwords)."""
    with _accounts(from_env()) as accounts:
        rows = [_row(account) for account in accounts.all()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("暂无用户 / no users yet")
    for row in rows:
        state = ("锁定 locked  " if row["locked"] else "启用 active  ") if row["active"] else "停用 disabled"
        click.echo(f"{row['id']:>4}  {row['username']:<20} {row['role']:<10} {state}  "
                   f"{','.join(row['lines']) or '—':<24} {row['last_login_at'] or '—'}")


@users.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码 / read the password from stdin")
def users_set_password(name: str, password_stdin: bool) -> None:
    """重设密码（旧会话失效）/ set a new password; the user's open sessions end."""
    with _accounts(from_env()) as accounts:
        account = _existing(accounts, name)
        password, generated = _obtain_password(password_stdin)
        _guard(lambda: accounts.set_password(account.username, password))
    click.echo(f"已更新密码 / password changed for {account.username}")
    if generated:
        click.echo(f"新密码（只显示这一次）/ new password (shown only once): {password}")


@users.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """停用账号（立即退出）/ disable a user; they are signed out at once."""
    _set_active(name, False)


@users.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """重新启用账号 / enable a disabled user again."""
    _set_active(name, True)


@users.command("sign-out-everywhere")
@click.argument("name")
def users_sign_out_everywhere(name: str) -> None:
    """在所有浏览器上退出 / end every session of a user, on every browser."""
    with _accounts(from_env()) as accounts:
        _guard(lambda: accounts.sign_out_everywhere(name))
    click.echo(f"已在所有设备上退出 / signed out everywhere: {name.strip()}")


@users.command("unlock")
@click.argument("name")
def users_unlock(name: str) -> None:
    """解除登录锁定 / lift the lock set after too many failed sign-ins."""
    with _accounts(from_env()) as accounts:
        lifted = _guard(lambda: accounts.unlock(name))
    click.echo(f"已解除锁定 / unlocked: {name.strip()}" if lifted
               else f"账号未被锁定 / not locked: {name.strip()}")


def _set_active(name: str, active: bool) -> None:
    with _accounts(from_env()) as accounts:
        _guard(lambda: accounts.set_active(name, active))
    click.echo(f"{'已启用 / enabled' if active else '已停用 / disabled'}: {name.strip()}")


def _split_lines(values: tuple[str, ...]) -> list[str]:
    """`--lines a --lines b,c` → [a, b, c], without blanks or repeats."""
    parts = (part.strip() for value in values for part in value.split(","))
    return list(dict.fromkeys(part for part in parts if part))


def _check_lines(settings: Settings, line_ids: list[str]) -> list[str]:
    """The line ids, each known to the directory file (else exit 1 naming the unknown ones)."""
    if not line_ids:
        return line_ids
    try:
        directory = load_directory(settings.directory_file, holidays_dir=settings.holidays_dir)
    except DirectoryError as exc:
        _fail(f"目录无效 / invalid directory {exc}")
    unknown = [line_id for line_id in line_ids if directory.get(line_id) is None]
    if unknown:
        _fail(f"未知线路 / unknown line: {', '.join(unknown)} (目录 / directory {settings.directory_file}; "
              f"已知 / known: {', '.join(line.id for line in directory)})")
    return line_ids


def _obtain_password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated?): stdin, a hidden prompt typed twice, or a strong new one."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif _interactive():
        password = click.prompt("密码 / Password", hide_input=True, confirmation_prompt=
                                "再次输入密码 / Repeat password")
    else:
        return secrets.token_urlsafe(15), True
    _guard(lambda: check_password(password))
    return password, False


def _interactive() -> bool:
    return sys.stdin.isatty()


@contextmanager
def _accounts(settings: Settings) -> Iterator[Accounts]:
    """The accounts use case on HOTLINE_DATABASE_URL (migrated first if it is the embedded
    SQLite). Built without configure_logging: these commands print only their own lines."""
    _ensure_schema(settings.database_url)
    hotline = Hotline(Adapters(settings))
    try:
        yield hotline.accounts
    finally:
        hotline.close()


def _ensure_schema(url: str) -> None:
    try:
        missing = pending(url)
    except Exception as exc:  # unreachable database: say so plainly, no traceback
        _fail(f"无法连接数据库 / cannot reach the database: {type(exc).__name__}: {exc}")
    if missing and url.startswith("sqlite"):
        upgrade(url)
    elif missing:
        _fail(f"数据库需要迁移 / database needs migrating ({', '.join(missing)}): 运行 / run `hotline db upgrade`")


def _existing(accounts: Accounts, name: str) -> Account:
    account = accounts.find(name)
    if account is None:
        _fail(str(no_such_user(name)))
    return account


def _guard(action):
    try:
        return action()
    except AccountError as exc:
        _fail(str(exc))


def _fail(message: str):
    """Exit 1 with message (nothing has been written: each change commits on success only)."""
    click.echo(f"错误 / error: {message}", err=True)
    raise SystemExit(1)


def _row(account: Account) -> dict:
    return {"id": account.id, "username": account.username, "display_name": account.display_name,
            "role": account.role, "lines": list(account.line_ids), "active": account.is_active,
            "locked": account.locked_at is not None,
            "created_at": account.created_at.isoformat(),
            "last_login_at": account.last_login_at.isoformat() if account.last_login_at else None}
