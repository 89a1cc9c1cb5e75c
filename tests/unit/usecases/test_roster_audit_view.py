"""The roster audit as people read it: words for the action codes, names for people and
lines, times in the center's zone, before/after as short descriptions (never JSON)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from hotline.ports import AuditEntry
from hotline.usecases.roster.audit_view import action_words, audit_rows, people_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 23, 1, 5, tzinfo=timezone.utc)       # 09:05 in Shanghai
NAMES = {1: "王督导", 7: "李老师", 8: "赵老师"}
LINES = {"chengdu-gaoxin": "成都市高新区疫情关爱援助热线"}


def rows(*entries: AuditEntry):
    return audit_rows(entries, NAMES, lambda line_id: LINES.get(line_id, line_id), SHANGHAI)


def entry(action, target, before=None, after=None, actor=1, note=""):
    return AuditEntry(1, AT, actor, action, target, before, after, note)


def test_generating_a_roster_reads_as_words_in_local_time():
    [row] = rows(entry("roster.generate", "2026-11-23..2026-11-29", {"deleted": 0, "cancelled_swaps": 0},
                       {"created": 28, "unfilled": 2, "violations": 0}))
    assert row.what == "生成排班 / roster generated" and row.code == "roster.generate"
    assert row.when == "2026-11-23 09:05:00" and row.who == "王督导"
    assert row.target == "2026-11-23 至 2026-11-29 / 2026-11-23 to 2026-11-29"
    assert row.after == ("新建班次 / shifts created：28", "未排满席位 / seats unfilled：2", "违反规则 / rule breaks：0")


def test_a_reassigned_shift_names_the_counselors_the_line_and_local_times():
    before = {"id": 12, "counselor_id": 7, "name": "李老师", "line_id": "chengdu-gaoxin", "slot": "gx-early",
              "start": "2026-11-24T01:00:00+00:00", "end": "2026-11-24T07:00:00+00:00", "source": "generated"}
    [row] = rows(entry("shift.reassign", "shift:12", before, before | {"counselor_id": 8, "source": "manual"}))
    assert row.what == "改派班次 / shift reassigned" and row.target == "班次 #12 / shift #12"
    assert "咨询师 / counselor：李老师" in row.before and "咨询师 / counselor：赵老师" in row.after
    assert "线路 / line：成都市高新区疫情关爱援助热线" in row.before
    assert "开始 / start：2026-11-24 09:00" in row.before and "来源 / source：手工 / by hand" in row.after
    text = " ".join(row.before + row.after)
    assert "chengdu-gaoxin" not in text and "{" not in text and "T01:00" not in text


def test_swap_steps_and_unknown_codes():
    assert action_words("swap.approve") == "换班督导批准 / swap approved"
    assert action_words("cover.propose") == "代班申请 / cover requested"
    assert action_words("slot.deactivate") == "停用时段 / slot turned off"
    assert action_words("something.new") == "something.new"          # never hidden
    [row] = rows(entry("swap.propose", "swap:3", None, {"status": "proposed", "kind": "swap", "requester_id": 7,
                                                         "target_id": 8, "shift_id": 12, "other_shift_id": None}))
    assert row.before == () and "状态 / status：待对方确认" in row.after and "对方 / other counselor：赵老师" in row.after
    assert "对方班次 / other shift：—" in row.after


def test_the_system_and_user_targets():
    [row] = rows(entry("feed.revoke", "user:7", actor=None))
    assert row.who == "系统 / system" and row.target == "李老师"


def test_people_in_collects_every_user_an_entry_mentions():
    entries = [entry("feed.revoke", "user:9", actor=None),
               entry("swap.approve", "swap:1", {"shift": {"counselor_id": 7}}, {"shift": {"counselor_id": 8}}, actor=1)]
    assert people_in(entries) == {1, 7, 8, 9}
