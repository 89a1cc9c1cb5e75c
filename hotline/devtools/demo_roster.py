"""Demo roster: two slots and a rotation for 成都高新区 with the demo counselors.

Only chengdu-gaoxin (open 9:00-21:00 daily) is rostered: four counselors cannot
staff the 24-hour and provincial lines around the clock within the rest and weekly
limits, and lines without a roster keep the assigned-lines rule, so the rest of
the demo keeps answering calls as before. Idempotent: slots and pattern are
created once; the roster is regenerated for the weeks around today.
"""
from __future__ import annotations

from datetime import timedelta

from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.patterns_form import PatternInput

LINE = "chengdu-gaoxin"
DEMO_COUNSELORS = ("counselor1", "counselor2", "counselor3", "counselor4")
SLOTS = (("demo-gx-early", "09:00", "15:00", "早班", "early"), ("demo-gx-late", "15:00", "21:00", "晚班", "late"))
PATTERN = "demo-gx-rotation"
DAYS_BEFORE, DAYS_AFTER = 7, 56


def seed_demo(hotline, progress=None) -> dict:
    """Create what is missing and regenerate; returns what was done (nothing if no demo counselors).
    `hotline` is the process's use cases (hotline.bootstrap.Hotline)."""
    setup = hotline.roster_setup
    if not setup.has_line(LINE):
        return {"skipped": f"线路 {LINE} 不在目录中 / line {LINE} is not in the directory"}
    found = setup.existing(DEMO_COUNSELORS)
    present = found["people"]
    if not present:
        return {"skipped": "没有演示咨询师 counselor1..4 / no demo counselors counselor1..4"}
    created = []
    for code, start, end, zh, en in SLOTS:
        if code not in found["slots"]:
            setup.create_slot(None, line_id=LINE, start=start, end=end, seats=1, label_zh=zh, label_en=en, code=code)
            created.append(code)
    first = hotline.roster_calendar.today() - timedelta(days=DAYS_BEFORE)
    if PATTERN not in found["patterns"]:
        setup.create_pattern(None, PatternInput(
            code=PATTERN, name="高新区演示轮值 / Gaoxin demo rotation",
            cycle_text="demo-gx-early demo-gx-late - -", assignees_text="\n".join(present), start=first))
        created.append(PATTERN)
    last = hotline.roster_calendar.today() + timedelta(days=DAYS_AFTER)
    try:
        summary = hotline.roster_generation.generate_range(first, last, progress=progress)
    except RosterProblem as exc:
        return {"created": created, "error": str(exc)}
    return {"created": created, "counselors": present, "generated": summary}
