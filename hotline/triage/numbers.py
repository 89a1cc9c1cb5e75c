"""Phone numbers as a caller gives them for a call-back ("138 0000 0000", "028-8757 7510"):
normalised to E.164, the only form a caller key is computed from."""
from __future__ import annotations

import phonenumbers


def normalize_number(raw: str, region: str = "CN") -> str:
    """Any dialled/caller-id form → E.164; ValueError (naming no digits) if it is not one."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValueError("不是有效的电话号码 / not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
