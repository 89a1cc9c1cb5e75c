"""Where a caller is, from their number — for unified (gateway) numbers like 12356.

The caller's area code (landline) or number block (mobile) gives a region through
phonenumbers' offline geocoding data; the gateway then tries the regional line,
the province, and finally the national round-the-clock lines.
"""
from __future__ import annotations

from functools import lru_cache

import phonenumbers

from hotline.routing.directory import Directory

_LEVEL_ORDER = {"district": 0, "city": 0, "province": 1, "national": 2}


# Parsing a number costs ~60 µs, geocoding it ~120 µs more, and every webhook of a call
# (each wait round, each callback) carries the same numbers: each value is parsed once per
# process and remembered (bounded; in memory only, never logged). The parsed objects are
# shared: nobody may change them.
NUMBERS_REMEMBERED = 4096


@lru_cache(maxsize=NUMBERS_REMEMBERED)
def parse_number(text: str) -> phonenumbers.PhoneNumber | None:
    """The number `text` spells (national numbers read as Chinese), or None."""
    try:
        return phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=NUMBERS_REMEMBERED)
def region_of(e164: str | None) -> str | None:
    """Chinese place description of a number, e.g. "四川省成都市"; None if unknown."""
    if not e164:
        return None
    number = parse_number(e164)
    if number is None:
        return None
    # lazy: the geocoder's offline data takes 0.4–1 s and ~100 MiB to import; a command that
    # routes no call never pays it (long-running processes load it at start: load_geocoder)
    from phonenumbers import geocoder

    return geocoder.description_for_number(number, "zh") or None


def load_geocoder() -> None:
    """Import the geocoder's offline data now, so that a long-running process's first caller
    does not wait 0.4–1 s for it (every call's record names the caller's region)."""
    from phonenumbers import geocoder  # noqa: F401  (imported for its data, see region_of)


def gateway_targets(directory: Directory, caller_region: str | None) -> list[str]:
    """Line ids in the order a unified number should try them for this caller."""
    region = caller_region or ""
    matches = [(_position(region, line.region), _LEVEL_ORDER.get(line.level, 3), index, line.id)
               for index, line in enumerate(directory)
               if line.region and line.level != "national" and _position(region, line.region) >= 0]
    regional = [line_id for *_, line_id in sorted(matches, key=lambda m: (m[1], m[0], m[2]))]
    national = [l.id for l in directory if l.level == "national"]
    national.sort(key=lambda line_id: not directory.get(line_id).always_open)
    return regional + [l for l in national if l not in regional]


def _position(region: str, line_region: str) -> int:
    """Where the line's region appears in the caller's region text (-1: not at all)."""
    short = line_region.rstrip("市省区县")
    return region.find(short) if short else -1
