"""Generate the roster for a date range from the active patterns, and store it.

What a regeneration keeps (decided here, shown on the page): shifts that came
from patterns ("generated") in the range are replaced; swaps, covers and manual
additions are kept, and the pattern's shift they stand in for is not put back
(a swapped-away night stays swapped). A pattern shift removed by hand comes back
— absences belong in leave, which generation respects. Open swap requests about
shifts that are replaced are cancelled, with the reason, in the audit.

One transaction: the range is either fully regenerated or untouched.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

from hotline.shifts import generate
from hotline.usecases.roster import convert
from hotline.usecases.roster.context import RosterProblem, changed, check_range, day_bounds
from hotline.store import rosters_repo as repo

Progress = Callable[[int, int, str], None]
GENERATE_UNITS, WRITE_UNITS = 600, 400
SAMPLE_VIOLATIONS = 20


def generate_range(services, first: date, last: date, *, actor_id: int | None = None,
                   progress: Progress | None = None) -> dict:
    """Regenerate [first, last]; returns a JSON-ready summary (counts, timings, sample violations)."""
    check_range(first, last)
    started = time.perf_counter()
    report = progress or (lambda done, total, message: None)
    with changed(services) as session:
        slot_rows, pattern_rows = repo.slots(session), repo.patterns(session, first, last)
        if not pattern_rows:
            raise RosterProblem("没有适用于该日期范围的轮值模式 / no active rotation pattern covers these dates")
        members = _members(pattern_rows)
        _require_people(session, members)
        leave = _leave(services, session, first, last, members)
        names = repo.names(session, members)
        rules = convert.rules(names, slot_rows, services.directory)
        roster = _core_generate(pattern_rows, slot_rows, first, last, leave, rules, report,
                                services.holiday_calendar)
        deleted, cancelled = _clear_range(services, session, first, last, actor_id)
        rows = _rows(session, services, roster, slot_rows, pattern_rows, first, last)
        repo.insert_shifts(session, rows, lambda d, t: report(GENERATE_UNITS + WRITE_UNITS * d // max(t, 1),
                                                              GENERATE_UNITS + WRITE_UNITS, "写入 / writing"))
        violations = roster.check()
        summary = _summary(first, last, rows, deleted, cancelled, roster, violations, started)
        repo.audit(session, services.now(), actor_id, "roster.generate", f"{first}..{last}",
                   {"deleted": deleted, "cancelled_swaps": cancelled},
                   {k: summary[k] for k in ("created", "unfilled", "violations")})
    report(GENERATE_UNITS + WRITE_UNITS, GENERATE_UNITS + WRITE_UNITS, "完成 / done")
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary


def _core_generate(pattern_rows, slot_rows, first, last, leave, rules, report, calendar):
    try:
        return generate([convert.pattern_of(p) for p in pattern_rows], [convert.slot_of(s) for s in slot_rows],
                        first, last, leave, rules=rules, calendar=calendar,
                        progress=lambda d, t: report(GENERATE_UNITS * d // t, GENERATE_UNITS + WRITE_UNITS,
                                                     "生成 / generating"))
    except ValueError as exc:           # an unknown slot in a cycle, a malformed pattern
        raise RosterProblem(str(exc)) from None


def _leave(services, session, first: date, last: date, members: set[int]):
    """Leave of the patterns' members around the range (a day either side for overnight slots)."""
    start, end = day_bounds(services, first - timedelta(days=1), last + timedelta(days=1))
    return [convert.leave_of(r) for r in repo.leave_between(session, start, end, counselor_ids=sorted(members))]


def _members(pattern_rows) -> set[int]:
    return {int(m) for p in pattern_rows for a in (p.assignees or ()) for m in a.get("members", ())}


def _require_people(session, members: set[int]) -> None:
    missing = sorted(members - repo.existing_user_ids(session, members))
    if missing:
        ids = ", ".join(map(str, missing))
        raise RosterProblem(f"轮值模式引用了不存在的用户：{ids} / rotation patterns refer to unknown users: {ids}")


def _clear_range(services, session, first: date, last: date, actor_id: int | None) -> tuple[int, list[int]]:
    """Delete the range's generated shifts; cancel open swap requests about them."""
    start, end = day_bounds(services, first, last)
    gone = repo.shift_ids_starting_between(session, start, end, source="generated")
    cancelled = []
    for swap in repo.open_swaps_touching(session, gone):
        swap.status, swap.decided_at, swap.decided_by = "cancelled", services.now(), actor_id
        swap.decision_note = "班表已重新生成 / the roster was regenerated"
        cancelled.append(swap.id)
        repo.audit(session, services.now(), actor_id, "swap.cancel", f"swap:{swap.id}", None,
                   {"status": "cancelled"}, swap.decision_note)
    session.flush()
    repo.delete_shifts_starting_between(session, start, end, source="generated")
    return len(gone), cancelled


def _rows(session, services, roster, slot_rows, pattern_rows, first, last) -> list[dict]:
    """Insert dicts for the new shifts, minus seats held by kept swaps, covers and manual shifts."""
    start, end = day_bounds(services, first, last)
    kept = repo.shifts_starting_between(session, start - timedelta(days=1), end + timedelta(days=1))
    stand_ins = {(r.original_counselor_id, r.line_id, r.slot_code, r.starts_at) for r in kept
                 if r.original_counselor_id is not None}
    taken = {(r.counselor_id, r.starts_at, r.line_id) for r in kept}
    slot_ids = {s.code: s.id for s in slot_rows}
    pattern_of = _pattern_by_member_slot(pattern_rows)
    rows = []
    for s in roster.shifts:
        cid = int(s.counselor_id)
        if (cid, s.line_id, s.slot_id, s.start) in stand_ins or (cid, s.start, s.line_id) in taken:
            continue
        rows.append({"counselor_id": cid, "line_id": s.line_id, "slot_id": slot_ids.get(s.slot_id),
                     "slot_code": s.slot_id, "starts_at": s.start, "ends_at": s.end, "source": "generated",
                     "pattern_id": pattern_of.get((s.counselor_id, s.slot_id)), "original_counselor_id": cid})
    return rows


def _pattern_by_member_slot(pattern_rows) -> dict[tuple[str, str], int]:
    """Which pattern put a member on a slot (first pattern wins if several could)."""
    found: dict[tuple[str, str], int] = {}
    for p in pattern_rows:
        for a in p.assignees or ():
            for m in a.get("members", ()):
                for code in p.cycle or ():
                    if code:
                        found.setdefault((str(m), code), p.id)
    return found


def _summary(first, last, rows, deleted, cancelled, roster, violations, started) -> dict:
    return {"first": first.isoformat(), "last": last.isoformat(), "created": len(rows), "deleted": deleted,
            "cancelled_swaps": cancelled, "unfilled": len(roster.unfilled), "violations": len(violations),
            "violation_messages": [v.message for v in violations[:SAMPLE_VIOLATIONS]],
            "unfilled_seats": [{"line_id": u.line_id, "slot": u.slot_id, "start": u.start.isoformat(),
                                "counselor_id": u.counselor_id, "reason": u.reason}
                               for u in roster.unfilled[:SAMPLE_VIOLATIONS]],
            "seconds": round(time.perf_counter() - started, 3)}

