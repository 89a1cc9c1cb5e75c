#!/usr/bin/env python3
"""Seed the demo's staff and four weeks of call history (once) and print the logins.

Passwords are generated on first run and kept in instance/demo-staff.json so the
printed logins stay valid across demo restarts. The history (synthetic calls up to
yesterday) is what the reports page shows on first opening (last week), so a newcomer
does not see zeros. When the demo's lines are closed at the demo's clock (at night) it
says so on stderr and names `--daytime`. Demo data only: never production.
"""
from __future__ import annotations

import json
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.devtools.synthetic_calls import Generator, insert_calls, lines_of  # noqa: E402
from hotline.routing.directory_loader import load_directory  # noqa: E402
from hotline.settings import from_env  # noqa: E402
from hotline.store.db import Database  # noqa: E402
from hotline.store.users import create_user, find_by_username  # noqa: E402

DEMO_LINES = ("sichuan", "chengdu", "chengdu-gaoxin")
CENTER_ZONE = ZoneInfo("Asia/Shanghai")         # the demo's lines are in Sichuan
HISTORY_DAYS = 28
HISTORY_CALLS = 900
HEADER = ("角色 / role", "用户名 / username", "密码 / password", "姓名 / name", "线路 / lines")
STAFF = [
    ("admin", "admin", "系统管理员", ()),
    ("supervisor", "supervisor", "王督导", ()),
    ("counselor1", "counselor", "李咨询师", ("sichuan", "chengdu", "chengdu-gaoxin")),
    ("counselor2", "counselor", "张咨询师", ("sichuan", "chengdu")),
    ("counselor3", "counselor", "刘咨询师", ("chengdu", "chengdu-gaoxin")),
    ("counselor4", "counselor", "陈咨询师", ("sichuan", "chengdu-gaoxin")),
    # played by the machine (`hotline demo-agents`), so queues move even when nobody is signed in
    ("sim1", "counselor", "模拟咨询师一", ("sichuan", "chengdu", "chengdu-gaoxin")),
    ("sim2", "counselor", "模拟咨询师二", ("sichuan", "chengdu", "chengdu-gaoxin")),
]


def passwords(path: Path) -> dict[str, str]:
    if path.exists():
        return json.loads(path.read_text())
    values = {name: secrets.token_urlsafe(9) for name, *_ in STAFF}
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def seed_history(settings, db: Database, directory) -> int:
    """Synthetic calls on the demo's lines for the four weeks up to yesterday, once."""
    marker = settings.instance_dir / "demo-history.done"
    if marker.exists():
        return 0
    yesterday = settings.clock.now().astimezone(CENTER_ZONE).date() - timedelta(days=1)
    lines = [spec for spec in lines_of(directory) if spec.id in DEMO_LINES]
    calls = Generator(lines, yesterday - timedelta(days=HISTORY_DAYS - 1), yesterday, seed=17).calls(HISTORY_CALLS)
    with db.session() as session:
        count = insert_calls(session, calls)
    marker.write_text(str(count))
    return count


def closed_lines(settings, directory) -> list[str]:
    now = settings.clock.now()
    return [line.name for line in directory if line.id in DEMO_LINES and not line.is_open(now)]


def main() -> None:
    settings = from_env()
    known = passwords(settings.instance_dir / "demo-staff.json")
    directory = load_directory(settings.directory_file)
    db = Database(settings.database_url)
    with db.session() as session:
        for name, role, display, lines in STAFF:
            if find_by_username(session, name) is None:
                create_user(session, name, role, known.setdefault(name, secrets.token_urlsafe(9)),
                            now=settings.clock.now(), display_name=display, lines=list(lines))
    (settings.instance_dir / "demo-staff.json").write_text(json.dumps(known))
    seeded = seed_history(settings, db, directory)
    db.dispose()
    if seeded:
        print(f"已生成 {seeded} 条历史来电（报告页） / seeded {seeded} past calls for the reports page", file=sys.stderr)
    closed = closed_lines(settings, directory)
    if closed:
        print(f"注意：演示时钟下这些线路已关闭 / note: closed at the demo's clock: {'、'.join(closed)}"
              " — 用 ./scripts/demo --daytime 以白天时钟运行 / run ./scripts/demo --daytime for a daytime clock",
              file=sys.stderr)
    print(f"{HEADER[0]:<13} {HEADER[1]:<16} {HEADER[2]:<15} {HEADER[3]:<12} {HEADER[4]}")
    for name, role, display, lines in STAFF:
        print(f"{role:<13} {name:<16} {known[name]:<15} {display:<12} {','.join(lines) or '—'}")


if __name__ == "__main__":
    main()
