"""Twilio-shaped identifiers (two letters + 32 hex digits)."""
from __future__ import annotations

import hashlib
import secrets


def new_sid(prefix: str) -> str:
    """A fresh SID; random even under --seed so that two runs never share a CallSid."""
    return prefix + secrets.token_hex(16)


def queue_sid(name: str) -> str:
    """A QueueSid stable per queue name, so every simulator process agrees on it."""
    return "QU" + hashlib.md5(name.encode("utf-8")).hexdigest()
