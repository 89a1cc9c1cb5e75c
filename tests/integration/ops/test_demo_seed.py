"""scripts/demo_seed.py: the demo's logins under column headers (an admin among them), four
weeks of history for the reports page seeded once, and a note when the demo's lines are
closed at the demo's clock, naming --daytime."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.servers import ROOT

NIGHT = "2026-12-02T18:30:00+00:00"      # 02:30 in Sichuan: only the 24 h line is open
DAY = "2026-12-02T02:00:00+00:00"        # 10:00 in Sichuan


def seed(tmp_path, now: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOTLINE_INSTANCE_DIR": str(tmp_path),
           "HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "HOTLINE_NOW": now,
           "HOTLINE_ARGON2_PROFILE": "test"}
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "demo_seed.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)


def test_logins_have_headers_and_an_admin_and_history_is_seeded_once(tmp_path):
    first = seed(tmp_path, DAY)
    rows = first.stdout.splitlines()
    assert rows[0].split() == ["角色", "/", "role", "用户名", "/", "username", "密码", "/", "password",
                               "姓名", "/", "name", "线路", "/", "lines"]
    roles = {row.split()[1]: row.split()[0] for row in rows[1:]}
    assert roles["admin"] == "admin" and roles["supervisor"] == "supervisor" and roles["sim1"] == "counselor"
    assert "seeded 900 past calls" in first.stderr and "closed" not in first.stderr
    with sqlite3.connect(tmp_path / "demo.db") as db:
        count, last = db.execute("select count(*), max(received_at) from calls").fetchone()
    assert count == 900 and last < "2026-12-02"                    # up to yesterday: last week has data
    again = seed(tmp_path, DAY)
    assert "seeded" not in again.stderr and again.stdout == first.stdout   # same logins, no second history
    with sqlite3.connect(tmp_path / "demo.db") as db:
        assert db.execute("select count(*) from calls").fetchone()[0] == 900


def test_at_night_the_demo_says_which_lines_are_closed_and_offers_daytime(tmp_path):
    night = seed(tmp_path, NIGHT)
    assert "四川省心理援助热线" in night.stderr and "成都市高新区疫情关爱援助热线" in night.stderr
    assert "--daytime" in night.stderr and "成都市心理援助热线、" not in night.stderr
