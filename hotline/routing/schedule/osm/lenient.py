"""Lenient opening_hours spellings: what the reference accepts with a warning, and as what.

opening_hours.js reads an en dash, "10.00", "10-12", "10am" or "Monday" and warns. We read
the same spellings the same way and keep the same warning (its English text, word for
word, so tests can compare them with the reference), plus a Chinese one, and the edit that
turns the value into its canonical spelling (`normalized`), which reads the same and warns
no more. Nothing lenient is ever read silently.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Lenient", "Edit", "dash", "colon", "dot", "no_minutes", "twelve_hour", "single_digit", "weekday_name",
           "quote", "add_zero", "apply_edits"]


@dataclass(frozen=True)
class Edit:
    pos: int
    end: int
    text: str


@dataclass(frozen=True)
class Lenient:
    pos: int
    zh: str
    en: str          # the reference's own warning text

    def __str__(self) -> str:
        return f"位置 {self.pos}: {self.zh} / {self.en}"


def dash(pos: int, ch: str) -> Lenient:
    if ch == "–":
        en = (f'Please use notation "-" for "{ch}". Although using "{ch}" is typographical correct, it is not '
              f'defined in the opening_hours syntax. Correct typography should be done on application level …')
    elif ch in "~～":
        en = (f'Please use notation "-" for "{ch}". If there is reason to suspect uncertainty consider adding a '
              f'comment. Example: 12:00-14:00 "only on sunshine".')
    else:
        en = f'Please use notation "-" for "{ch}".'
    return Lenient(pos, f"“{ch}”读作“-” / read as '-'", en)


def colon(pos: int, ch: str) -> Lenient:
    return Lenient(pos, f"“{ch}”读作“:”", f'Please use notation ":" for "{ch}".')


def dot(pos: int) -> Lenient:
    return Lenient(pos, "“.”读作时分分隔符“:”", 'Please use ":" as hour/minute-separator')


def no_minutes(pos: int, syntax: str) -> Lenient:
    return Lenient(pos, f"时间没有分钟，读作 {syntax}",
                   f'Time range without minutes specified. Not very explicit! Please use this syntax instead '
                   f'"{syntax}".')


def twelve_hour(pos: int, as_24: str) -> Lenient:
    return Lenient(pos, f"12 小时制，读作 {as_24}",
                   "Please use time format in 24 hours notation instead of the legacy 12 hours variant. If the 12 "
                   "hours variant is used you might have to convert the hours to the 24 hours notation.")


def single_digit(pos: int, hour: int) -> Lenient:
    return Lenient(pos, f"一位数的小时 {hour}，按 24 小时制读作 {hour:02d} 时（不是 {hour + 12} 时）",
                   f'Single-digit hour "{hour}" without leading zero - could mean {hour} (in the morning) or '
                   f'{hour + 12} (after midday). Add a leading zero like "0{hour}" or change it to "{hour + 12}" '
                   f'to be explicit.')


def weekday_name(pos: int, word: str, abbreviation: str) -> Lenient:
    return Lenient(pos, f"“{word}”读作 {abbreviation}",
                   f'Please use the English abbreviation "{abbreviation}" for "{word.lower()}".')


def quote(pos: int, ch: str) -> Lenient:
    return Lenient(pos, f"“{ch}”读作引号 '\"'",
                   f'Please use notation """ for "{ch}". Although using "{ch}" is typographical correct, it is not '
                   f'defined in the opening_hours syntax. Correct typography should be done on application level …')


def add_zero(pos: int) -> Lenient:
    return Lenient(pos, "加 0 天不改变日期，可省略", "Adding 0 does not change the date. Please omit this.")


def apply_edits(text: str, edits: list[Edit]) -> str:
    """The value with every lenient spelling replaced by its canonical one."""
    out, last = [], 0
    for edit in sorted(edits, key=lambda e: e.pos):
        out.append(text[last:edit.pos])
        out.append(edit.text)
        last = edit.end
    return "".join(out) + text[last:]
