"""Supervisors' single-shift edits and leave: rules checked, overrides need a reason, all audited."""
from datetime import date

import pytest
from sqlalchemy import select

from hotline.shifts import LineHours
from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.patterns_form import parse_assignees, parse_cycle
from hotline.store.rosters import RosterAudit, ShiftRow
from tests.conftest import csrf_token, sign_in
from tests.integration.roster.conftest import local


@pytest.fixture
def team(kit, make_user):
    ana, bo, cy = kit.counselors("ana", "bo", "cy")
    make_user("sup", "supervisor")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 23), date(2026, 11, 29))
    return ana, bo, cy


def _row(kit, user, start):
    with kit.services.db.session() as session:
        return session.scalar(select(ShiftRow).where(ShiftRow.counselor_id == user.id, ShiftRow.starts_at == start))


def test_reassign_page_shows_violations_then_applies_with_override(client, kit, team):
    ana, bo, cy = team
    late = _row(kit, ana, local(2026, 11, 24, 15, 0))
    sign_in(client, "sup")
    refused = client.post(f"/roster/shifts/{late.id}/reassign",
                          data={"csrf_token": csrf_token(client), "counselor_id": bo.id})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "violations" in html and "bo老师" in html
    applied = client.post(f"/roster/shifts/{late.id}/reassign", follow_redirects=True, data={
        "csrf_token": csrf_token(client), "counselor_id": bo.id, "override": "1", "reason": "临时"})
    assert "shift reassigned" in applied.get_data(as_text=True)
    assert _row(kit, bo, local(2026, 11, 24, 15, 0)).source == "cover"


def test_add_and_remove_a_shift(kit, team):
    ana, bo, cy = team
    row, messages = kit.hotline.roster_edits.add_shift(None, cy.id, "gx-early", date(2026, 11, 25))
    assert messages == [] and row.source == "manual" and row.starts_at == local(2026, 11, 25, 9, 0)
    with pytest.raises(RosterProblem, match="already has this shift"):
        kit.hotline.roster_edits.add_shift(None, cy.id, "gx-early", date(2026, 11, 25))
    kit.hotline.roster_edits.remove_shift(None, row.id, "多排了")
    assert _row(kit, cy, local(2026, 11, 25, 9, 0)) is None
    with kit.services.db.session() as session:
        actions = [a.action for a in session.scalars(select(RosterAudit).order_by(RosterAudit.id))]
    assert actions[-2:] == ["shift.add", "shift.remove"]


def test_leave_reports_clashing_shifts_and_generation_skips_it(kit, team):
    ana, bo, cy = team
    _, clashes = kit.hotline.roster_edits.add_leave(None, ana.id, date(2026, 11, 26), date(2026, 11, 26), "年假")
    assert len(clashes) == 1 and "年假" in clashes[0]
    summary = kit.generate(date(2026, 11, 26), date(2026, 11, 26))
    assert summary["created"] == 1 and summary["unfilled"] == 1


def test_deactivated_slot_in_a_pattern_names_both_at_generation(kit, team):
    with kit.services.db.session() as session:
        slot_id = session.scalar(select(ShiftRow.slot_id).where(ShiftRow.slot_code == "gx-late").limit(1))
    kit.hotline.roster_setup.set_slot_active(None, slot_id, False)
    with pytest.raises(RosterProblem, match="gx.*gx-late"):
        kit.generate(date(2026, 12, 1), date(2026, 12, 2))


def test_pattern_text_forms():
    assert parse_cycle("night, day 休 -  evening") == ["night", "day", None, None, "evening"]
    assert parse_assignees("a\n# comment\nb, c @5\n\nd") == [(["a"], 0), (["b", "c"], 5), (["d"], 2)]
    with pytest.raises(RosterProblem):
        parse_cycle("  ")


def test_line_hours_merge_numbers(kit):
    chengdu = kit.services.directory.get("chengdu")        # a 24-hour number and a 9-21 number
    spans = LineHours(chengdu).intervals(local(2026, 11, 23), local(2026, 11, 24))
    assert spans == [(local(2026, 11, 23), local(2026, 11, 24))]


def test_coverage_page(client, kit, team):
    sign_in(client, "sup")
    html = client.get("/roster/coverage?from=2026-11-23&to=2026-11-30").get_data(as_text=True)
    assert "coverage-chengdu-gaoxin" in html and "2026-11-30 09:00" in html   # the 30th was not generated
    assert "成都市高新区疫情关爱援助热线" in html                      # people read the line's name ...
    assert ">chengdu-gaoxin" not in html and "chengdu-gaoxin<" not in html   # ... never its id
