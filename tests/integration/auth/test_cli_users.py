"""`hotline users …` on SQLite and PostgreSQL: add, list, set-password, disable."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hotline.cli.main import main
from hotline.store.db import Database
from hotline.store.migrate import upgrade
from hotline.store.users import find_by_username, verify_password


@pytest.fixture
def run(tmp_path, database_url):
    upgrade(database_url)
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_DATABASE_URL": database_url,
           "HOTLINE_NOW": None, "HOTLINE_LINES_FILE": None, "HOTLINE_CONFIG_DIR": None}

    def invoke(*args: str, stdin: str | None = None):
        return CliRunner().invoke(main, ["users", *args], input=stdin, env=env)
    return invoke


@pytest.fixture
def user(database_url):
    def lookup(name: str):
        database = Database(database_url)
        try:
            with database.session() as session:
                return find_by_username(session, name)
        finally:
            database.dispose()
    return lookup


def test_add_with_password_from_stdin(run, user):
    result = run("add", "wang", "--role", "counselor", "--lines", "chengdu", "--lines", "sichuan,yaan",
                 "--password-stdin", stdin="correct-horse-42\n")
    assert result.exit_code == 0, result.output
    assert "wang" in result.output and "correct-horse-42" not in result.output
    saved = user("wang")
    assert saved.role == "counselor" and saved.line_ids == ("chengdu", "sichuan", "yaan")
    assert saved.password_hash.startswith("$argon2id$") and verify_password(saved, "correct-horse-42")


def test_without_a_terminal_a_password_is_generated_and_shown_once(run, user):
    result = run("add", "li", "--role", "supervisor")
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1].split(": ")[-1]
    assert len(password) >= 16 and verify_password(user("li"), password)


def test_unknown_line_names_it_and_writes_nothing(run, user):
    result = run("add", "wang", "--role", "counselor", "--lines", "chengdu,atlantis", "--password-stdin",
                 stdin="correct-horse-42\n")
    assert result.exit_code == 1
    assert "atlantis" in result.output and "未知线路 / unknown line" in result.output
    assert user("wang") is None


def test_duplicate_name_is_refused(run, user):
    assert run("add", "wang", "--role", "admin", "--password-stdin", stdin="correct-horse-42\n").exit_code == 0
    result = run("add", "wang", "--role", "counselor", "--password-stdin", stdin="another-pass-9\n")
    assert result.exit_code == 1 and "用户已存在 / user already exists: wang" in result.output
    assert user("wang").role == "admin"


def test_weak_password_is_refused(run, user):
    result = run("add", "wang", "--role", "counselor", "--password-stdin", stdin="short\n")
    assert result.exit_code == 1 and "至少 8" in result.output
    assert user("wang") is None


def test_list_set_password_and_disable(run, user):
    run("add", "wang", "--role", "counselor", "--lines", "chengdu", "--password-stdin", stdin="correct-horse-42\n")
    listed = json.loads(run("list", "--json").output)
    assert [(u["username"], u["role"], u["lines"], u["active"]) for u in listed] == \
        [("wang", "counselor", ["chengdu"], True)]
    assert "password" not in json.dumps(listed)
    assert "wang" in run("list").output
    assert run("set-password", "wang", "--password-stdin", stdin="brand-new-pass-1\n").exit_code == 0
    assert verify_password(user("wang"), "brand-new-pass-1")
    assert run("disable", "wang").exit_code == 0
    assert not user("wang").active and not verify_password(user("wang"), "brand-new-pass-1")
    assert run("disable", "nobody").exit_code == 1


def test_unmigrated_postgres_is_reported(fresh_postgres_url, tmp_path):
    env = {"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_DATABASE_URL": fresh_postgres_url}
    result = CliRunner().invoke(main, ["users", "list"], env=env)
    assert result.exit_code == 1 and "hotline db upgrade" in result.output


def test_on_a_terminal_the_password_is_asked_twice_hidden(run, user, monkeypatch):
    monkeypatch.setattr("hotline.cli.users._interactive", lambda: True)
    result = run("add", "wang", "--role", "counselor", stdin="correct-horse-42\ncorrect-horse-42\n")
    assert result.exit_code == 0, result.output
    assert "correct-horse-42" not in result.output and "Repeat password" in result.output
    assert verify_password(user("wang"), "correct-horse-42")
