"""Caller keys, encryption with rotation, and log redaction."""
from __future__ import annotations

import hashlib
import hmac
import io
import logging
import re

import pytest
from hypothesis import given, strategies as st

from hotline.settings import from_env
from hotline.store import privacy
from hotline.store.privacy import (REDACTED, DataKeyError, DataKeyring, RedactingFilter, caller_key,
                                   generate_data_key, install_redaction, redact)
from hotline.triage.numbers import normalize_number

OLD, NEW = "o" * 40, generate_data_key()
NUMBER = "+8613800138000"


def test_caller_key_is_stable_and_keyed():
    assert caller_key(NUMBER, b"k1") == caller_key(NUMBER, b"k1")
    assert caller_key(NUMBER, b"k1") != caller_key(NUMBER, b"k2")
    assert caller_key(NUMBER, b"k1") != caller_key("+8613800138001", b"k1")
    assert re.fullmatch(r"[0-9a-f]{64}", caller_key(NUMBER, b"k1"))
    # plain HMAC-SHA256 over the ASCII E.164 string, so other tools can reproduce it
    assert caller_key("+15551234567", b"key") == hmac.new(b"key", b"+15551234567", hashlib.sha256).hexdigest()


@pytest.mark.parametrize("bad", ["13800138000", "+0123456", "+86 138 0013 8000", "", None])
def test_caller_key_requires_e164(bad):
    with pytest.raises(ValueError, match="E.164"):
        caller_key(bad, b"k")


def test_keyring_caller_key_stable_across_instances_and_rotation():
    ring = DataKeyring.from_setting(OLD)
    assert ring.caller_key(NUMBER) == DataKeyring.from_setting(f" {OLD} ").caller_key(NUMBER)
    rotated = DataKeyring.from_setting(f"{NEW},{OLD}")
    assert rotated.caller_key(NUMBER) != ring.caller_key(NUMBER)
    assert rotated.caller_key_candidates(NUMBER) == [rotated.caller_key(NUMBER), ring.caller_key(NUMBER)]
    assert ring.caller_key(NUMBER) != caller_key(NUMBER, OLD.encode())  # derived, not raw secret


def test_remembered_keys_are_the_computed_ones_and_bounded(monkeypatch):
    monkeypatch.setattr(privacy, "KEYS_REMEMBERED", 3)
    rotated = DataKeyring.from_setting(f"{NEW},{OLD}")
    numbers = [f"+861380013800{n}" for n in range(7)]
    first = {number: rotated.caller_key_candidates(number) for number in numbers}
    again = DataKeyring.from_setting(f"{NEW},{OLD}")          # a fresh keyring computes them anew
    for number in numbers + numbers[::-1]:
        assert rotated.caller_key_candidates(number) == first[number] == again.caller_key_candidates(number)
        assert rotated.caller_key(number) == first[number][0]
    assert len(rotated._remembered) <= 3
    candidates = rotated.caller_key_candidates(NUMBER)
    candidates.append("changed by a caller")                 # a copy: the remembered keys stay
    assert rotated.caller_key_candidates(NUMBER) == first[NUMBER]   # NUMBER is numbers[0]
    with pytest.raises(ValueError, match="E.164"):             # remembered or not, bad text is refused
        rotated.caller_key("13800138000")


def test_encrypt_round_trip():
    ring = DataKeyring.from_setting(NEW)
    text = "来电者说：最近睡不好 😔"
    token = ring.encrypt(text)
    assert text not in token and ring.decrypt(token) == text
    assert ring.encrypt(text) != token


def test_rotation():
    old_ring, new_ring = DataKeyring.from_setting(OLD), DataKeyring.from_setting(f"{NEW},{OLD}")
    token = old_ring.encrypt("笔记")
    assert new_ring.decrypt(token) == "笔记" and not new_ring.is_current(token)
    rotated = new_ring.rotate(token)
    assert new_ring.is_current(rotated)
    assert DataKeyring.from_setting(NEW).decrypt(rotated) == "笔记"
    with pytest.raises(DataKeyError):
        old_ring.decrypt(rotated)
    fresh = new_ring.encrypt("x")
    assert DataKeyring.from_setting(NEW).decrypt(fresh) == "x"


@pytest.mark.parametrize("token", ["garbage", "", "Zm9v"])
def test_bad_tokens(token):
    ring = DataKeyring.from_setting(NEW)
    with pytest.raises(DataKeyError, match="cannot decrypt"):
        ring.decrypt(token)
    with pytest.raises(DataKeyError, match="cannot rotate"):
        ring.rotate(token)
    assert ring.is_current(token) is False


@pytest.mark.parametrize("setting,fragment", [
    ("", "no key configured"), ("   ", "no key configured"), ("short", "key 1"),
    (f"{NEW},,{OLD}", "key 2"), (f"{NEW},tooshort", "key 2"),
], ids=["empty", "blank", "short", "empty-second", "short-second"])   # the keys are random: stable ids
def test_bad_settings_never_echo_the_key(setting, fragment):
    with pytest.raises(DataKeyError, match=fragment) as info:
        DataKeyring.from_setting(setting)
    assert NEW not in str(info.value) and "tooshort" not in str(info.value)


def test_from_env_and_repr(tmp_path):
    # only hotline.settings reads the environment; the keyring is built from its data_key
    settings = from_env({"HOTLINE_DATA_KEY": f"{NEW},{OLD}", "HOTLINE_INSTANCE_DIR": str(tmp_path)})
    ring = DataKeyring.from_setting(settings.data_key)
    assert repr(ring) == "DataKeyring(<2 key(s)>)" and NEW not in repr(ring)
    with pytest.raises(DataKeyError):
        DataKeyring.from_setting("")                  # HOTLINE_DATA_KEY set to nothing


def test_generate_data_key():
    keys = {generate_data_key() for _ in range(20)}
    assert len(keys) == 20 and all(len(k) == 44 for k in keys)


@pytest.mark.parametrize("raw,e164", [
    ("138 0013 8000", "+8613800138000"), ("+86 138-0013-8000", "+8613800138000"),
    ("028-87577510", "+862887577510"), ("0813-5512320", "+868135512320"),
])
def test_normalize_number(raw, e164):
    assert normalize_number(raw) == e164


def test_normalize_number_rejects_without_echo():
    with pytest.raises(ValueError) as info:
        normalize_number("12")
    assert "12" not in str(info.value)


@pytest.mark.parametrize("text", [
    "caller 13800138000 hung up", "来电13912345678请回拨", "tel:+8613800138000.",
    "号码 +86 138 0013 8000", "number 138-0013-8000", "0086 13800138000",
    "8613800138000", "landline 028-87577510", "固话0813-5512320，转2", "(028) 8757 7510",
    "02887577510", "+1 415 555 2671", "+442071838750", "{'from': '+8613800138000'}",
])
def test_redact_masks_numbers(text):
    out = redact(text)
    assert REDACTED in out
    assert not re.search(r"\d{4}", out.replace(REDACTED, "")), out


@pytest.mark.parametrize("text", [
    "call CA1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d queued", "2024-03-06 13:45:00+08:00",
    "dial 120 or 110", "national line 12356", "took 1234 ms", "version 1.2.3",
    "caller_key 3f1a9c0e55e1b2d4", "epoch 1709700000",
])
def test_redact_leaves_other_text(text):
    assert redact(text) == text


@given(st.text(alphabet="来电请回拨号码 ，。:", max_size=8),
       st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       st.sampled_from(["", " ", "-"]), st.text(alphabet="来电请回拨号码 ，。", max_size=8))
def test_redact_property_mobiles(before, mobile, sep, after):
    grouped = sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    out = redact(before + grouped + after)
    assert REDACTED in out and not re.search(r"\d", out.replace(REDACTED, ""))


def _logger(name):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger(f"hotline.test.{name}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def test_filter_masks_message_args_and_traceback():
    logger, stream = _logger("filter")
    logger.info("call from 13800138000")
    logger.info("call from %s to %s", "+8613800138000", "028-87577510")
    logger.info("mapping %(n)s", {"n": "13912345678"})
    try:
        raise ValueError("bad number 13700001111")
    except ValueError:
        logger.exception("failed for %s", "13600001111")
    out = stream.getvalue()
    for number in ("13800138000", "87577510", "13912345678", "13700001111", "13600001111"):
        assert number not in out
    # 5 log lines' numbers + the traceback's source line and exception message
    assert out.count(REDACTED) == 7 and "Traceback" in out


def test_filter_survives_bad_format_args():
    logger, stream = _logger("badfmt")
    logger.info("two %s %s", "13800138000")
    assert "13800138000" not in stream.getvalue()


def test_install_redaction_on_handlers():
    logger = logging.getLogger("hotline.test.install")
    stream = io.StringIO()
    logger.handlers[:] = [logging.StreamHandler(stream)]
    logger.propagate = False
    install_redaction(logger)
    install_redaction(logger)
    assert len(logger.handlers[0].filters) == 1
    logger.warning("x %s", "13800138000")
    assert "13800138000" not in stream.getvalue()
