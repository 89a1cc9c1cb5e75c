"""Caller numbers: Chinese mobiles and landlines of the directory's regions, in E.164.

Deterministic under --seed. A mobile is drawn, where possible, from a number block
that phonenumbers geocodes to the caller's region, so region-based routing (the
unified number) sees a plausible caller; a fraction of callers call again.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import phonenumbers
from phonenumbers import geocoder

from hotline.devtools.simulator.targets import Target

AREA_CODES: dict[str, tuple[str, ...]] = {
    "成都市": ("28",), "资阳市": ("28",), "眉山市": ("28",), "自贡市": ("813",), "攀枝花市": ("812",),
    "泸州市": ("830",), "德阳市": ("838",), "绵阳市": ("816",), "广元市": ("839",), "南充市": ("817",),
    "宜宾市": ("831",), "达州市": ("818",), "雅安市": ("835",), "北京市": ("10",),
}
SICHUAN = tuple(r for r in AREA_CODES if r != "北京市")
BROAD = {"四川省": SICHUAN, "全国": tuple(AREA_CODES)}
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "157", "158", "159", "173", "177", "180", "181", "182", "183", "186",
                   "187", "188", "189", "191", "199")
SAME_REGION = 0.7     # share of callers living in the dialled line's region
MOBILE_TRIES = 400


@dataclass(frozen=True)
class Caller:
    e164: str
    region: str
    repeat: bool = False


class CallerBook:
    def __init__(self, rng: random.Random, repeat_fraction: float = 0.1, mobile_fraction: float = 0.6) -> None:
        self.rng = rng
        self.repeat_fraction = repeat_fraction
        self.mobile_fraction = mobile_fraction
        self.seen: list[Caller] = []
        self._blocks: dict[str, list[str]] = {}      # region -> 7-digit mobile blocks located there

    def next(self, target: Target) -> Caller:
        if self.seen and self.rng.random() < self.repeat_fraction:
            again = self.rng.choice(self.seen)
            return Caller(again.e164, again.region, repeat=True)
        region = self.region_for(target)
        codes = target.area_codes if target.region == region and target.area_codes else AREA_CODES[region]
        mobile = self.rng.random() < self.mobile_fraction
        caller = Caller(self.mobile(region) if mobile else self.landline(self.rng.choice(codes)), region)
        self.seen.append(caller)
        return caller

    def region_for(self, target: Target) -> str:
        """Mostly the dialled line's own region (a random city for province/national lines)."""
        if self.rng.random() < SAME_REGION:
            if target.region in AREA_CODES:
                return target.region
            if target.region in BROAD:
                return self.rng.choice(BROAD[target.region])
        return self.rng.choice(tuple(AREA_CODES))

    def landline(self, area_code: str) -> str:
        """8-digit local numbers after 2-digit codes (028, 010), 7 after 3-digit ones."""
        length = 8 if len(area_code) == 2 else 7
        while True:
            local = str(self.rng.randint(2, 8)) + "".join(self.rng.choice("0123456789") for _ in range(length - 1))
            number = f"+86{area_code}{local}"
            if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                return number

    def mobile(self, region: str) -> str:
        """A valid mobile from a number block geocoded to `region` (blocks found are reused)."""
        blocks = self._blocks.setdefault(region, [])
        if blocks and self.rng.random() < 0.8:
            return f"+86{self.rng.choice(blocks)}{self.rng.randrange(10**4):04d}"
        short = region.rstrip("市省")
        fallback = None
        for _ in range(MOBILE_TRIES):
            number = f"+86{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            parsed = phonenumbers.parse(number)
            if not phonenumbers.is_valid_number(parsed):
                continue
            if short in geocoder.description_for_number(parsed, "zh"):
                blocks.append(number[3:10])
                return number
            fallback = fallback or number
        if blocks:
            return f"+86{self.rng.choice(blocks)}{self.rng.randrange(10**4):04d}"
        return fallback or "+8613800000000"
