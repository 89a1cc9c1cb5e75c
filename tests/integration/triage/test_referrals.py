"""Referrals: suggestions for the caller's region, the status life cycle, overdue reminders."""
from __future__ import annotations

from datetime import timedelta

from tests.integration.triage.conftest import answer_call, assess, HIGH, refer
from tests.integration.voice.conftest import local


def test_suggestions_are_for_the_callers_region_open_now_first(chengdu_call):
    floor, li, sid = chengdu_call
    floor.flush()
    found = li.get(f"/api/calls/{sid}/referrals/suggestions").get_json()["suggestions"]
    ids = [s["id"] for s in found]
    assert "chengdu_psychiatric" in ids and "chengdu_community" in ids
    assert not any(i.startswith(("yaan", "zigong")) for i in ids)
    opens = [s["open_now"] for s in found]
    assert opens == sorted(opens, reverse=True)          # open ones first
    first = found[0]
    assert first["open_now"] and first["name"]["zh"] and "phone_verified" in first


def test_at_night_closed_institutions_come_by_how_soon_they_open(floor, desk):
    li = desk("li")
    li.go("available")
    floor.at(local(2026, 11, 23, 20, 30))                 # Gaoxin is open until 21:00
    sid = answer_call(floor, li, "+8613880000001")
    floor.flush()
    found = li.get(f"/api/calls/{sid}/referrals/suggestions").get_json()["suggestions"]
    closed = [s for s in found if not s["open_now"]]
    assert closed and [s["opens_at"] for s in closed] == sorted(s["opens_at"] for s in closed)
    assert all(s["open_now"] for s in found[:len(found) - len(closed)])


def test_the_status_follows_the_life_cycle(chengdu_call):
    floor, li, sid = chengdu_call
    created = refer(li, sid)
    assert created.status_code == 201
    referral = created.get_json()
    assert referral["status"] == "suggested" and referral["allowed"] == ["accepted", "contacted", "declined"]
    path = f"/api/referrals/{referral['id']}/status"
    assert li.post(path, {"status": "completed"}).status_code == 400
    assert li.post(path, {"status": "accepted"}).get_json()["status"] == "accepted"
    done = li.post(path, {"status": "completed", "note": "已住院 / admitted"}).get_json()
    assert done["status"] == "completed" and done["next_follow_up_at"] is None
    assert [h["status"] for h in done["history"]] == ["suggested", "accepted", "completed"]
    assert "admitted" not in str(done["history"])
    assert refer(li, sid, "no_such_place").status_code == 400


def test_supervisors_see_overdue_referrals(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    refer(li, sid, status="accepted")                      # follow up within 48 h
    refer(li, sid, "chengdu_community")                    # suggested: within 24 h
    assert supervisor.get("/api/referrals/overdue").get_json()["referrals"] == []
    floor.at(local(2026, 11, 24, 10, 30))
    [late] = supervisor.get("/api/referrals/overdue").get_json()["referrals"]
    assert late["institution_id"] == "chengdu_community"
    floor.at(local(2026, 11, 26, 10, 30))
    overdue = supervisor.get("/api/referrals/overdue").get_json()["referrals"]
    assert [r["institution_id"] for r in overdue] == ["chengdu_community", "chengdu_psychiatric"]
    page = supervisor.get("/triage/referrals/overdue").get_data(as_text=True)
    assert "成都市社区心理健康服务中心" in page and "逾期未跟进的转介" in page
    assert li.get("/api/referrals/overdue").status_code == 403
    assert li.get("/triage/referrals/overdue").status_code == 403


def test_the_supervisor_overview_lists_alerts_reviews_and_due_follow_ups(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    assess(li, sid, HIGH)
    page = supervisor.get("/triage").get_data(as_text=True)
    assert 'data-level="high"' in page and "风险警报" in page
    floor.at(floor.services.now() + timedelta(hours=25))
    page = supervisor.get("/triage").get_data(as_text=True)
    assert "到期回访" in page and sid[:14] in page
