"""Vocabulary of Chinese opening-hours text, as data.

Kept apart from the lexer so a new variant seen in a notice is a one-line addition here.
Values: DAY -> frozenset of weekdays (0=Mon); DAYSET -> 'all' | 'working' | 'rest' |
'public'; PERIOD -> the part of day; other kinds carry no value.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WORDS", "CN_DIGITS", "AFTERNOON", "NIGHT", "NOON"]

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "": 1}

_WEEKDAY_SUFFIX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
                   "七": 6, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}


def _weekday_words() -> dict[str, tuple[str, Any]]:
    words: dict[str, tuple[str, Any]] = {}
    for prefix in ("周", "星期", "礼拜", "禮拜"):
        for suffix, weekday in _WEEKDAY_SUFFIX.items():
            words[prefix + suffix] = ("DAY", frozenset({weekday}))
    for word in ("周末", "双休日", "星期六日", "周六日"):
        words[word] = ("DAY", frozenset({5, 6}))
    return words


def _kind(kind: str, value: Any, *words: str) -> dict[str, tuple[str, Any]]:
    return {word: (kind, value) for word in words}


WORDS: dict[str, tuple[str, Any]] = {
    **_weekday_words(),
    **_kind("DAYSET", "all", "每天", "每日", "天天", "全周", "全年", "全年无休", "每周七天", "一周七天"),
    **_kind("DAYSET", "working", "工作日"),
    **_kind("DAYSET", "rest", "节假日", "假日", "节日", "休息日", "公休日", "节假期间", "假期"),
    **_kind("DAYSET", "public", "法定节假日", "法定假日", "法定节日", "法定假期", "国家法定节假日",
            "法定节假期", "公众假期"),
    **_kind("FULLDAY", None, "全天候", "全天", "整天", "通宵全天"),
    **_kind("RANGE", None, "至", "到", "-", "~", "起至"),
    **_kind("NEXTDAY", None, "次日", "翌日", "第二天", "第二日", "隔天", "隔日"),
    **_kind("PERIOD", "morning", "凌晨", "早上", "早晨", "清晨", "上午", "早"),
    **_kind("PERIOD", "noon", "中午"),
    **_kind("PERIOD", "afternoon", "下午", "傍晚"),
    **_kind("PERIOD", "night", "晚上", "晚间", "夜间", "夜里", "夜晚", "晚"),
    **_kind("EXCEPT_SUFFIX", None, "除外"),
    **_kind("EXCEPT_PREFIX", None, "除了", "除"),
    **_kind("EXCEPT_END", None, "以外", "之外", "外"),
    **_kind("CLOSED", None, "休息", "休", "不开放", "关闭", "闭馆", "停止服务", "暂停服务", "不接听", "停诊"),
    **_kind("ASUSUAL", None, "照常", "正常", "不休", "无休", "照常开放", "正常开放"),
    **_kind("INCLUDE", None, "含", "包括", "包含"),
    **_kind("DUN", None, "、", "和", "及", "与", "以及", "跟", "/"),
    **_kind("COMMA", None, ","),
    **_kind("SEMI", None, ";", "。"),
    **_kind("LPAREN", None, "("),
    **_kind("RPAREN", None, ")"),
    **_kind("FILLER", None, "服务时间", "开放时间", "接听时间", "工作时间", "咨询时间", "值班时间",
            "热线时间", "时间", "时段", "开放", "开通", "服务", "接听", "值班", "营业", "办公", "热线",
            "均", "为", "是", "从", "起", "止", "期间", "每", "的", "都", ":"),
}

AFTERNOON = frozenset({"afternoon", "night"})
NIGHT = frozenset({"night"})
NOON = frozenset({"noon"})
