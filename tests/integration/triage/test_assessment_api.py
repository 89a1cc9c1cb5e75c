"""The console's triage API: the same rule as the CLI, saved encrypted, actions once."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

import hotline.cli.triage
import hotline.triage.risk
import hotline.usecases.triage.assessments
from hotline.bootstrap import Hotline
from hotline.store.triage import Assessment, CallerFile, FollowUp
from tests.integration.triage.conftest import HIGH, IMMINENT, MODERATE, NO, assess, refer

CASES = [
    {},
    NO,
    NO | {"wish_dead": "yes"},
    NO | {"suicidal_thoughts": "refused", "method": "no", "intent": "no", "plan": "no"},
    MODERATE,
    NO | {"behavior": "lifetime"},
    NO | {"harm_others": "thoughts"},
    HIGH,
    NO | {"behavior": "refused"},
    NO | {"harm_others": "intent_or_plan"},
    NO | {"suicidal_thoughts": "yes", "plan": "yes"},
    IMMINENT,
    NO | {"danger_now": "yes", "protective_factors": ["family_support", "自己的猫 / my cat"]},
    NO | {"suicidal_thoughts": "no", "method": "yes"},   # answered although not asked: still counts
]


def cli_summary(answers: dict) -> dict:
    result = CliRunner().invoke(hotline.cli.triage.triage, ["assess", "--answers", json.dumps(answers), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_console_and_cli_share_one_code_path():
    assert hotline.cli.triage.assess is hotline.triage.risk.assess
    assert hotline.usecases.triage.assessments.assess is hotline.triage.risk.assess


@pytest.mark.parametrize("answers", CASES)
def test_the_console_endpoint_answers_exactly_what_the_cli_prints(chengdu_call, answers):
    floor, li, sid = chengdu_call
    live = li.post("/api/triage/assess", {"answers": answers})
    assert live.status_code == 200, live.get_json()
    expected = cli_summary(answers)
    body = live.get_json()
    assert {k: body[k] for k in ("level", "reasons", "actions")} == expected
    saved = assess(li, sid, answers)
    assert saved.status_code == 200, saved.get_json()
    assert {k: saved.get_json()[k] for k in ("level", "reasons", "actions")} == expected


def test_the_assess_endpoint_spies_the_same_function(chengdu_call, monkeypatch):
    floor, li, sid = chengdu_call
    calls = []
    real = hotline.triage.risk.assess

    def spy(answers, form=None):
        calls.append(form.id if form else None)
        return real(answers, form)

    monkeypatch.setattr(hotline.usecases.triage.assessments, "assess", spy)
    li.post("/api/triage/assess", {"answers": HIGH})
    assess(li, sid, HIGH)
    assert calls == ["default", "default"]


def test_the_form_definition_is_served_for_rendering(chengdu_call):
    floor, li, sid = chengdu_call
    form = li.get("/api/triage/forms/default").get_json()
    assert form["id"] == "default" and form["version"] == 1
    items = {item["id"]: item for item in form["items"]}
    assert {i["type"] for i in form["items"]} == {"single", "multi", "text", "list", "checklist"}
    assert items["wish_dead"]["label"]["zh"].startswith("过去一个月")
    assert items["method"]["ask_when"] == [{"op": "not_in", "item": "suicidal_thoughts", "values": ["no"]}]
    assert items["emergency_checklist"]["ask_when"] == [{"op": "level_at_least", "level": "imminent"}]
    assert [o["value"] for o in items["emergency_checklist"]["options"]][:2] == ["keep_on_line", "location"]
    assert li.get("/api/triage/forms/nope").status_code == 400


def test_bad_answers_are_refused_naming_the_item(chengdu_call):
    floor, li, sid = chengdu_call
    response = assess(li, sid, {"wish_dead": "maybe"})
    assert response.status_code == 400
    assert "wish_dead" in response.get_json()["message"]
    assert assess(li, sid, {"no_such_item": "x"}).status_code == 400


def test_a_saved_assessment_keeps_the_form_version_and_only_tokens(chengdu_call):
    floor, li, sid = chengdu_call
    answers = MODERATE | {"notes": "来电者说起失业后的绝望 / despair after losing the job"}
    assert assess(li, sid, answers).status_code == 200
    with floor.services.db.session() as session:
        row = session.scalar(select(Assessment).where(Assessment.call_sid == sid))
    assert (row.form_id, row.form_version, row.level, row.rule_level) == ("default", 1, "moderate", "moderate")
    assert "绝望" not in row.answers_encrypted and "despair" not in row.answers_encrypted
    assert json.loads(floor.services.keyring.decrypt(row.answers_encrypted))["notes"] == answers["notes"]
    assert row.reasons == [{"item": "method", "level": "moderate"}, {"item": "suicidal_thoughts", "level": "low"}]
    view = li.get(f"/api/calls/{sid}/assessment").get_json()
    assert view["assessment"]["answers"]["notes"] == answers["notes"]
    assert view["assessment"]["form_version"] == 1
    assert any(a["action"] == "referral_suggested" for a in assess(li, sid, answers).get_json()["actions"])


def alerts(services, kind="risk"):
    return [a for a in Hotline(services).alerts.open_alerts() if a.kind == kind]


def test_high_alerts_supervisors_once_and_schedules_a_follow_up_in_24_hours(chengdu_call):
    floor, li, sid = chengdu_call
    s = floor.services
    assert assess(li, sid, HIGH).status_code == 200
    assert assess(li, sid, HIGH | {"notes": "again"}).status_code == 200
    [alert] = alerts(s)
    assert (alert.level, alert.call_sid, alert.counselor_id, alert.line_id) == ("high", sid, li.id, "chengdu-gaoxin")
    assert not alert.sounding
    # people read names, not ids
    assert alert.message == ("高风险来电 · 成都市高新区疫情关爱援助热线 / high-risk call · "
                             "Chengdu Hi-tech Zone Epidemic Care Hotline")
    assert "chengdu-gaoxin" not in alert.message
    sent = [(p, rooms) for e, p, rooms in s.events.sent if e == "alert"]
    assert len(sent) == 1 and "supervisors" in sent[0][1]
    with s.db.session() as session:
        follow_up = session.scalar(select(FollowUp).where(FollowUp.call_sid == sid))
        row = session.scalar(select(Assessment).where(Assessment.call_sid == sid))
    assert follow_up.due_at == s.now() + timedelta(hours=24) and follow_up.status == "scheduled"
    assert follow_up.job_id == f"triage-follow-up-{sid}"
    assert sorted(row.actions_done) == ["alert:high", "flag", "follow_up"]      # high flags the file too
    from hotline.jobs.plumbing import queue

    rq = queue(s)
    assert follow_up.job_id in rq.scheduled_job_registry.get_job_ids()
    scheduled = rq.scheduled_job_registry.get_scheduled_time(follow_up.job_id)
    from datetime import datetime, timezone
    assert abs((scheduled.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)).total_seconds()
               - 24 * 3600) < 120


def test_imminent_sounds_flags_the_file_and_needs_the_checklist(chengdu_call):
    floor, li, sid = chengdu_call
    s = floor.services
    assess(li, sid, HIGH)
    body = assess(li, sid, IMMINENT).get_json()
    assert body["level"] == "imminent"
    codes = [a["action"] for a in body["actions"]]
    assert {"sounding_alert", "emergency_checklist", "flag_caller_file", "priority"} <= set(codes)
    by_level = {a.level: a for a in alerts(s)}                   # same frozen instant: order is free
    assert sorted(by_level) == ["high", "imminent"] and len(alerts(s)) == 2
    assert by_level["imminent"].sounding and not by_level["high"].sounding
    key = s.keyring.caller_key("+8613908170000")
    assert s.redis.sismember(s.keys.flagged(), key)
    with s.db.session() as session:
        found = session.scalar(select(CallerFile).where(CallerFile.caller_key == key))
    assert found.flagged_level == "imminent" and found.flagged_call_sid == sid
    assert len(body["blockers"]) == 2
    assert "紧急处置清单未完成" in body["blockers"][1] and "保持来电者在线" in body["blockers"][1]


def test_lowering_needs_a_reason_and_goes_to_supervisor_review(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    refused = assess(li, sid, HIGH, override={"level": "moderate"})
    assert refused.status_code == 400 and "书面理由" in refused.get_json()["message"]
    lowered = assess(li, sid, HIGH, override={"level": "moderate", "reason": "来电者已在住院治疗 / in hospital"})
    body = lowered.get_json()
    assert lowered.status_code == 200
    assert (body["level"], body["rule_level"], body["needs_review"]) == ("moderate", "high", True)
    assert [a.level for a in alerts(floor.services)] == ["high"]      # the rule's level still alerted
    assert li.get("/api/triage/reviews").status_code == 403
    [review] = supervisor.get("/api/triage/reviews").get_json()["reviews"]
    assert (review["call_sid"], review["level"], review["rule_level"]) == (sid, "moderate", "high")
    assert "住院" not in json.dumps(review)
    assert supervisor.post(f"/api/triage/reviews/{review['id']}").status_code == 200
    assert supervisor.get("/api/triage/reviews").get_json()["reviews"] == []
    page = supervisor.get("/triage/reviews")
    assert page.status_code == 200 and "没有待复核的评估" in page.get_data(as_text=True)


def test_raising_is_free_and_sets_off_the_raised_level(chengdu_call):
    floor, li, sid = chengdu_call
    body = assess(li, sid, MODERATE, override={"level": "high"}).get_json()
    assert (body["level"], body["rule_level"], body["needs_review"]) == ("high", "moderate", False)
    assert [a.level for a in alerts(floor.services)] == ["high"]
    assert body["blockers"] and "转介" in body["blockers"][0]
    assert refer(li, sid, status="accepted").status_code == 201
    assert li.get(f"/api/calls/{sid}/assessment").get_json()["blockers"] == []


def test_only_the_handling_counselor_may_fill_in_the_triage(chengdu_call, desk, supervisor):
    floor, li, sid = chengdu_call
    wang = desk("wang")
    assert assess(wang, sid, HIGH).status_code == 403
    assert wang.get(f"/api/calls/{sid}/assessment").status_code == 403
    assert assess(supervisor, sid, HIGH).status_code == 403
    assert supervisor.get(f"/api/calls/{sid}/assessment").status_code == 200
    assert alerts(floor.services) == []


def test_state_changes_need_the_csrf_token(chengdu_call):
    floor, li, sid = chengdu_call
    response = li.post(f"/api/calls/{sid}/assessment", {"answers": HIGH}, csrf=False)
    assert response.status_code == 400
    assert alerts(floor.services) == []


def test_the_supervisors_read_the_line_s_name_in_a_risk_alert_never_its_id(chengdu_call, supervisor):
    floor, li, sid = chengdu_call
    assert assess(li, sid, HIGH).status_code == 200
    dashboard = supervisor.get("/api/dashboard")
    assert dashboard.status_code == 200
    [alert] = [a for a in dashboard.get_json()["alerts"] if a["kind"] == "risk"]
    assert alert["message"].startswith("高风险来电 · 成都市高新区疫情关爱援助热线 / high-risk call · ")
    assert "chengdu-gaoxin" not in alert["message"] and alert["line_name"] == "成都市高新区疫情关爱援助热线"
