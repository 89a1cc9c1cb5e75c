"""No raw number, note or answer reaches the database unencrypted, or any log line.

A scripted call goes through everything triage stores — free-text answers, a checklist
with a location, an override reason, a referral note, the call-back number, a call note —
then every text column of every table is scanned, on SQLite and on PostgreSQL, and so is
every log record (caplog) and everything the root handler wrote (stderr).
"""
from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import JSON, String, Text, inspect, select, text

from tests.integration.triage.conftest import CHECKLIST_DONE, IMMINENT, answer_call, assess, refer
from tests.integration.voice.conftest import local

NUMBER = "+8613908171234"
NUMBER_FORMS = ("13908171234", "139 0817 1234", "+8613908171234", "8613908171234")
SECRETS = {
    "notes": "来电者提到想用母亲留下的安眠药结束生命 / mother's sleeping pills",
    "concerns_other": "被公司拖欠工资三个月 / unpaid wages for three months",
    "protective": "养的猫咪团团 / the cat Tuantuan",
    "location": "锦江区红星路二段 88 号 / 88 Hongxing Road",
    "override": "督导电话确认已送医 / confirmed admitted by phone",
    "referral": "母亲陪同前往华西 / mother goes along to Huaxi",
    "note": "第二次来电提到失眠 / second call mentions insomnia",
}


@pytest.fixture(params=["sqlite", "postgres"])
def app(request, tmp_path, redis_url, redis_prefix):
    """This module's app runs on an SQLite file and on a fresh PostgreSQL database."""
    from hotline.app import create_app
    from hotline.settings import testing_settings
    from hotline.store.migrate import upgrade

    values = dict(redis_url=redis_url, redis_prefix=redis_prefix)
    if request.param == "postgres":
        values["database_url"] = request.getfixturevalue("fresh_postgres_url")
    settings = testing_settings(tmp_path, **values)
    upgrade(settings.database_url)
    application = create_app(settings)
    yield application
    application.extensions["hotline"].adapters.close()


def scripted_call(floor, li) -> str:
    li.go("available")
    sid = answer_call(floor, li, NUMBER)
    answers = IMMINENT | {"concerns": ["other", "sleep"], "concerns_other": SECRETS["concerns_other"],
                          "protective_factors": ["family_support", SECRETS["protective"]],
                          "notes": SECRETS["notes"],
                          "emergency_checklist": CHECKLIST_DONE | {"location": SECRETS["location"]}}
    assert assess(li, sid, answers).status_code == 200
    lowered = assess(li, sid, answers, override={"level": "high", "reason": SECRETS["override"]})
    assert lowered.status_code == 200
    assert refer(li, sid, "emergency_120", status="contacted", note=SECRETS["referral"]).status_code == 201
    assert li.post(f"/api/calls/{sid}/callback", {"consent": True, "number": NUMBER}).status_code == 200
    assert li.note(sid, SECRETS["note"]).status_code == 201
    key = floor.services.keyring.caller_key(NUMBER)
    assert li.get(f"/api/caller-files/{key}").status_code == 200
    assert li.get(f"/api/calls/{sid}/assessment").status_code == 200
    assert li.hangup(sid).status_code == 200
    floor.flush()
    assert li.post("/api/console/ready").status_code == 200
    return sid


def text_values(services) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text-like column of every table."""
    engine = services.db.engine
    found = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for column in inspect(engine).get_columns(table):
                kind = column["type"]
                if not isinstance(kind, (String, Text, JSON)) and "JSON" not in str(kind).upper():
                    continue
                for (value,) in conn.execute(text(f'SELECT "{column["name"]}" FROM "{table}"')):
                    if value is not None:
                        found.append((table, column["name"], value if isinstance(value, str)
                                      else json.dumps(value, ensure_ascii=False)))
    return found


def leaks(haystack: str) -> list[str]:
    pieces = list(NUMBER_FORMS)
    for secret in SECRETS.values():
        pieces.extend(part.strip() for part in secret.split(" / "))
    return [p for p in pieces if p in haystack]


def test_nothing_readable_reaches_the_database(floor, desk):
    li = desk("li")
    sid = scripted_call(floor, li)
    values = text_values(floor.services)
    tables = {t for t, _, _ in values}
    assert {"triage_assessments", "triage_referrals", "caller_files", "triage_checklists", "call_notes",
            "calls", "triage_follow_ups", "caller_file_access"} <= tables
    bad = [(t, c) for t, c, v in values if leaks(v)]
    assert bad == []
    with floor.services.db.session() as session:
        from hotline.store.triage import Assessment

        row = session.scalar(select(Assessment).where(Assessment.call_sid == sid))
        assert json.loads(floor.services.keyring.decrypt(row.answers_encrypted))["notes"] == SECRETS["notes"]


def test_nothing_readable_reaches_redis(floor, desk):
    li = desk("li")
    scripted_call(floor, li)
    r, prefix = floor.services.redis, floor.services.keys.prefix
    blob = []
    for key in r.scan_iter(f"{prefix}*"):
        kind = r.type(key).decode()
        if kind == "string":
            blob.append(r.get(key))
        elif kind == "hash":
            blob.extend(v for kv in r.hgetall(key).items() for v in kv)
        elif kind in ("set",):
            blob.extend(r.smembers(key))
        elif kind == "list":
            blob.extend(r.lrange(key, 0, -1))
        elif kind == "zset":
            blob.extend(m for m, _ in r.zrange(key, 0, -1, withscores=True))
    text_blob = " ".join(b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b) for b in blob)
    assert leaks(text_blob) == []


def test_nothing_readable_reaches_any_log(floor, desk, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    li = desk("li")
    scripted_call(floor, li)
    assess(li, "CA-no-such-call", {"notes": SECRETS["notes"]})               # an error path too
    li.post("/api/triage/assess", {"answers": {"notes": SECRETS["notes"], "wish_dead": "maybe"}})
    messages = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert any("triage saved" in r.getMessage() for r in caplog.records)
    assert leaks(messages) == []
    captured = capsys.readouterr()
    assert leaks(captured.err + captured.out) == []
