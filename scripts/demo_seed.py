#!/usr/bin/env python3
"""Seed the demo's staff (once) and print their logins.

Passwords are generated on first run and kept in instance/demo-staff.json so the
printed logins stay valid across demo restarts. Demo data only: never production.
"""
from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.settings import from_env  # noqa: E402
from hotline.store.db import Database  # noqa: E402
from hotline.store.users import create_user, find_by_username  # noqa: E402

STAFF = [
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


def main() -> None:
    settings = from_env()
    known = passwords(settings.instance_dir / "demo-staff.json")
    db = Database(settings.database_url)
    with db.session() as session:
        for name, role, display, lines in STAFF:
            if find_by_username(session, name) is None:
                create_user(session, name, role, known[name], now=settings.clock.now(),
                            display_name=display, lines=list(lines))
    db.dispose()
    for name, role, display, lines in STAFF:
        print(f"{role:<10} {name:<11} {known[name]:<14} {display} {','.join(lines)}")


if __name__ == "__main__":
    main()
