"""The catalogue of report figures: one id, a zh/en label, a unit and a group each.

Every rendering (page, CSV, XLSX, table, print) walks this list, so a figure is
named and formatted the same everywhere, and its id is the stable column name.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    id: str
    zh: str
    en: str
    unit: str            # count | seconds | ratio | hours
    group: str           # calls | service | triage | staffing
    better: str = ""     # "up" / "down" when a change has a good direction (for comparison colours)

    @property
    def label(self) -> str:
        return f"{self.zh} / {self.en}"


METRICS: tuple[Metric, ...] = (
    Metric("offered", "来电", "calls offered", "count", "calls"),
    Metric("answered", "接听", "answered", "count", "calls", "up"),
    Metric("abandoned", "放弃", "abandoned", "count", "calls", "down"),
    Metric("abandoned_short", "短时放弃（<5秒）", "short abandons (<5 s)", "count", "calls"),
    Metric("abandon_wait_avg", "放弃前平均等待", "mean wait before abandoning", "seconds", "calls"),
    Metric("rolled_in", "转入（溢出）", "rolled over in", "count", "calls"),
    Metric("rolled_out", "转出（溢出）", "rolled over out", "count", "calls", "down"),
    Metric("voicemail", "留言", "voicemails", "count", "calls"),
    Metric("transferred", "转接其他热线", "transferred to another line", "count", "calls"),
    Metric("info_only", "仅播报信息", "information only (nothing open)", "count", "calls", "down"),
    Metric("answer_rate", "接通率", "answer rate", "ratio", "service", "up"),
    Metric("service_level_20", "20秒服务水平", "service level 20 s", "ratio", "service", "up"),
    Metric("service_level_60", "60秒服务水平", "service level 60 s", "ratio", "service", "up"),
    Metric("asa", "平均应答速度", "average speed of answer", "seconds", "service", "down"),
    Metric("talk_avg", "平均通话时长", "mean talk time", "seconds", "service"),
    Metric("wrap_up_avg", "平均整理时长", "mean wrap-up time", "seconds", "service"),
    Metric("repeat_callers", "重复来电者", "repeat callers", "count", "service"),
    Metric("assessments", "分诊评估", "triage assessments", "count", "triage"),
    Metric("referrals_made", "转介（发起）", "referrals made", "count", "triage"),
    Metric("referrals_completed", "转介（完成）", "referrals completed", "count", "triage", "up"),
    Metric("follow_ups_overdue", "逾期随访", "overdue follow-ups", "count", "triage", "down"),
    Metric("staffed_hours", "在岗时数", "staffed hours", "hours", "staffing"),
    Metric("open_hours", "开放时数", "open hours", "hours", "staffing"),
    Metric("coverage_gap_hours", "缺岗席位时数", "coverage gap (seat-hours)", "hours", "staffing", "down"),
    Metric("coverage_gaps", "缺岗时段数", "coverage gaps (stretches)", "count", "staffing", "down"),
)
BY_ID = {m.id: m for m in METRICS}

# Breakdowns: id → (zh, en). Keys of each breakdown are documented beside it.
BREAKDOWNS: dict[str, tuple[str, str]] = {
    "day_offered": ("每日来电", "calls per day"),               # ISO date
    "day_answered": ("每日接听", "answered per day"),
    "day_abandoned": ("每日放弃", "abandoned per day"),
    "hour_offered": ("各小时来电", "calls by hour"),            # "00".."23"
    "hour_answered": ("各小时接听", "answered by hour"),
    "hour_abandoned": ("各小时放弃", "abandoned by hour"),
    "weekday_offered": ("星期分布", "calls by weekday"),        # "0" (Mon).."6"
    "heat": ("星期×小时来电", "calls by weekday and hour"),     # "w:HH"
    "abandon_wait": ("放弃前等待分布", "wait before abandoning"),  # "0-5" … "120+"
    "concerns": ("求助问题", "concerns"),                       # option values of the form
    "population_levels": ("人群分级", "population levels"),     # "1".."4", "not_applicable"
    "risk_levels": ("风险等级", "risk levels"),                 # none … imminent
}
ABANDON_WAIT_BUCKETS = (("ab_0_5", "0-5"), ("ab_5_20", "5-20"), ("ab_20_60", "20-60"),
                        ("ab_60_120", "60-120"), ("ab_120", "120+"))
WEEKDAYS = (("一", "Mon"), ("二", "Tue"), ("三", "Wed"), ("四", "Thu"), ("五", "Fri"), ("六", "Sat"), ("日", "Sun"))


def format_value(metric: Metric, value: float | None) -> str:
    """Human form: 85.0%, 12.3 s, 40.5 h, 17; an em dash for a missing figure."""
    if value is None:
        return "—"
    if metric.unit == "ratio":
        return f"{value * 100:.1f}%"
    if metric.unit == "seconds":
        return f"{value:.1f} 秒"
    if metric.unit == "hours":
        return f"{value:.1f} 小时"
    return f"{value:.0f}"
