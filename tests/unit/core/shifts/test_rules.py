"""Rules: minimum rest, hours per ISO week, no two places at once, leave; messages."""
from datetime import date, timedelta

from hotline.shifts import Labels, RuleSet, ShiftSlot, Unavailability, check

from .helpers import shift, three_slots

DAY, EVENING, NIGHT = three_slots()
B_DAY = ShiftSlot("B-day", "B", "09:00", "17:00", label_zh="白班", label_en="day")
LABELS = Labels(names={"li": "李四"}, slots={s.id: s for s in (DAY, EVENING, NIGHT, B_DAY)},
                lines={"A": "成都热线", "B": "四川热线"})
RULES = RuleSet(labels=LABELS)


def test_rest_of_8_hours_between_night_and_next_day_is_reported_with_names():
    # evening 12-01 16:00-24:00, then day 12-02 08:00: 8 h rest
    a, b = shift("li", EVENING, date(2026, 12, 1)), shift("li", DAY, date(2026, 12, 2))
    [v] = check([b, a], rules=RULES)
    assert (v.rule, v.counselor_id, v.shifts, v.value, v.limit) == ("min_rest", "li", (a, b), 8, 11)
    assert v.message == ("李四 2026-12-01 中班与 2026-12-02 白班间隔仅 8 小时，少于 11 小时 / "
                         "李四: rest between 2026-12-01 evening and 2026-12-02 day is 8 h < 11 h")


def test_exactly_min_rest_is_fine_and_limit_is_configurable():
    a = shift("li", DAY, date(2026, 12, 1))        # ends 16:00
    b = shift("li", NIGHT, date(2026, 12, 2))      # starts 00:00 → 8 h
    assert check([a, b], rules=RuleSet(min_rest=timedelta(hours=8))) == []
    assert [v.rule for v in check([a, b])] == ["min_rest"]


def test_rest_across_year_end():
    a, b = shift("li", EVENING, date(2026, 12, 31)), shift("li", NIGHT, date(2027, 1, 1))
    [v] = check([a, b], rules=RULES)
    assert "2026-12-31 中班与 2027-01-01 夜班间隔仅 0 小时" in v.message


def test_weekly_hours_over_limit_in_one_iso_week():
    week = [shift("li", DAY, date(2026, 11, 30) + timedelta(days=i)) for i in range(6)]  # Mon..Sat
    [v] = check(week, rules=RULES)
    assert (v.rule, v.value, v.limit, len(v.shifts)) == ("max_weekly_hours", 48, 40, 6)
    assert v.message.startswith("李四 2026-W49（2026-11-30 – 2026-12-06）工作 48 小时，超过每周上限 40 小时 / ")
    assert check(week, rules=RuleSet(max_weekly_hours=48)) == []


def test_weekly_hours_split_a_shift_at_monday_midnight():
    # Sunday 2026-12-06 22:00-06:00 counts 2 h in W49 and 6 h in W50
    overnight = ShiftSlot("o", "A", "22:00", "06:00")
    w49 = [shift("li", DAY, date(2026, 11, 30) + timedelta(days=i)) for i in range(4)]  # 32 h
    w50 = [shift("li", DAY, date(2026, 12, 8) + timedelta(days=i)) for i in range(4)]   # 32 h, rest ok
    sunday = shift("li", overnight, date(2026, 12, 6))
    assert check(w49 + w50 + [sunday], rules=RuleSet(max_weekly_hours=38)) == []
    [v] = check(w49 + w50 + [sunday], rules=RuleSet(max_weekly_hours=36))
    assert v.value == 38 and "W49" not in v.message and "2026-W50" in v.message


def test_iso_week_at_year_end_belongs_to_2026_w53():
    # 2026-12-28 (Mon) .. 2027-01-03 (Sun) is ISO week 2026-W53
    week = [shift("li", DAY, date(2026, 12, 28) + timedelta(days=i)) for i in range(7)]
    [v] = check(week)
    assert "2026-W53" in v.message and v.value == 56


def test_overlap_across_lines_names_both_lines():
    a, b = shift("li", DAY, date(2026, 12, 1)), shift("li", B_DAY, date(2026, 12, 1))
    [v] = check([a, b], rules=RULES)
    assert (v.rule, v.shifts) == ("overlap", (a, b))
    assert "成都热线 2026-12-01 白班与 四川热线 2026-12-01 白班时间重叠" in v.message
    assert "two places at once" in v.message


def test_back_to_back_on_two_lines_is_no_overlap_but_no_rest_either():
    a, b = shift("li", DAY, date(2026, 12, 1)), shift("li", EVENING, date(2026, 12, 1))
    assert [v.rule for v in check([a, b])] == ["min_rest"]


def test_other_counselors_do_not_interact():
    assert check([shift("li", DAY, date(2026, 12, 1)), shift("wang", DAY, date(2026, 12, 1))]) == []


def test_shift_during_leave_is_reported():
    leave = Unavailability.days("li", date(2026, 12, 1), date(2026, 12, 3), "年假")
    a = shift("li", NIGHT, date(2026, 12, 5))  # after the leave: fine
    b = shift("li", EVENING, date(2026, 12, 3))
    [v] = check([a, b], [leave], RULES)
    assert (v.rule, v.shifts) == ("leave", (b,))
    assert v.message.startswith("李四 2026-12-03 中班与请假") and "年假" in v.message
