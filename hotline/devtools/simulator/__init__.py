"""The call simulator: plays Twilio Programmable Voice against a running Hotline.

It places calls from generated caller numbers, posts signed webhooks exactly as
Twilio does, follows the TwiML it gets back (menus, queues, transfers, voicemail),
obeys the REST commands Hotline pushes onto Redis, and sends status callbacks —
so the whole system can be demoed, tested and load-tested without a Twilio account.

Entry points: `Simulator` (runner.py) and the `hotline simulate` command.
"""
from __future__ import annotations

from hotline.devtools.simulator.config import SimConfig, Timing
from hotline.devtools.simulator.runner import Simulator, simulate

__all__ = ["SimConfig", "Timing", "Simulator", "simulate"]
