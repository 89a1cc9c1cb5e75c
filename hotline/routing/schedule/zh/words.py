"""Vocabulary of Chinese opening-hours text, as data.

Kept apart from the lexer so a new variant seen in a notice is a one-line addition here.
Values: DAY -> frozenset of weekdays (0=Mon); DAYSET -> 'all' | 'working' | 'rest' |
'public' | 'norest' (全年无休: every day, holidays included); PERIOD -> the part of day;
FULLDAY -> 'clock' (a claim of 24 hours: 24小时, 全天候) or 'day' (全天: the whole
opening day, whatever the windows say); REFUSE -> the reason the text cannot be hours.
Words are matched on normalised text (see zh_normalize), so one spelling per word.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WORDS", "CN_DIGITS", "AFTERNOON", "NIGHT", "NOON", "MORNING", "REFUSALS"]

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}

_WEEKDAY_SUFFIX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
                   "七": 6, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}

# Why a word makes a text unreadable as hours; the parser quotes the word and the reason.
REFUSALS = {
    "validity": "只说明在某个时期有效，无法知道是哪些日期；请写明开放的日期和时间，"
                "特殊时期用 lines.yaml 的 overrides 写具体日期 / names a period or an event, "
                "whose dates the engine cannot know: give days and clock times, and dated "
                "overrides in lines.yaml for the period",
    "unfixed": "开放时间不固定，无法按时间路由；请为此号码写明具体开放时间 / says the hours are not "
               "fixed: give this number explicit hours",
    "vague": "只给出大概或最少的时长，不是开放时间；请写明几点到几点 / gives an approximate or "
             "minimum duration, not opening hours: say from when to when (e.g. 8:00-24:00)",
}


def _weekday_words() -> dict[str, tuple[str, Any]]:
    words: dict[str, tuple[str, Any]] = {}
    for prefix in ("周", "星期", "礼拜"):
        for suffix, weekday in _WEEKDAY_SUFFIX.items():
            words[prefix + suffix] = ("DAY", frozenset({weekday}))
    for word in ("周末", "双休日", "星期六日", "周六日"):
        words[word] = ("DAY", frozenset({5, 6}))
    return words


def _kind(kind: str, value: Any, *words: str) -> dict[str, tuple[str, Any]]:
    return {word: (kind, value) for word in words}


WORDS: dict[str, tuple[str, Any]] = {
    **_weekday_words(),
    **_kind("DAYSET", "all", "每天", "每日", "天天", "全周", "全年", "每周七天", "一周七天", "每周7天",
            "一周7天", "一年365天", "全年365天", "365天", "一年三百六十五天", "三百六十五天"),
    **_kind("DAYSET", "norest", "全年无休", "全年不休", "常年无休", "全年无休息"),
    **_kind("DAYSET", "working", "工作日"),
    **_kind("DAYSET", "rest", "节假日", "假日", "节日", "休息日", "公休日", "节假期间", "假期"),
    **_kind("DAYSET", "public", "法定节假日", "法定假日", "法定节日", "法定假期", "国家法定节假日",
            "法定节假期", "公众假期", "国定假日"),
    **_kind("FULLDAY", "clock", "全天候", "通宵全天", "昼夜"),
    **_kind("FULLDAY", "day", "全天", "整天"),
    **_kind("RANGE", None, "至", "到", "~", "起至"),
    **_kind("START_MARK", None, "开始", "起"),
    **_kind("END_MARK", None, "结束", "为止", "止"),
    **_kind("NEXTDAY", None, "次日", "翌日", "第二天", "第二日", "隔天", "隔日"),
    **_kind("PERIOD", "morning", "凌晨", "早上", "早晨", "清晨", "上午", "早"),
    **_kind("PERIOD", "noon", "中午"),
    **_kind("PERIOD", "afternoon", "下午", "傍晚", "午后"),
    **_kind("PERIOD", "night", "晚上", "晚间", "夜间", "夜里", "夜晚", "晚"),
    **_kind("EXCEPT_SUFFIX", None, "除外"),
    **_kind("EXCEPT_PREFIX", None, "除了", "除"),
    **_kind("EXCEPT_END", None, "以外", "之外", "外"),
    **_kind("CLOSED", None, "休息", "休", "不开放", "关闭", "闭馆", "停止服务", "暂停服务", "不接听", "停诊"),
    **_kind("ASUSUAL", None, "照常", "正常", "不休", "无休", "照常开放", "正常开放", "不休息", "无休息",
            "照常开通", "照常服务", "正常服务", "照常接听", "照常值班", "不打烊"),
    **_kind("INCLUDE", None, "含", "包括", "包含"),
    **_kind("DUN", None, "、", "和", "及", "与", "以及", "跟", "/"),
    **_kind("COMMA", None, ","),
    **_kind("SEMI", None, ";", "。"),
    **_kind("LPAREN", None, "("),
    **_kind("RPAREN", None, ")"),
    **_kind("NOTE", None, "即日起", "自即日起", "从即日起", "至另行通知", "直至另行通知", "另行通知",
            "即日起至另行通知"),
    **_kind("REFUSE", "validity", "汛期", "汛期期间", "疫情期间", "防控期间", "疫情防控期间", "春节期间",
            "寒假", "暑假", "寒暑假", "寒假期间", "暑假期间", "开学期间", "考试期间", "活动期间",
            "应急期间", "特殊时期", "非常时期"),
    **_kind("REFUSE", "unfixed", "时间不固定", "不固定", "不定时", "不定期", "时间待定", "待定", "另行安排"),
    **_kind("REFUSE", "vague", "不少于", "不低于", "不短于", "至少", "以上", "左右", "大约"),
    **_kind("FILLER", None, "服务时间", "开放时间", "接听时间", "工作时间", "咨询时间", "值班时间",
            "热线时间", "时间", "时段", "开放", "开通", "服务", "接听", "值班", "营业", "办公", "热线",
            "在线", "值守", "专人值守", "有专人值守", "有人值守", "专人接听", "畅通", "保持畅通",
            "不间断", "无间断", "提供", "咨询", "接通", "人工服务", "每个", "共", "合计", "总计", "累计",
            "均", "为", "是", "从", "期间", "每", "的", "都", "各", ":"),
}

AFTERNOON = frozenset({"afternoon", "night"})
NIGHT = frozenset({"night"})
NOON = frozenset({"noon"})
MORNING = frozenset({"morning"})
