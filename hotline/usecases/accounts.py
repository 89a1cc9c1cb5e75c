"""Staff accounts: who may sign in, with which role and lines, and the rules they follow.

The commands (`hotline users …`) and the sign-in page both come here. A username is
printable, without spaces, at most 64 characters (case kept); a password has at least
MIN_PASSWORD_LENGTH characters; the role is one of ROLES. A rule broken or a name taken
raises AccountError with a bilingual message and writes nothing.
"""
from __future__ import annotations

from typing import Callable, Sequence

from hotline.ports import (MAX_USERNAME_LENGTH, ROLES, Account, AccountError, AccountEvent, Clock, OpsUnitOfWork,
                           SignIn, role_grants)

MIN_PASSWORD_LENGTH = 8
CLI_ACTOR = "cli"          # the actor named in the audit log for `hotline users …`
SYSTEM_ACTOR = "system"    # … and for the sign-in ceiling's automatic lock


def check_username(username: str) -> str:
    """The username as stored (surrounding blanks removed), or AccountError."""
    name = (username or "").strip()
    if not name or len(name) > MAX_USERNAME_LENGTH or not name.isprintable() \
            or any(ch.isspace() for ch in name):
        raise AccountError(f"用户名无效 / invalid username {username!r}: 1–{MAX_USERNAME_LENGTH} "
                           "个可打印字符，不含空格 / printable characters without spaces")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"未知角色 / unknown role {role!r}; 可选 / choose one of: {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / "
                           f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return password


def no_such_user(username: str) -> AccountError:
    return AccountError(f"用户不存在 / no such user: {username.strip()}")


class Accounts:
    """Add, list, change and sign in staff accounts (Hotline.accounts)."""

    def __init__(self, uow: Callable[[], OpsUnitOfWork], clock: Clock,
                 forget_failures: Callable[[str], None] = lambda username: None) -> None:
        self.uow = uow
        self.clock = clock
        self.forget_failures = forget_failures     # the sign-in limits' count, cleared on unlock

    def find(self, username: str) -> Account | None:
        with self.uow() as uow:
            return uow.users.by_username(username.strip())

    def all(self) -> list[Account]:
        with self.uow() as uow:
            return uow.users.all()

    def add(self, username: str, role: str, password: str, *, display_name: str | None = None,
            lines: Sequence[str] = ()) -> Account:
        name, role = check_username(username), check_role(role)
        with self.uow() as uow:
            if uow.users.by_username(name) is not None:
                raise AccountError(f"用户已存在 / user already exists: {name}")
            check_password(password)
            account = uow.users.add(name, role, password, display_name=display_name or name,
                                    lines=list(dict.fromkeys(lines)), now=self.clock.now())
            uow.commit()
            return account

    def set_password(self, username: str, password: str, *, actor: str = CLI_ACTOR) -> None:
        """A new password; every open session of the user ends (a new session version)."""
        check_password(password)
        self._change(username, "password", actor, lambda uow, name: uow.users.set_password(name, password))

    def set_active(self, username: str, active: bool, *, actor: str = CLI_ACTOR) -> None:
        """Disable or enable; either way every earlier session ends (a cookie saved before a
        disable does not come back with the enable)."""
        self._change(username, "enable" if active else "disable", actor,
                     lambda uow, name: uow.users.set_active(name, active))

    def sign_out_everywhere(self, username: str, *, actor: str = CLI_ACTOR) -> None:
        """End every session of the user, on every browser (a supervisor's button, the shell)."""
        self._change(username, "sign-out-everywhere", actor, lambda uow, name: uow.users.revoke_sessions(name))

    def sign_out(self, account: Account) -> None:
        """The user signed out: this and every other earlier cookie of theirs stops working."""
        with self.uow() as uow:
            uow.users.revoke_sessions(account.username)
            uow.commit()

    def lock(self, username: str, detail: str) -> bool:
        """Lock an account that reached the sign-in ceiling (audited); False if it was
        already locked or does not exist."""
        with self.uow() as uow:
            if not uow.users.set_locked(username, self.clock.now()):
                return False
            self._audit(uow, username, "lock", SYSTEM_ACTOR, detail)
            uow.commit()
            return True

    def unlock(self, username: str, *, actor: str = CLI_ACTOR) -> bool:
        """Lift a lock (audited); False when the account was not locked; AccountError if unknown."""
        with self.uow() as uow:
            account = uow.users.by_username(username.strip())
            if account is None:
                raise no_such_user(username)
            if not uow.users.set_locked(account.username, None):
                return False
            self._audit(uow, account.username, "unlock", actor)
            uow.commit()
        self.forget_failures(account.username)
        return True

    def audit_log(self, limit: int = 50) -> list[AccountEvent]:
        with self.uow() as uow:
            return uow.account_audit.recent(limit)

    @staticmethod
    def may_manage(actor: Account, target: Account) -> bool:
        """A supervisor manages counselors and supervisors; only an admin manages an admin."""
        return actor.has_role("supervisor") and (target.role != "admin" or role_grants(actor.role, "admin"))

    def _change(self, username: str, action: str, actor: str, change) -> None:
        name = username.strip()
        with self.uow() as uow:
            if not change(uow, name):
                raise no_such_user(username)
            self._audit(uow, name, action, actor)
            uow.commit()

    def _audit(self, uow: OpsUnitOfWork, username: str, action: str, actor: str, detail: str = "") -> None:
        uow.account_audit.record(AccountEvent(at=self.clock.now(), username=username, action=action,
                                              actor=actor, detail=detail))

    def sign_in(self, username: str, password: str) -> SignIn:
        """The account if the password matches an active user (last sign-in recorded)."""
        with self.uow() as uow:
            outcome = uow.users.sign_in(username, password, self.clock.now())
            uow.commit()
            return outcome

    def signed_in(self, session_id: str) -> Account | None:
        """The account a browser session names ("<id>:<session version>"), if still active and
        its session version unchanged since the session began; else None (signed out)."""
        ident = session_id.partition(":")[0]
        if not ident.isdigit():
            return None
        with self.uow() as uow:
            account = uow.users.by_id(int(ident))
        if account is None or not account.is_active or account.get_id() != session_id:
            return None
        return account
