"""Status callbacks: how Twilio tells Hotline a call is bridged or over.

Sent to the number's status-callback URL (/voice/status) with a SequenceNumber per
call; with --retry-status-prob a final callback is sometimes sent twice, as Twilio
does on a slow answer, so that Hotline's idempotency is exercised.
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hotline.devtools.simulator.call import SimCall

FINAL = ("completed", "busy", "no-answer", "failed", "canceled")


def callback_params(call: "SimCall", status: str) -> dict[str, str]:
    params = {"CallStatus": status, "Timestamp": format_datetime(datetime.now(timezone.utc)),
              "SequenceNumber": str(call.next_sequence()), "CallbackSource": "call-progress-events"}
    if status in FINAL:
        params["CallDuration"] = str(int(call.record.duration))
    return params


async def send_status(call: "SimCall", status: str) -> None:
    """One status callback; a final one may be repeated (--retry-status-prob)."""
    params = callback_params(call, status)
    url = call.shared.mapper.public_url(call.shared.config.status_path)
    await call.shared.hooks.notify(call, url, params)
    if status in FINAL and call.behaviour.chance(call.shared.config.retry_status_prob):
        await call.shared.hooks.notify(call, url, params)
