"""Property: every spelling of one schedule reads to the same, right windows.

Hypothesis draws a schedule (a day selection and up to three windows, the last possibly
past midnight) and renders it the many ways notices write it — 周一至周五 / 星期一至五 /
週一至週五, 8:00 / 8：00 / 8∶00 / 8点 / 上午8点 / 早8时, '-' / '—' / '——' / '～' / 至,
'，' / '、' / '/' / spaces / a non-breaking space / '；' between windows, a colon or a
bracket after the days. The windows must equal those computed directly from the drawn
schedule (an oracle that shares no code with the parser), and intervals must be well-formed.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import compile_schedule
from hotline.routing.schedule.model import DaySel, normalize

CAL = china_calendar()
SH = ZoneInfo("Asia/Shanghai")
DATES = [date(2026, 10, d) for d in (1, 2, 3, 9, 10, 11, 12, 14, 16, 17, 18)]   # holidays, make-up day, ordinary
EXAMPLES = int(os.environ.get("HOTLINE_SCHEDULE_EXAMPLES", "150"))

DAYS = {   # selection -> (its meaning, spellings)
    "weekdays": (DaySel(frozenset(range(5))), ["周一至周五", "星期一至星期五", "星期一至五", "週一至週五", "礼拜一到礼拜五",
                                                 "周一~周五", "周一—周五", "每周一至周五", "周一、二、三、四、五"]),
    "weekend": (DaySel(frozenset({5, 6})), ["周六、周日", "周六、日", "周六及周日", "週六、週日", "周末", "星期六、星期天"]),
    "daily": (DaySel(frozenset(range(7))), ["每天", "每日", "天天", "一年365天", "每周7天", "全年", ""]),
    "working": (DaySel(working=True), ["工作日", "每个工作日"]),
    "rest": (DaySel(rest=True), ["节假日", "節假日", "休息日"]),
}
AFTER_DAYS = ["，", ",", ": ", "：", " ", "", "\n"]
RANGES = ["-", "—", "——", "--", "~", "～", "至", "到", "－"]
BETWEEN = ["，", ",", "、", "/", " ", "  ", "\u00a0", "；", "\n"]


def _clock(minute: int, draw) -> tuple[str, str | None]:
    """A spelling of a wall-clock minute and the part-of-day word used (None for a 24-hour number)."""
    h, m = divmod(minute, 60)
    colon = draw(st.sampled_from([":", "：", "∶"]))
    plain = [f"{h}{colon}{m:02d}", f"{h:02d}{colon}{m:02d}"] + ([f"{h}点", f"{h}时", f"{h}點"] if m == 0 else
                                                                [f"{h}点半"] if m == 30 else [])
    worded: list[tuple[str, str]] = []
    twelve = h - 12 if h > 12 else h
    if 1 <= h < 12:
        worded += [(f"上午{h}{colon}{m:02d}", "am"), (f"早{h}点" if m == 0 else f"早上{h}{colon}{m:02d}", "am")]
    if 13 <= h < 18:
        worded += [(f"下午{twelve}{colon}{m:02d}", "pm"), (f"下午{h}{colon}{m:02d}", "pm")]
    if 18 <= h < 24:
        worded += [(f"晚上{twelve}{colon}{m:02d}", "pm"), (f"晚{h}{colon}{m:02d}", "pm")]
    options = [(text, None) for text in plain] + worded
    return draw(st.sampled_from(options))


@st.composite
def spelled_schedules(draw):
    kind = draw(st.sampled_from(sorted(DAYS)))
    sel, spellings = DAYS[kind]
    cuts = sorted(draw(st.lists(st.integers(1, 48), min_size=2, max_size=6, unique=True)))
    windows = [(cuts[i] * 30, cuts[i + 1] * 30) for i in range(0, len(cuts) - 1, 2)][:3]
    overnight = draw(st.booleans()) and windows[-1][0] >= 17 * 60 and windows[0][0] >= 9 * 60
    if overnight:
        windows[-1] = (windows[-1][0], windows[0][0] - 60 + 1440)   # e.g. 17:00-次日8:00
    parts = []
    for start, end in windows:
        start_text, word = _clock(start, draw)
        end_min = end - 1440 if end > 1440 else end
        if end == 1440:
            end_text = draw(st.sampled_from(["24:00", "24点", "24时"]))
        elif end_min < start:     # past midnight; a bare end after 下午/晚上 would take their meaning
            end_text, end_word = _clock(end_min, draw)
            needs_next_day = word is not None and end_word is None
            end_text = (draw(st.sampled_from(["次日", "翌日"])) if needs_next_day else
                        draw(st.sampled_from(["次日", ""]))) + end_text
        elif word is None:
            end_text, _ = _clock(end_min, draw)
        else:
            end_text = draw(st.sampled_from([f"{end_min // 60}:{end_min % 60:02d}", _clock(end_min, draw)[0]]))
        parts.append(f"{start_text}{draw(st.sampled_from(RANGES))}{end_text}")
    body = parts[0] + "".join(draw(st.sampled_from(BETWEEN)) + p for p in parts[1:])
    days = draw(st.sampled_from(spellings))
    if days and draw(st.booleans()):
        text = f"{days}（{body}）" if draw(st.booleans()) else f"{days}{draw(st.sampled_from(AFTER_DAYS))}{body}"
    else:
        text = f"{days} {body}" if days else body
    return text + draw(st.sampled_from(["", "。"])), sel, normalize(windows)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spelled_schedules())
def test_every_spelling_reads_to_the_drawn_windows(case):
    text, sel, windows = case
    schedule = compile_schedule(text, fmt="zh", calendar=CAL)
    for day in DATES:
        expected = windows if sel.matches(day, CAL) else ()
        assert schedule.windows(day) == expected, (text, day)
    start = datetime(2026, 9, 28, tzinfo=SH)
    spans = schedule.intervals(start, start + timedelta(days=21))
    assert all(a < b for a, b in spans) and all(b < c for (_, b), (c, _) in zip(spans, spans[1:]))
