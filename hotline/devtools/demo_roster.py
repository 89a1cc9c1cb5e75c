"""Demo roster: two slots and a rotation for 成都高新区 with the demo counselors.

Only chengdu-gaoxin (open 9:00-21:00 daily) is rostered: four counselors cannot
staff the 24-hour and provincial lines around the clock within the rest and weekly
limits, and lines without a roster keep the assigned-lines rule, so the rest of
the demo keeps answering calls as before. Idempotent: slots and pattern are
created once; the roster is regenerated for the weeks around today.
"""
from __future__ import annotations

from datetime import timedelta

from hotline.usecases.roster import generation, manage
from hotline.usecases.roster.context import RosterProblem, today
from hotline.usecases.roster.patterns_form import PatternInput
from hotline.store import rosters_repo as repo
from hotline.store.users import find_by_username

LINE = "chengdu-gaoxin"
DEMO_COUNSELORS = ("counselor1", "counselor2", "counselor3", "counselor4")
SLOTS = (("demo-gx-early", "09:00", "15:00", "早班", "early"), ("demo-gx-late", "15:00", "21:00", "晚班", "late"))
PATTERN = "demo-gx-rotation"
DAYS_BEFORE, DAYS_AFTER = 7, 56


def seed_demo(services, progress=None) -> dict:
    """Create what is missing and regenerate; returns what was done (nothing if no demo counselors)."""
    if services.directory.get(LINE) is None:
        return {"skipped": f"线路 {LINE} 不在目录中 / line {LINE} is not in the directory"}
    with services.db.session() as session:
        present = [n for n in DEMO_COUNSELORS if find_by_username(session, n) is not None]
        slot_codes = {s.code for s in repo.slots(session, active_only=False)}
        pattern_codes = {p.code for p in repo.patterns(session, active_only=False)}
    if not present:
        return {"skipped": "没有演示咨询师 counselor1..4 / no demo counselors counselor1..4"}
    created = []
    for code, start, end, zh, en in SLOTS:
        if code not in slot_codes:
            manage.create_slot(services, None, line_id=LINE, start=start, end=end, seats=1, label_zh=zh,
                               label_en=en, code=code)
            created.append(code)
    first = today(services) - timedelta(days=DAYS_BEFORE)
    if PATTERN not in pattern_codes:
        manage.create_pattern(services, None, PatternInput(
            code=PATTERN, name="高新区演示轮值 / Gaoxin demo rotation",
            cycle_text="demo-gx-early demo-gx-late - -", assignees_text="\n".join(present), start=first))
        created.append(PATTERN)
    last = today(services) + timedelta(days=DAYS_AFTER)
    try:
        summary = generation.generate_range(services, first, last, progress=progress)
    except RosterProblem as exc:
        return {"created": created, "error": str(exc)}
    return {"created": created, "counselors": present, "generated": summary}
