"""Caller numbers, regions, repeat callers; which numbers get dialled."""
from __future__ import annotations

import random
from pathlib import Path

import phonenumbers
import pytest
from phonenumbers import geocoder

from hotline.devtools.simulator.callers import AREA_CODES, CallerBook
from hotline.devtools.simulator.targets import Target, _read_yaml, select, to_e164

LINES = Path(__file__).resolve().parents[4] / "config" / "lines.yaml"
CHENGDU = Target("+862887577510", "chengdu", "成都市")


def _callers(seed: int, n: int, target: Target = CHENGDU, **kwargs):
    book = CallerBook(random.Random(seed), **kwargs)
    return [book.next(target) for _ in range(n)]


def test_same_seed_same_callers():
    assert _callers(5, 30) == _callers(5, 30)
    assert _callers(5, 30) != _callers(6, 30)


def test_numbers_are_valid_chinese_numbers():
    for caller in _callers(1, 200):
        parsed = phonenumbers.parse(caller.e164)
        assert caller.e164.startswith("+86") and phonenumbers.is_valid_number(parsed), caller
        assert caller.region in AREA_CODES


def test_landlines_carry_their_region_area_code():
    landlines = [c for c in _callers(2, 200, mobile_fraction=0.0, repeat_fraction=0.0)]
    for caller in landlines:
        assert any(caller.e164.startswith("+86" + code) for code in AREA_CODES[caller.region])
    assert sum(c.region == "成都市" for c in landlines) > 100          # mostly the line's own region


def test_mobiles_are_mostly_geocoded_to_their_region():
    mobiles = _callers(3, 50, mobile_fraction=1.0, repeat_fraction=0.0)
    assert all(c.e164[3] == "1" and len(c.e164) == 14 for c in mobiles)
    located = [c for c in mobiles if c.region.rstrip("市") in geocoder.description_for_number(
        phonenumbers.parse(c.e164), "zh")]
    assert len(located) >= 40


def test_repeat_callers_reuse_earlier_numbers():
    callers = _callers(4, 300, repeat_fraction=0.3)
    repeats = [c for c in callers if c.repeat]
    assert 50 < len(repeats) < 130
    first_time = {c.e164 for c in callers if not c.repeat}
    assert all(c.e164 in first_time for c in repeats)


def test_province_line_callers_come_from_sichuan_cities():
    callers = _callers(7, 100, Target("+862812320", "sichuan", "四川省"), repeat_fraction=0.0)
    assert sum(c.region != "北京市" for c in callers) > 70


def test_published_numbers_to_e164():
    assert to_e164("028-12320-4号线") == "+862812320"
    assert to_e164("0813-5512320") == "+868135512320"
    assert to_e164("18982762013") == "+8618982762013"
    with pytest.raises(ValueError):
        to_e164("hello")


def test_directory_yaml_default_is_the_hosted_numbers():
    targets = _read_yaml(LINES)
    hosted = select(targets)
    assert hosted and all(t.hosted for t in hosted)
    assert {t.line_id for t in hosted} <= {t.line_id for t in targets}
    assert "+862812320" in {t.e164 for t in hosted}


def test_select_by_line_and_by_number():
    targets = _read_yaml(LINES)
    assert {t.line_id for t in select(targets, lines=["dazhou"])} == {"dazhou"}
    with pytest.raises(ValueError):
        select(targets, lines=["atlantis"])
    chosen = select(targets, numbers=["028-87577510", "+8610123"])
    assert chosen[0].line_id == "chengdu" and chosen[1] == Target("+8610123")
