"""Failed sign-ins slow a guesser down without locking the owner out.

Three limits, each counting failures only:
- per (account, client): the first FREE_FAILURES are free, then each failure makes the
  next attempt from that client wait 2, 4, 8 … seconds, at most MAX_DELAY_S. A client is
  the browser's device cookie (issued to that account at an earlier successful sign-in)
  or else its address, so a guesser elsewhere never delays the owner's own browser;
- per account: ACCOUNT_CEILING failures in an hour from all clients together (far more than
  a typo streak: only a spread-out attack gets there) lock the account until a supervisor
  unlocks it (the lock is the accounts use case's, in the database and the audit log);
- per address: ADDRESS_LIMIT failures an hour, enough for a whole center behind one NAT;
  a browser with the account's device cookie is not held back by it.

The counters live in Redis (shared by every web process); when Redis fails, the same
counters in this process take over for REDIS_RETRY_S, so a sign-in is never refused
or answered with an error because Redis is down.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

from hotline.ports import FailureStreaks, RateWindow

log = logging.getLogger(__name__)

FREE_FAILURES = 3
MAX_DELAY_S = 15 * 60
STREAK_TTL_S = 24 * 3600        # a streak is forgotten a day after its last failure
ACCOUNT_CEILING = 50            # failures per hour for one account → locked
ADDRESS_LIMIT = 300             # failures per hour from one address
WINDOW_S = 3600
REDIS_RETRY_S = 30.0            # after a Redis failure, count in this process this long


def delay_after(failures: int) -> int:
    """Seconds the next attempt waits after `failures` in a row: 0, 0, 2, 4, 8 … ≤ MAX_DELAY_S."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES + 1), MAX_DELAY_S)


@dataclass(frozen=True)
class LimitPorts:
    """The three counters, all in Redis or all in this process."""

    streaks: FailureStreaks     # per "account|client"
    accounts: RateWindow        # per account, ACCOUNT_CEILING / hour
    addresses: RateWindow       # per address, ADDRESS_LIMIT / hour


class SignInThrottle:
    """Hotline.sign_in_limits: asked before each sign-in and told of each outcome."""

    def __init__(self, shared: LimitPorts, local: LimitPorts, wall: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.shared, self.local = shared, local
        self.wall, self.monotonic = wall, monotonic
        self.shared_down_until = 0.0

    def wait(self, username: str, client: str, address: str | None) -> int:
        """Seconds before this client may try this account again (0: now). `address` is
        None for a browser with the account's device cookie (the address limit spares it)."""
        failures, last = self._call("streaks", "get", self._pair(username, client))
        waits = [int(last + delay_after(failures) - self.wall()) + 1] if delay_after(failures) else []
        if address is not None:
            waits.append(self._call("addresses", "wait", address))
        return max([0, *[w for w in waits if w > 0]])

    def failed(self, username: str, client: str, address: str | None) -> bool:
        """Count a failure; True when the account has just reached its ceiling (lock it)."""
        self._call("streaks", "add", self._pair(username, client), self.wall())
        if address is not None:
            self._call("addresses", "hit", address)
        return self._call("accounts", "hit", self._account(username)) == 0

    def succeeded(self, username: str, client: str) -> None:
        """The owner got in from this client: its streak starts afresh (the account's and the
        address's hourly counts deliberately do not)."""
        self._call("streaks", "clear", self._pair(username, client))

    def forget_account(self, username: str) -> None:
        """After an unlock the account's hourly count starts from zero."""
        self._call("accounts", "clear", self._account(username))

    @staticmethod
    def _account(username: str) -> str:
        return username.strip().casefold()[:128]

    def _pair(self, username: str, client: str) -> str:
        return f"{self._account(username)}|{client[:160]}"

    def _call(self, port: str, method: str, *args):
        if self.monotonic() >= self.shared_down_until:
            try:
                return getattr(getattr(self.shared, port), method)(*args)
            except Exception as exc:  # any Redis trouble: count locally, never fail the sign-in
                self.shared_down_until = self.monotonic() + REDIS_RETRY_S
                log.warning("登录计数改用本进程 / Redis unavailable for sign-in limits, counting "
                            "in-process: %s", type(exc).__name__)
        return getattr(getattr(self.local, port), method)(*args)
