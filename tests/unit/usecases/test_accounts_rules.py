"""Staff accounts: the rules a new account follows, changes to existing ones, sign-in and the
session check — each refusal bilingual and leaving nothing written."""
from __future__ import annotations

import pytest

from hotline.ports import AccountError
from hotline.usecases.accounts import Accounts, check_password
from tests.unit.usecases.fakes import FakeClock
from tests.unit.usecases.fakes_ops import OpsStore, UowFactory

PASSWORD = "correct-horse-42"


@pytest.fixture
def kit():
    store, clock = OpsStore(), FakeClock()
    return Accounts(UowFactory(store), clock), store, clock


def test_a_new_account_keeps_its_name_lines_in_order_and_a_default_display_name(kit):
    accounts, store, clock = kit
    account = accounts.add("  Wang.Li  ", "counselor", PASSWORD, lines=["chengdu", "yaan", "chengdu"])
    assert (account.username, account.display_name, account.lines) == ("Wang.Li", "Wang.Li", ("chengdu", "yaan"))
    assert account.active and account.created_at == clock.now() and account.last_login_at is None
    assert accounts.find("Wang.Li ") == account and list(store.users) == ["Wang.Li"]
    assert accounts.add("li", "admin", PASSWORD, display_name="李主任").display_name == "李主任"


@pytest.mark.parametrize("name, role, password, words", [
    ("new user", "counselor", PASSWORD, "invalid username"),
    ("", "counselor", PASSWORD, "invalid username"),
    ("x" * 65, "counselor", PASSWORD, "invalid username"),
    ("tab\tname", "counselor", PASSWORD, "invalid username"),
    ("li", "boss", PASSWORD, "unknown role"),
    ("li", "admin", "short", "至少 8"),
])
def test_broken_rules_are_refused_and_nothing_is_written(kit, name, role, password, words):
    accounts, store, _clock = kit
    with pytest.raises(AccountError, match=words):
        accounts.add(name, role, password)
    assert store.users == {}


def test_a_taken_name_is_refused_with_the_name(kit):
    accounts, store, _clock = kit
    accounts.add("wang", "admin", PASSWORD)
    with pytest.raises(AccountError, match="user already exists: wang"):
        accounts.add(" wang", "counselor", "another-pass-9")
    assert store.users["wang"]["role"] == "admin"


def test_a_new_password_ends_the_old_sessions(kit):
    accounts, _store, _clock = kit
    old = accounts.add("wang", "counselor", PASSWORD)
    accounts.set_password("wang", "brand-new-pass-1")
    assert accounts.signed_in(old.session_id) is None
    assert accounts.sign_in("wang", PASSWORD).account is None
    assert accounts.sign_in("wang", "brand-new-pass-1").account is not None


def test_a_weak_new_password_or_an_unknown_user_changes_nothing(kit):
    accounts, _store, _clock = kit
    accounts.add("wang", "counselor", PASSWORD)
    with pytest.raises(AccountError, match="至少 8"):
        accounts.set_password("wang", "short")
    with pytest.raises(AccountError, match="no such user: nobody"):
        accounts.set_password(" nobody ", "brand-new-pass-1")
    assert accounts.sign_in("wang", PASSWORD).account is not None


def test_disabling_signs_out_at_once_and_enabling_does_not_bring_the_old_session_back(kit):
    accounts, store, _clock = kit
    session = accounts.add("wang", "counselor", PASSWORD).session_id
    accounts.set_active("wang", False)
    assert accounts.signed_in(session) is None
    refused = accounts.sign_in("wang", PASSWORD)
    assert refused.account is None and refused.refused_user_id == 1
    accounts.set_active("wang", True)
    assert accounts.signed_in(session) is None
    fresh = accounts.sign_in("wang", PASSWORD).account
    assert accounts.signed_in(fresh.session_id).username == "wang"
    assert [(e.action, e.actor) for e in store.audit] == [("disable", "cli"), ("enable", "cli")]
    with pytest.raises(AccountError, match="no such user: ghost"):
        accounts.set_active("ghost", False)


def test_sign_in_records_the_time_and_says_whose_password_failed(kit):
    accounts, _store, clock = kit
    accounts.add("wang", "counselor", PASSWORD)
    clock.advance(hours=2)
    signed = accounts.sign_in("wang", PASSWORD).account
    assert signed.last_login_at == clock.now() and accounts.find("wang").last_login_at == clock.now()
    assert accounts.sign_in("wang", "wrong-password").refused_user_id == 1
    unknown = accounts.sign_in("nobody", PASSWORD)
    assert unknown.account is None and unknown.refused_user_id is None


def test_a_malformed_session_needs_no_database():
    uow = UowFactory()
    accounts = Accounts(uow, FakeClock())
    assert accounts.signed_in("not-a-number:abc") is None and accounts.signed_in("") is None
    assert uow.opened == 0
    assert accounts.signed_in("42:whatever") is None and uow.opened == 1


def test_accounts_are_listed_by_name_and_answer_the_role_questions(kit):
    accounts, _store, _clock = kit
    accounts.add("zhao", "admin", PASSWORD)
    accounts.add("li", "counselor", PASSWORD, lines=["chengdu"])
    li, zhao = accounts.all()
    assert (li.username, zhao.username) == ("li", "zhao")
    assert zhao.has_role("supervisor") and zhao.has_role("admin") and not zhao.has_role("counselor")
    assert li.has_role("counselor") and not li.has_role("supervisor") and li.line_ids == ("chengdu",)
    assert zhao.role_label == "管理员 / Admin" and zhao.get_id() == zhao.session_id and zhao.is_authenticated


def test_password_strength_alone():
    assert check_password("12345678") == "12345678"
    with pytest.raises(AccountError, match="at least 8 characters"):
        check_password("1234567")


def test_sign_out_and_sign_out_everywhere_end_every_earlier_session(kit):
    accounts, store, _clock = kit
    accounts.add("wang", "counselor", PASSWORD)
    first = accounts.sign_in("wang", PASSWORD).account
    accounts.sign_out(first)
    assert accounts.signed_in(first.session_id) is None
    second = accounts.sign_in("wang", PASSWORD).account
    assert accounts.signed_in(second.session_id) is not None
    accounts.sign_out_everywhere("wang", actor="li")
    assert accounts.signed_in(second.session_id) is None
    assert [(e.username, e.action, e.actor) for e in store.audit] == [("wang", "sign-out-everywhere", "li")]
    with pytest.raises(AccountError, match="no such user: ghost"):
        accounts.sign_out_everywhere("ghost")


def test_a_locked_account_is_refused_without_its_password_until_unlocked(kit):
    accounts, store, clock = kit
    accounts.add("wang", "counselor", PASSWORD)
    assert accounts.lock("wang", "50 failures / hour") is True
    assert accounts.lock("wang", "again") is False                     # one lock, one audit line
    assert accounts.lock("ghost", "unknown names are never locked") is False
    refused = accounts.sign_in("wang", PASSWORD)
    assert refused.account is None and refused.locked and accounts.find("wang").locked_at == clock.now()
    assert accounts.unlock(" wang ", actor="li") is True
    assert accounts.unlock("wang", actor="li") is False
    assert accounts.sign_in("wang", PASSWORD).account is not None
    assert [(e.action, e.actor, e.detail) for e in store.audit] == [("lock", "system", "50 failures / hour"),
                                                                    ("unlock", "li", "")]
    assert [e.action for e in accounts.audit_log(1)] == ["unlock"]
    with pytest.raises(AccountError, match="no such user: ghost"):
        accounts.unlock("ghost")


def test_a_supervisor_manages_staff_but_only_an_admin_manages_an_admin(kit):
    accounts, _store, _clock = kit
    counselor = accounts.add("c", "counselor", PASSWORD)
    supervisor = accounts.add("s", "supervisor", PASSWORD)
    admin = accounts.add("a", "admin", PASSWORD)
    assert accounts.may_manage(supervisor, counselor) and accounts.may_manage(supervisor, supervisor)
    assert not accounts.may_manage(supervisor, admin) and accounts.may_manage(admin, admin)
    assert not accounts.may_manage(counselor, counselor)
