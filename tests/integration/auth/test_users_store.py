"""The users table and repository on SQLite and PostgreSQL: migration, argon2, duplicates."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import Table, inspect

from hotline.ports import AccountError
from hotline.store.db import Base, Database
from hotline.store.migrate import upgrade
from hotline.store.ops_uow import OpsUnitOfWork
from hotline.store.users import User, create_user, find_by_username, list_users, verify_password
from hotline.usecases.accounts import Accounts

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc)


@pytest.fixture
def db(database_url):
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def test_migration_matches_the_model_and_downgrades(database_url, db):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diffs if touches_users(d)] == []
    downgrade_to(database_url, "0001")
    assert "users" not in inspect(db.engine).get_table_names()
    upgrade(database_url)
    assert "users" in inspect(db.engine).get_table_names()


def touches_users(diff) -> bool:
    """Whether one autogenerate diff (or a list of them) concerns the users table."""
    if isinstance(diff, list):
        return any(touches_users(item) for item in diff)
    for part in diff[1:]:
        table = part if isinstance(part, Table) else getattr(part, "table", None)
        if part == "users" or getattr(table, "name", None) == "users":
            return True
    return False


def downgrade_to(url: str, revision: str) -> None:
    from alembic import command

    from hotline.store.migrate import alembic_config

    command.downgrade(alembic_config(url), revision)


def test_password_is_stored_as_argon2_only(db):
    with db.session() as session:
        create_user(session, "wang", "counselor", "correct-horse-42", now=NOW, lines=["chengdu", "sichuan"])
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql("select password_hash, lines from users").one()
    assert row[0].startswith("$argon2id$") and "correct-horse-42" not in row[0]
    with db.session() as session:
        user = find_by_username(session, "wang")
        assert user.line_ids == ("chengdu", "sichuan") and user.created_at == NOW
        assert verify_password(user, "correct-horse-42") and not verify_password(user, "wrong")


def test_outdated_hash_is_upgraded_on_sign_in(db):
    with db.session() as session:
        user = create_user(session, "wang", "counselor", "correct-horse-42", now=NOW)
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=512).hash("correct-horse-42")
    with db.session() as session:
        assert verify_password(find_by_username(session, "wang"), "correct-horse-42")
    with db.session() as session:
        assert "m=512," not in find_by_username(session, "wang").password_hash   # rehashed with current params


@pytest.mark.parametrize("name, role, password", [("wang", "counselor", "x" * 12),
                                                  ("new user", "counselor", "x" * 12),
                                                  ("li", "boss", "x" * 12), ("li", "admin", "short")])
def test_bad_or_duplicate_users_are_refused(db, name, role, password):
    accounts = Accounts(lambda: OpsUnitOfWork(db), FixedClock())   # the rules, on the real store
    with db.session() as session:
        create_user(session, "wang", "counselor", "correct-horse-42", now=NOW)
    with pytest.raises(AccountError):
        accounts.add(name, role, password)
    with db.session() as session:
        assert [u.username for u in list_users(session)] == ["wang"]


class FixedClock:
    def now(self):
        return NOW


def test_duplicate_rows_are_refused_by_the_store(db):
    with db.session() as session:
        create_user(session, "wang", "counselor", "correct-horse-42", now=NOW)
    with pytest.raises(AccountError), db.session() as session:
        create_user(session, "wang", "admin", "another-pass-9", now=NOW)


def test_roles_imply_rights():
    admin, supervisor, counselor = (User(role=r) for r in ("admin", "supervisor", "counselor"))
    assert admin.has_role("supervisor") and admin.has_role("admin")
    assert supervisor.has_role("supervisor") and not supervisor.has_role("admin")
    assert not counselor.has_role("supervisor", "admin") and counselor.has_role("counselor")
    assert not admin.has_role("counselor")
