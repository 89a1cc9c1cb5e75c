"""Staff accounts: who may sign in, with which role and lines, and the rules they follow.

The commands (`hotline users …`) and the sign-in page both come here. A username is
printable, without spaces, at most 64 characters (case kept); a password has at least
MIN_PASSWORD_LENGTH characters; the role is one of ROLES. A rule broken or a name taken
raises AccountError with a bilingual message and writes nothing.
"""
from __future__ import annotations

from typing import Callable, Sequence

from hotline.ports import MAX_USERNAME_LENGTH, ROLES, Account, AccountError, Clock, OpsUnitOfWork, SignIn

MIN_PASSWORD_LENGTH = 8


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

    def __init__(self, uow: Callable[[], OpsUnitOfWork], clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

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

    def set_password(self, username: str, password: str) -> None:
        """A new password; the user's open sessions end (their session id changes)."""
        check_password(password)
        with self.uow() as uow:
            if not uow.users.set_password(username.strip(), password):
                raise no_such_user(username)
            uow.commit()

    def set_active(self, username: str, active: bool) -> None:
        """Disable (signed out at once: the session loader refuses them) or enable again."""
        with self.uow() as uow:
            if not uow.users.set_active(username.strip(), active):
                raise no_such_user(username)
            uow.commit()

    def sign_in(self, username: str, password: str) -> SignIn:
        """The account if the password matches an active user (last sign-in recorded)."""
        with self.uow() as uow:
            outcome = uow.users.sign_in(username, password, self.clock.now())
            uow.commit()
            return outcome

    def signed_in(self, session_id: str) -> Account | None:
        """The account a browser session names ("<id>:<fingerprint>"), if still active and
        its password unchanged since the session began; else None (signed out)."""
        ident = session_id.partition(":")[0]
        if not ident.isdigit():
            return None
        with self.uow() as uow:
            account = uow.users.by_id(int(ident))
        if account is None or not account.is_active or account.get_id() != session_id:
            return None
        return account
