"""One sign-in attempt, with the throttle around it (Hotline.sign_in_gate).

The order matters: a client that must wait is told so before its password is tried
(a guesser learns nothing while waiting); a locked account is refused without trying
the password; a failure is counted, and the failure that reaches the account's ceiling
locks it (audited). A success clears only this client's streak.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline.ports import Account
from hotline.usecases.accounts import Accounts
from hotline.usecases.sign_in_limits import ACCOUNT_CEILING, SignInThrottle

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    account: Account | None = None
    wait_s: int = 0                  # > 0: refused before trying, retry after this many seconds
    locked: bool = False             # the account is locked until a supervisor unlocks it
    refused_user_id: int | None = None


class SignInGate:
    def __init__(self, accounts: Accounts, throttle: SignInThrottle) -> None:
        self.accounts = accounts
        self.throttle = throttle

    def attempt(self, username: str, password: str, client: str, address: str | None) -> Attempt:
        """`client`: the device cookie's id or the address; `address`: None when the browser
        carries this account's device cookie (spared by the per-address limit)."""
        wait = self.throttle.wait(username, client, address)
        if wait:
            return Attempt(wait_s=wait)
        outcome = self.accounts.sign_in(username, password)
        if outcome.locked:
            return Attempt(locked=True, refused_user_id=outcome.refused_user_id)
        if outcome.account is None:
            if self.throttle.failed(username, client, address) and username.strip():
                self._lock(username)
            return Attempt(refused_user_id=outcome.refused_user_id)
        self.throttle.succeeded(username, client)
        return Attempt(account=outcome.account)

    def _lock(self, username: str) -> None:
        if self.accounts.lock(username.strip(), f"{ACCOUNT_CEILING} 次失败 / failures per hour"):
            log.warning("账号已锁定 / account locked after %s failed sign-ins in an hour", ACCOUNT_CEILING)
