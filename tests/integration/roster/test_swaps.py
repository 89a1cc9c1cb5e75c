"""Swap and cover requests: propose, accept, approve with rule checks and the override policy; audited."""
from datetime import date

import pytest
from sqlalchemy import select

from hotline.usecases.roster.context import RosterProblem
from hotline.store.rosters import RosterAudit, ShiftRow, SwapRequest
from tests.conftest import csrf_token, sign_in
from tests.integration.roster.conftest import local


@pytest.fixture
def team(kit, make_user):
    """ana and bo alternate early/late; cy has no shifts; sup approves."""
    ana, bo, cy = kit.counselors("ana", "bo", "cy")
    sup = make_user("sup", "supervisor")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 23), date(2026, 12, 6))
    return ana, bo, cy, sup


def _shift(kit, user, start):
    with kit.services.db.session() as session:
        return session.scalar(select(ShiftRow).where(ShiftRow.counselor_id == user.id, ShiftRow.starts_at == start))


def _audit(kit):
    with kit.services.db.session() as session:
        return [(r.action, r.actor_id) for r in session.scalars(select(RosterAudit).order_by(RosterAudit.id))]


def test_cover_without_violations_is_approved_and_moves_the_shift(kit, team):
    ana, bo, cy, sup = team
    late = _shift(kit, ana, local(2026, 11, 24, 15, 0))
    request = kit.hotline.roster_swaps.propose(ana.id, "cover", late.id, cy.id, reason="孩子生病")
    with pytest.raises(RosterProblem, match="only accepted requests"):
        kit.hotline.roster_swaps.approve(sup.id, request.id)
    with pytest.raises(RosterProblem, match="not yours"):
        kit.hotline.roster_swaps.accept(bo.id, request.id)
    kit.hotline.roster_swaps.accept(cy.id, request.id)
    assert kit.hotline.roster_swaps.preview(request.id) == []
    approved = kit.hotline.roster_swaps.approve(sup.id, request.id)
    assert approved.status == "approved" and not approved.override
    moved = _shift(kit, cy, local(2026, 11, 24, 15, 0))
    assert moved.id == late.id and moved.source == "cover" and moved.original_counselor_id == ana.id
    assert [a for a, _ in _audit(kit)][-3:] == ["cover.propose", "cover.accept", "cover.approve"]


def test_violations_refuse_approval_unless_overridden_with_a_reason(kit, team):
    ana, bo, cy, sup = team
    # bo works early on 11-24 (09-15); taking ana's late the same day leaves 0 h rest
    late = _shift(kit, ana, local(2026, 11, 24, 15, 0))
    request = kit.hotline.roster_swaps.propose(ana.id, "cover", late.id, bo.id)
    kit.hotline.roster_swaps.accept(bo.id, request.id)
    preview = kit.hotline.roster_swaps.preview(request.id)
    assert preview and "bo老师" in preview[0] and "11" in preview[0]
    with pytest.raises(RosterProblem) as refused:
        kit.hotline.roster_swaps.approve(sup.id, request.id)
    assert refused.value.violations == preview
    with pytest.raises(RosterProblem):
        kit.hotline.roster_swaps.approve(sup.id, request.id, override=True, note="   ")
    assert _shift(kit, ana, local(2026, 11, 24, 15, 0)) is not None        # nothing moved
    done = kit.hotline.roster_swaps.approve(sup.id, request.id, override=True, note="无人可替，已征得同意")
    assert done.override and done.violations == preview and done.decision_note == "无人可替，已征得同意"
    with kit.services.db.session() as session:
        entry = session.scalars(select(RosterAudit).where(RosterAudit.action == "cover.approve")).one()
    assert entry.actor_id == sup.id and entry.after["override"] is True and entry.note == "无人可替，已征得同意"
    assert entry.before["shift"]["counselor_id"] == ana.id and entry.after["shift"]["counselor_id"] == bo.id


def test_swap_exchanges_both_shifts_and_stale_requests_are_refused(kit, team):
    ana, bo, cy, sup = team
    mine = _shift(kit, ana, local(2026, 11, 24, 15, 0))        # ana late, bo early: exchange halves
    theirs = _shift(kit, bo, local(2026, 11, 24, 9, 0))
    request = kit.hotline.roster_swaps.propose(ana.id, "swap", mine.id, bo.id, theirs.id)
    with pytest.raises(RosterProblem, match="open request"):
        kit.hotline.roster_swaps.propose(ana.id, "cover", mine.id, cy.id)
    kit.hotline.roster_swaps.accept(bo.id, request.id)
    kit.hotline.roster_swaps.approve(sup.id, request.id)
    assert _shift(kit, ana, local(2026, 11, 24, 9, 0)).source == "swap"
    assert _shift(kit, bo, local(2026, 11, 24, 15, 0)).source == "swap"
    again = kit.hotline.roster_swaps.propose(bo.id, "cover", mine.id, cy.id)   # bo now holds the late one
    kit.hotline.roster_swaps.accept(cy.id, again.id)
    with kit.services.db.session() as session:                          # meanwhile a supervisor moved it
        session.get(ShiftRow, mine.id).counselor_id = ana.id
    with pytest.raises(RosterProblem, match="have changed"):
        kit.hotline.roster_swaps.approve(sup.id, again.id)


def test_past_shifts_and_foreign_shifts_cannot_be_offered(kit, team):
    ana, bo, cy, sup = team
    kit.at(local(2026, 11, 24, 16, 0))
    started = _shift(kit, ana, local(2026, 11, 24, 15, 0))
    with pytest.raises(RosterProblem, match="not started"):
        kit.hotline.roster_swaps.propose(ana.id, "cover", started.id, cy.id)
    foreign = _shift(kit, bo, local(2026, 11, 25, 15, 0))
    with pytest.raises(RosterProblem, match="does not belong"):
        kit.hotline.roster_swaps.propose(ana.id, "cover", foreign.id, cy.id)


def test_the_whole_flow_through_the_pages(client, kit, team):
    ana, bo, cy, sup = team
    late = _shift(kit, ana, local(2026, 11, 24, 15, 0))
    sign_in(client, "ana")
    page = client.get(f"/roster/swaps/new?shift={late.id}").get_data(as_text=True)
    assert "cover-form" in page and "swap-form" in page
    response = client.post("/roster/swaps", data={"csrf_token": csrf_token(client), "kind": "cover",
                                                  "shift_id": late.id, "target_id": bo.id, "reason": "有事"})
    assert response.status_code == 302
    request_id = _only_request(kit).id
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    sign_in(client, "bo")
    assert "request(s) from colleagues" in client.get("/roster/mine").get_data(as_text=True)
    client.post(f"/roster/swaps/{request_id}/accept", data={"csrf_token": csrf_token(client)})
    assert client.post(f"/roster/swaps/{request_id}/approve",
                       data={"csrf_token": csrf_token(client)}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    sign_in(client, "sup")
    listing = client.get("/roster/swaps").get_data(as_text=True)
    assert "approving breaks these rules" in listing
    refused = client.post(f"/roster/swaps/{request_id}/approve", data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 409 and "swap-problem" in refused.get_data(as_text=True)
    done = client.post(f"/roster/swaps/{request_id}/approve", data={
        "csrf_token": csrf_token(client), "override": "1", "note": "临时调整"}, follow_redirects=True)
    assert "override recorded" in done.get_data(as_text=True)
    assert _only_request(kit).status == "approved"


def _only_request(kit):
    with kit.services.db.session() as session:
        return session.scalars(select(SwapRequest)).one()


def test_a_refused_request_goes_back_to_the_form_whatever_the_referer(client, kit, team):
    ana, bo, _cy, _sup = team
    started = _shift(kit, ana, local(2026, 11, 24, 15, 0))
    kit.at(local(2026, 11, 24, 16, 0))                     # the shift has started: refused
    sign_in(client, "ana")
    for referer in ("https://evil.example/roster/phish", "/roster/../login?next=//evil.example", ""):
        response = client.post("/roster/swaps", headers={"Referer": referer} if referer else {},
                               data={"csrf_token": csrf_token(client), "kind": "cover", "shift_id": started.id,
                                     "target_id": bo.id, "reason": "x"})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/roster/swaps/new?shift={started.id}"
    odd = client.post("/roster/swaps", headers={"Referer": "https://evil.example/roster/"},
                      data={"csrf_token": csrf_token(client), "kind": "cover", "shift_id": "12; evil",
                            "target_id": bo.id})
    assert odd.headers["Location"] == "/roster/mine"
