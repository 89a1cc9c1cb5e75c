"""Call notes: encrypted at rest, only for the call's counselor, every access logged."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from hotline.settings import testing_settings as make_settings
from hotline.store.notes import note_access

SECRET = "来电者提到失眠三周，担心工作 — caller mentions three weeks of insomnia"


def raw_bodies(services) -> list[str]:
    with services.db.session() as session:
        return [row[0] for row in session.execute(text("SELECT body_encrypted FROM call_notes"))]


def actions(services, sid) -> list[tuple[int, str]]:
    with services.db.session() as session:
        return [(row.user_id, row.action) for row in note_access(session).entries(sid)]


def test_note_is_encrypted_at_rest_and_read_back(on_call):
    floor, li, sid = on_call
    response = li.note(sid, SECRET)
    assert response.status_code == 201
    saved = response.get_json()
    assert saved["text"] == SECRET and saved["counselor_id"] == li.id and saved["call_sid"] == sid
    stored = raw_bodies(floor.services)
    assert len(stored) == 1
    assert SECRET not in stored[0] and "insomnia" not in stored[0] and "失眠" not in stored[0]
    assert floor.services.keyring.decrypt(stored[0]) == SECRET
    read = li.notes(sid)
    assert read.status_code == 200
    assert [note["text"] for note in read.get_json()["notes"]] == [SECRET]


def test_every_read_and_write_is_in_the_access_log(on_call):
    floor, li, sid = on_call
    li.note(sid, SECRET)
    li.notes(sid)
    li.notes(sid)
    assert actions(floor.services, sid) == [(li.id, "notes.write"), (li.id, "notes.read"), (li.id, "notes.read")]


def test_another_counselor_may_neither_read_nor_write(on_call, desk):
    floor, li, sid = on_call
    li.note(sid, SECRET)
    wang = desk("wang")
    assert wang.notes(sid).status_code == 403
    response = wang.note(sid, "不该保存 / must not be saved")
    assert response.status_code == 403
    assert response.get_json()["error"] == 403
    assert len(raw_bodies(floor.services)) == 1
    assert (wang.id, "notes.denied") in actions(floor.services, sid)
    assert (wang.id, "notes.read") not in actions(floor.services, sid)


def test_supervisor_without_the_call_is_refused(on_call, desk):
    floor, li, sid = on_call
    boss = desk("boss", "supervisor", lines=("chengdu-gaoxin",))
    assert boss.notes(sid).status_code == 403


def test_notes_can_be_finished_in_wrap_up(on_call):
    floor, li, sid = on_call
    li.hangup(sid)
    floor.flush()
    assert li.note(sid, "整理阶段补充 / added in wrap-up").status_code == 201
    li.post("/api/console/ready")
    assert li.notes(sid).status_code == 200, "the handler keeps access to their call's notes"


def test_offered_counselor_may_note_before_answering(offered):
    floor, li, sid = offered
    assert li.note(sid, "响铃时记下 / noted while ringing").status_code == 201


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "   "}, {"text": 42}, {"text": "x" * 20001}])
def test_note_text_is_checked_naming_the_field(on_call, body):
    floor, li, sid = on_call
    response = li.post(f"/api/console/calls/{sid}/notes", body)
    assert response.status_code == 400
    assert "text" in response.get_json()["message"]
    assert raw_bodies(floor.services) == []


def test_note_text_never_reaches_the_logs(on_call, caplog):
    floor, li, sid = on_call
    with caplog.at_level(logging.DEBUG):
        li.note(sid, SECRET)
        li.notes(sid)
    assert caplog.records, "something was logged"
    assert "insomnia" not in caplog.text and "失眠" not in caplog.text


@pytest.fixture
def pg_app(tmp_path, redis_url, redis_prefix, fresh_postgres_url):
    from hotline.app import create_app
    from hotline.store.migrate import upgrade

    settings = make_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix,
                                database_url=fresh_postgres_url)
    upgrade(settings.database_url)
    app = create_app(settings)
    yield app
    app.extensions["hotline"].adapters.close()


def test_notes_on_postgresql(pg_app):
    from hotline.store.users import create_user
    from tests.integration.console.conftest import Floor
    from tests.integration.console_web.conftest import PASSWORD, Desk
    from tests.integration.voice.conftest import local

    services = pg_app.extensions["hotline"].adapters
    floor = Floor(pg_app)
    floor.at(local(2026, 11, 23, 10, 0))
    with services.db.session() as db:
        user = create_user(db, "li", "counselor", PASSWORD, now=services.now(), lines=("chengdu-gaoxin",))
    li = Desk(pg_app, user)
    li.go("available")
    sid = floor.caller()
    floor.tick()
    assert li.accept(sid).status_code == 200
    assert li.note(sid, SECRET).status_code == 201
    assert SECRET not in raw_bodies(services)[0]
    assert li.notes(sid).get_json()["notes"][0]["text"] == SECRET
    assert actions(services, sid) == [(li.id, "notes.write"), (li.id, "notes.read")]
