"""The roster pages: who may open what, CSRF on every change, calendars render the roster."""
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import csrf_token, sign_in


@pytest.fixture
def rostered(kit):
    """ana and bo alternate early/late on 成都高新区 for the week of 2026-11-23."""
    people = kit.counselors("ana", "bo")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 23), date(2026, 12, 6))
    return people


def test_counselor_cannot_open_supervisor_pages_but_sees_own(client, kit, rostered):
    assert sign_in(client, "ana").status_code == 302
    for path in ("/roster", "/roster/month", "/roster/slots", "/roster/patterns", "/roster/leave",
                 "/roster/audit", "/roster/coverage"):
        assert client.get(path).status_code == 403, path
    page = client.get("/roster/mine")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2026-11-23 周一" in html and "09:00–15:00" in html   # her upcoming shifts (now is 08:00)
    assert "bo老师" not in html                                  # nobody else's


def test_anonymous_is_sent_to_sign_in(client, kit):
    response = client.get("/roster")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_supervisor_week_and_month_views_show_the_roster(client, kit, make_user, rostered):
    make_user("sup", "supervisor")
    sign_in(client, "sup")
    week = client.get("/roster?date=2026-11-25").get_data(as_text=True)
    assert "week-chengdu-gaoxin" in week and "ana老师" in week and "bo老师" in week
    assert "早班" in week and "晚班" in week and "On duty now" in week
    month = client.get("/roster/month?date=2026-11-25&line=chengdu-gaoxin").get_data(as_text=True)
    assert 'data-date="2026-12-06"' in month and "早班：" in month


def test_state_changes_need_the_csrf_token(client, kit, make_user):
    make_user("sup", "supervisor")
    sign_in(client, "sup")
    data = {"line_id": "chengdu-gaoxin", "start": "09:00", "end": "15:00", "seats": "1"}
    assert client.post("/roster/slots", data=data).status_code == 400
    assert client.post("/roster/slots", data=data | {"csrf_token": csrf_token(client)}).status_code == 302
    assert "chengdu-gaoxin-0900-1500" in client.get("/roster/slots").get_data(as_text=True)
    assert client.post("/roster/generate", json={"from": "2026-12-01", "to": "2026-12-02"}).status_code == 400


def test_supervisor_creates_slot_pattern_leave_through_forms(client, kit, make_user):
    kit.counselors("ana", "bo")
    make_user("sup", "supervisor")
    sign_in(client, "sup")
    token = csrf_token(client)
    client.post("/roster/slots", data={"csrf_token": token, "line_id": "chengdu-gaoxin", "start": "09:00",
                                       "end": "21:00", "seats": "1", "label_zh": "全天", "code": "gx-all"})
    response = client.post("/roster/patterns", data={
        "csrf_token": token, "code": "gx", "cycle": "gx-all -", "assignees": "ana\nbo", "start": "2026-11-01",
        "days": "all", "on_holiday": "work", "advance_on": "every_day"}, follow_redirects=True)
    assert "pattern gx added" in response.get_data(as_text=True)
    bad = client.post("/roster/patterns", data={
        "csrf_token": token, "code": "gx2", "cycle": "nope", "assignees": "ana", "start": "2026-11-01"},
        follow_redirects=True)
    assert "unknown or inactive slots: nope" in bad.get_data(as_text=True)
    response = client.post("/roster/leave", data={"csrf_token": token, "counselor_id": str(_id(kit, "ana")),
                                                   "first": "2026-12-01", "last": "2026-12-02", "reason": "年假"},
                           follow_redirects=True)
    assert "leave recorded" in response.get_data(as_text=True)
    assert "年假" in client.get("/roster/leave").get_data(as_text=True)
    audit = client.get("/roster/audit").get_data(as_text=True)
    assert "新建时段 / slot created" in audit and "新建轮值模式 / rotation pattern created" in audit
    assert "登记请假 / leave recorded" in audit and "咨询师 / counselor：ana老师" in audit
    for code in ("slot.create", "pattern.create", "leave.create"):       # codes only as a tooltip
        assert f'title="{code}"' in audit and f">{code}<" not in audit


def test_the_audit_reads_in_words_names_and_the_center_s_time(client, kit, make_user, rostered):
    make_user("sup", "supervisor", display_name="孙督导")
    sign_in(client, "sup")
    token = csrf_token(client)
    client.post("/roster/slots", data={"csrf_token": token, "line_id": "chengdu-gaoxin", "start": "21:00",
                                       "end": "23:00", "seats": "1", "label_zh": "夜班", "code": "gx-night"})
    audit = client.get("/roster/audit").get_data(as_text=True)
    assert "生成排班 / roster generated" in audit and ">roster.generate<" not in audit
    assert "2026-11-23 至 2026-12-06" in audit and "(Asia/Shanghai)" in audit
    assert "线路 / line：成都市高新区疫情关爱援助热线" in audit and "孙督导" in audit
    assert "&#34;" not in audit and '{"' not in audit                       # no raw JSON
    now = kit.services.now().astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert now in audit                                                    # local time, not UTC
    slots = client.get("/roster/slots").get_data(as_text=True)
    assert "<td>成都市高新区疫情关爱援助热线</td>" in slots and "<td>chengdu-gaoxin</td>" not in slots


def _id(kit, username):
    from hotline.store.users import find_by_username

    with kit.services.db.session() as session:
        return find_by_username(session, username).id
