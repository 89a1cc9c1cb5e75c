"""Privacy primitives: pseudonymous caller keys, encryption at rest, log redaction.

One setting (HOTLINE_DATA_KEY, read by hotline.settings: one or more secrets, comma-
separated, newest first) serves both hashing and encryption: HKDF derives independent
keys for each purpose, so leaking one derived key reveals neither the secret nor the
other key. Caller files are keyed by HMAC-SHA256 of the E.164 number, never by the
number (一人一档 without storing who the person is); notes are Fernet-encrypted; log
records are scrubbed of numbers.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hotline.ports import DataKeyError

ENV_VAR = "HOTLINE_DATA_KEY"
MIN_SECRET_CHARS = 32
_SALT = b"hotline/data-key/v1"
_INFO_HMAC = b"hotline caller-key hmac-sha256 v1"
_INFO_FERNET = b"hotline at-rest fernet v1"
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
KEYS_REMEMBERED = 4096   # callers whose keys a keyring keeps (dropped all at once when full)
__all__ = ["DataKeyError", "DataKeyring", "RedactingFilter", "caller_key", "generate_data_key",
           "install_redaction", "redact"]


def generate_data_key() -> str:
    """A fresh secret for HOTLINE_DATA_KEY (256 random bits, URL-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(secret)


def caller_key(e164: str, key: bytes | str) -> str:
    """HMAC-SHA256 (hex) of an E.164 number: stable per key, useless without it."""
    key = key.encode("utf-8") if isinstance(key, str) else key
    if not isinstance(e164, str) or not _E164.match(e164):
        raise ValueError("号码须为 E.164 格式（如 +8613800000000）/ number must be E.164 (e.g. +8613800000000)")
    return hmac.new(key, e164.encode("ascii"), hashlib.sha256).hexdigest()


class DataKeyring:
    """The configured secrets, newest first: encrypt with the newest, decrypt with any
    (the Keyring of hotline.ports; DataKeyError is the port's error)."""

    def __init__(self, secrets: list[str] | tuple[str, ...]):
        if not secrets:
            raise DataKeyError(f"{ENV_VAR}: 未配置密钥 / no key configured")
        for n, secret in enumerate(secrets, 1):
            if len(secret.strip()) < MIN_SECRET_CHARS:
                raise DataKeyError(f"{ENV_VAR}: 第 {n} 个密钥过短或为空 / key {n} is empty or "
                                   f"too short (need at least {MIN_SECRET_CHARS} characters)")
        raw = [s.strip().encode("utf-8") for s in secrets]
        self._hmac_keys = tuple(_derive(s, _INFO_HMAC) for s in raw)
        self._fernet = MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(s, _INFO_FERNET)))
                                    for s in raw])
        self._newest = Fernet(base64.urlsafe_b64encode(_derive(raw[0], _INFO_FERNET)))
        self._remembered: dict[str, tuple[str, ...]] = {}   # E.164 → its keys, newest first

    @classmethod
    def from_setting(cls, value: str) -> "DataKeyring":
        """Parse "newest,older,…" (whitespace around commas ignored)."""
        value = (value or "").strip()
        return cls(value.split(",") if value else [])

    def __repr__(self) -> str:
        return f"DataKeyring(<{len(self._hmac_keys)} key(s)>)"

    def caller_key(self, e164: str) -> str:
        """The caller key under the newest secret (what new records are stored under)."""
        return self._keys_of(e164)[0]

    def caller_key_candidates(self, e164: str) -> list[str]:
        """Caller keys under every secret, newest first: look a caller up by any of them
        after a rotation, then re-key the file to the first."""
        return list(self._keys_of(e164))

    def _keys_of(self, e164: str) -> tuple[str, ...]:
        """Each webhook asks for its caller's keys several times (the flag read, the queue, each
        record change) and every webhook of a call again: remembered for the last
        KEYS_REMEMBERED numbers (in memory only, like the numbers' parses)."""
        found = self._remembered.get(e164)
        if found is None:
            found = tuple(caller_key(e164, k) for k in self._hmac_keys)   # refuses a non-E.164 text
            if len(self._remembered) >= KEYS_REMEMBERED:
                self._remembered.clear()
            self._remembered[e164] = found
        return found

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError, AttributeError):
            raise DataKeyError("无法解密：密钥不符或数据损坏 / cannot decrypt: no configured key "
                               "matches or the data is damaged") from None

    def rotate(self, token: str) -> str:
        """Re-encrypt a token under the newest key (for a background re-keying job)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError, AttributeError):
            raise DataKeyError("无法轮换：密钥不符或数据损坏 / cannot rotate: no configured key "
                               "matches or the data is damaged") from None

    def is_current(self, token: str) -> bool:
        """True when the token is already encrypted under the newest key."""
        try:
            self._newest.decrypt(token.encode("ascii"))
            return True
        except (InvalidToken, UnicodeError, AttributeError):
            return False


# --- log redaction ---------------------------------------------------------------------

REDACTED = "[REDACTED-PHONE]"
_G = r"[ \-]?"  # optional group separator
# Left boundary: no digit or ASCII letter (Chinese text may touch the number: 来电13800000000).
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"\+\d{1,3}" + _G + r"\(?\d{1,4}\)?(?:" + _G + r"\d){5,12}"   # E.164 / international
    r"|(?:0086|86)" + _G + r"1[3-9]\d(?:" + _G + r"\d){8}"           # 86-prefixed mobile
    r"|1[3-9]\d(?:" + _G + r"\d){8}"                                 # mainland mobile
    r"|\(?0\d{2,3}\)?" + _G + r"\d{3,4}" + _G + r"\d{4}"             # landline with area code
    r")(?![0-9])"
)


def redact(text: str) -> str:
    """Mask anything that looks like a phone number."""
    return _PHONE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Logging filter that masks numbers in the message, its args and any traceback.

    Attach it to handlers (handler filters see records from every logger), e.g. with
    install_redaction(). The record's message is formatted here, then args are cleared.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not leak the raw args either
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_redaction(logger: logging.Logger | None = None) -> RedactingFilter:
    """Add one RedactingFilter to every handler of `logger` (default: the root logger)."""
    logger = logger or logging.getLogger()
    flt = RedactingFilter()
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(flt)
    return flt
