"""Referral directory loading, suggestions, status transitions and overdue follow-ups."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import yaml

from hotline.triage.referrals import (FOLLOW_UP_AFTER, ReferralError, load_directory, new_referral,
                                      overdue, parse_directory, suggest, transition)

from .conftest import CONFIG, REPO, TZ, fake_compile

WEEKDAY_10 = datetime(2024, 3, 6, 10, 0, tzinfo=TZ)    # a Wednesday
WEEKDAY_13 = datetime(2024, 3, 6, 13, 0, tzinfo=TZ)
SATURDAY_3 = datetime(2024, 3, 9, 3, 0, tzinfo=TZ)
CITIES = ["chengdu", "zigong", "panzhihua", "luzhou", "deyang", "mianyang", "guangyuan",
          "nanchong", "yibin", "dazhou", "yaan", "meishan", "ziyang"]


def _inst(id_, type_, region, hours):
    return {"id": id_, "name": {"zh": id_, "en": id_}, "type": type_, "region": region,
            "phone": "028-XXXXXXXX", "hours": hours}


RAW = {
    "province_wide": "sichuan", "example_data": True,
    "regions": {"sichuan": {"zh": "四川省", "en": "Sichuan"}, "chengdu": {"zh": "成都市", "en": "Chengdu"},
                "zigong": {"zh": "自贡市", "en": "Zigong"}},
    "institutions": [
        {**_inst("e120", "emergency", "sichuan", "周一至周日，24小时"), "phone": "120", "phone_verified": True},
        _inst("sc_hosp", "psychiatric_hospital", "sichuan", "周一至周日，8:00-12:00,13:30-17:30"),
        _inst("cd_hosp", "psychiatric_hospital", "chengdu", "周一至周日，8:00-12:00,14:00-17:30"),
        _inst("cd_comm", "community_mental_health", "chengdu", "周一至周五（节假日除外），9:00-17:00"),
        _inst("cd_night", "community_mental_health", "chengdu", "周一至周五，19:00-21:00"),
        _inst("cd_never", "community_mental_health", "chengdu", "从不"),
        _inst("zg_hosp", "psychiatric_hospital", "zigong", "周一至周日，24小时"),
    ],
}


@pytest.fixture(params=["fake", "real"])
def directory(request):
    """The same expectations hold for the test fake and the real schedule compiler."""
    if request.param == "fake":
        return parse_directory(RAW, "referrals.yaml", fake_compile)
    real = request.getfixturevalue("real_compile")
    raw = {**RAW, "institutions": [i for i in RAW["institutions"] if i["hours"] != "从不"]}
    return parse_directory(raw, "referrals.yaml", real)


def _ids(suggestions):
    return [s.institution.id for s in suggestions]


def test_verified_first_then_open_now_local_first_then_province(directory):
    result = directory.suggest("chengdu", WEEKDAY_10, limit=10)
    assert _ids(result) == ["e120", "cd_hosp", "cd_comm", "sc_hosp", "cd_night"]
    assert [s.open_now for s in result] == [True, True, True, True, False]
    assert result[1].local and not result[3].local
    assert result[1].closes_at == datetime(2024, 3, 6, 12, 0, tzinfo=TZ)
    assert result[-1].opens_at == datetime(2024, 3, 6, 19, 0, tzinfo=TZ)


def test_closed_ones_ordered_by_soonest_opening(directory):
    at_lunch = directory.suggest("chengdu", WEEKDAY_13, limit=10)
    assert _ids(at_lunch) == ["e120", "cd_comm", "sc_hosp", "cd_hosp", "cd_night"]
    night = directory.suggest("chengdu", SATURDAY_3, limit=10)
    assert _ids(night) == ["e120", "cd_hosp", "sc_hosp", "cd_comm", "cd_night"]
    assert night[1].opens_at == datetime(2024, 3, 9, 8, 0, tzinfo=TZ)
    assert night[3].opens_at == datetime(2024, 3, 11, 9, 0, tzinfo=TZ)


def test_limit_types_and_regions(directory):
    assert len(directory.suggest("chengdu", WEEKDAY_10, limit=2)) == 2
    assert _ids(directory.suggest("成都市", WEEKDAY_10, types=["emergency"])) == ["e120"]
    assert _ids(directory.suggest("Zigong", SATURDAY_3)) == ["e120", "zg_hosp", "sc_hosp"]
    assert _ids(directory.suggest("atlantis", SATURDAY_3)) == ["e120", "sc_hosp"]
    assert _ids(directory.suggest(None, SATURDAY_3)) == ["e120", "sc_hosp"]
    assert _ids(suggest(directory.institutions, "sichuan", SATURDAY_3)) == ["e120", "sc_hosp"]


def test_naive_time_rejected(directory):
    with pytest.raises(ValueError, match="timezone-aware"):
        directory.suggest("chengdu", datetime(2024, 3, 6, 10, 0))


def _broken(index, **changes):
    raw = {**RAW, "institutions": [dict(i) for i in RAW["institutions"]]}
    raw["institutions"][index].update(changes)
    return raw


@pytest.mark.parametrize("raw,message", [
    (_broken(1, type="clinic"), "institutions[1].type: 未知类型"),
    (_broken(1, region="tibet"), "institutions[1].region: 未知地区"),
    (_broken(1, phone_verified=True), "institutions[1].phone_verified: 占位号码不能标为已核实"),
    (_broken(1, phone="call me"), "institutions[1].phone: 电话格式无效"),
    (_broken(1, hours="whenever"), "institutions[1].hours: 无法解析营业时间"),
    (_broken(1, tz="Mars/Olympus"), "institutions[1].tz: 未知时区"),
    (_broken(1, id="e120"), "institutions[1].id: 重复的 id"),
    (_broken(1, name={"zh": "x"}), "institutions[1].name"),
    (_broken(1, fax="1"), "institutions[1].fax: 未知的键"),
    (_broken(1, hours=None), "institutions[1].hours: 缺少"),
    ({**RAW, "province_wide": "china"}, "province_wide"),
    ({**RAW, "regions": {}}, "regions: 缺少地区表"),
    ({"regions": RAW["regions"]}, "(top)"),
])
def test_bad_directory_names_path(raw, message):
    with pytest.raises(ReferralError) as info:
        parse_directory(raw, "config/referrals.yaml", fake_compile)
    assert str(info.value).startswith("config/referrals.yaml: ") and message in str(info.value)


PUBLIC_NUMBERS = {"110", "119", "120", "12356"}


def _national_numbers() -> set[str]:
    """The published numbers of the national lines in config/lines.yaml, which is the seed's
    annex 1 (tests/unit/core/routing checks it holds the directory's 18 lines and 22 numbers)."""
    lines = yaml.safe_load((CONFIG / "lines.yaml").read_text(encoding="utf-8"))["lines"]
    return {n["number"] for line in lines if line.get("level") == "national" for n in line["numbers"]}


def _check_shipped(directory):
    """Only numbers one can check: public emergency numbers, 12356, and the national lines of
    the Sichuan directory (the seed's annex 1), each marked verified; no placeholder anywhere."""
    assert directory.example_data is False
    assert set(directory.regions) == set(CITIES) | {"sichuan"}
    national = _national_numbers()
    for inst in directory.institutions:
        assert inst.phone_verified and "X" not in inst.phone, inst.id
        assert inst.phone in PUBLIC_NUMBERS | national, inst.id
        assert inst.region == "sichuan"                    # public numbers serve every region
    phones = {i.phone for i in directory.institutions}
    assert {i.phone for i in directory.institutions if i.type == "emergency"} == {"120", "110", "119"}
    assert {"12356"} | national <= phones and len(national) == 3
    assert _ids(directory.suggest("chengdu", SATURDAY_3, types=["emergency"])) == [
        "emergency_110", "emergency_119", "emergency_120"]
    assert all(s.open_now for s in directory.suggest("chengdu", SATURDAY_3, types=["emergency"]))


def test_shipped_directory_with_fake_compiler():
    _check_shipped(load_directory(CONFIG / "referrals.yaml", compile=fake_compile))


def test_shipped_directory_with_real_compiler(real_compile):
    _check_shipped(load_directory(CONFIG / "referrals.yaml", compile=real_compile))


def test_shipped_directory_with_default_compiler(real_compile):
    """No compile given: the real compiler with the mainland China holiday calendar."""
    _check_shipped(load_directory(CONFIG / "referrals.yaml"))


def test_an_unverified_number_is_never_suggested_first_even_when_the_verified_one_is_closed():
    raw = {**RAW, "institutions": [
        {**_inst("cd_line", "community_mental_health", "chengdu", "周一至周五，19:00-21:00"),
         "phone": "028-87577510", "phone_verified": True},
        _inst("cd_hosp", "psychiatric_hospital", "chengdu", "周一至周日，24小时")]}
    directory = parse_directory(raw, "referrals.yaml", fake_compile)
    result = directory.suggest("chengdu", WEEKDAY_10, limit=10)
    assert _ids(result) == ["cd_line", "cd_hosp"] and not result[0].open_now and result[1].open_now


def test_never_open_is_left_out():
    directory = parse_directory(RAW, "referrals.yaml", fake_compile)
    assert "cd_never" not in _ids(directory.suggest("chengdu", WEEKDAY_10, limit=50))


def test_missing_file():
    with pytest.raises(ReferralError, match="cannot read"):
        load_directory(CONFIG / "nope.yaml", compile=fake_compile)


# --- life cycle --------------------------------------------------------------------------

T0 = datetime(2024, 3, 6, 10, 0, tzinfo=TZ)


def test_new_referral_has_first_reminder():
    ref = new_referral("r1", "cd_hosp", T0, by="c1")
    assert ref.status == "suggested" and ref.follow_up_at == T0 + FOLLOW_UP_AFTER["suggested"]
    assert ref.history[0].by == "c1" and ref.is_open


@pytest.mark.parametrize("path", [
    ["accepted", "contacted", "completed"], ["accepted", "completed"], ["contacted", "completed"],
    ["declined"], ["accepted", "declined"], ["accepted", "contacted", "declined"],
])
def test_valid_paths(path):
    ref = new_referral("r1", "cd_hosp", T0)
    for n, status in enumerate(path, 1):
        ref = transition(ref, status, T0 + timedelta(hours=n))
    assert ref.status == path[-1] and not ref.is_open and ref.follow_up_at is None
    assert [h.status for h in ref.history] == ["suggested", *path]


@pytest.mark.parametrize("path,bad", [
    ([], "completed"), ([], "suggested"), (["declined"], "accepted"),
    (["accepted", "contacted", "completed"], "declined"), (["accepted", "contacted"], "accepted"),
])
def test_invalid_transitions(path, bad):
    ref = new_referral("r1", "cd_hosp", T0)
    for status in path:
        ref = transition(ref, status, T0)
    with pytest.raises(ReferralError, match=f"invalid transition {ref.status} → {bad}"):
        transition(ref, bad, T0)


def test_unknown_status_and_allowed_list():
    ref = new_referral("r1", "cd_hosp", T0)
    with pytest.raises(ReferralError, match="unknown referral status"):
        transition(ref, "lost", T0)
    with pytest.raises(ReferralError, match=r"allowed: accepted, contacted, declined"):
        transition(ref, "completed", T0)


def test_follow_up_restarts_on_each_step():
    ref = transition(new_referral("r1", "x", T0), "accepted", T0 + timedelta(hours=1),
                     follow_up_after=timedelta(hours=6))
    assert ref.follow_up_at == T0 + timedelta(hours=7)
    ref = transition(ref, "contacted", T0 + timedelta(hours=2))
    assert ref.follow_up_at == T0 + timedelta(hours=2) + FOLLOW_UP_AFTER["contacted"]


def test_overdue():
    a = new_referral("a", "x", T0, follow_up_after=timedelta(hours=1))
    b = new_referral("b", "x", T0 - timedelta(days=2))
    c = transition(new_referral("c", "x", T0 - timedelta(days=5)), "declined", T0 - timedelta(days=5))
    d = new_referral("d", "x", T0, follow_up_after=timedelta(hours=30))
    now = T0 + timedelta(hours=1)
    assert [r.id for r in overdue([a, b, c, d], now)] == ["b", "a"]
    assert overdue([a, b, c, d], T0 - timedelta(days=3)) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        overdue([a], datetime(2024, 3, 6))


def test_holidays_close_weekday_services_with_real_calendar(real_compile):
    """"周一至周五（节假日除外）" is closed on National Day; it reopens on the next working day."""
    directory = load_directory(REPO / "tests" / "fixtures" / "referrals-test.yaml")
    national_day = datetime(2024, 10, 1, 10, 0, tzinfo=TZ)
    by_id = {s.institution.id: s for s in directory.suggest("chengdu", national_day, limit=10)}
    assert by_id["chengdu_psychiatric"].open_now and by_id["emergency_120"].open_now
    community = by_id["chengdu_community"]
    assert not community.open_now
    assert community.opens_at == datetime(2024, 10, 8, 9, 0, tzinfo=TZ)


def test_only_a_verified_complete_number_is_dialable():
    from dataclasses import replace

    from hotline.triage.referrals import Institution, Label

    base = Institution("x", Label("某机构", "An institution"), "psychiatric_hospital", "chengdu", "+862887000001",
                       "24h", schedule=None, phone_verified=True)
    assert base.dialable
    assert not replace(base, phone_verified=False).dialable
    assert not replace(base, phone="028-XXXXXXXX").dialable
