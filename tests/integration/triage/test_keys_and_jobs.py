"""`hotline keys rotate` (re-encryption, re-keyed caller files) and the follow-up job."""
from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select, text

from hotline.bootstrap import Hotline
from hotline.cli.keys import keys
from hotline.jobs.workers import HotlineSimpleWorker
from hotline.store.privacy import DataKeyError, DataKeyring
from hotline.store.triage import Assessment, CallerFile, FollowUp
from tests.integration.triage.conftest import CALLER, CHECKLIST_DONE, HIGH, IMMINENT, assess, refer, usecases

OLD = "test-data-key-0123456789abcdefghijklmnop"      # testing_settings' key
NEW = "a-brand-new-data-key-0123456789abcdefghij"


def run_rotate(floor, monkeypatch, *args):
    s = floor.services.settings
    for name, value in {"HOTLINE_DATABASE_URL": s.database_url, "HOTLINE_REDIS_URL": s.redis_url,
                        "HOTLINE_REDIS_PREFIX": s.redis_prefix, "HOTLINE_INSTANCE_DIR": str(s.instance_dir),
                        "HOTLINE_DATA_KEY": f"{NEW},{OLD}", "HOTLINE_SECRET_KEY": "x" * 32}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(keys, ["rotate", *args])
    assert result.exit_code == 0, result.output
    return result.output


def tokens(services) -> list[str]:
    with services.db.session() as session:
        rows = session.execute(text("SELECT answers_encrypted FROM triage_assessments UNION ALL "
                                    "SELECT body_encrypted FROM call_notes UNION ALL "
                                    "SELECT callback_number_encrypted FROM caller_files UNION ALL "
                                    "SELECT values_encrypted FROM triage_checklists UNION ALL "
                                    "SELECT note_encrypted FROM triage_referrals")).all()
    return [t for (t,) in rows if t]


def test_rotation_re_encrypts_everything_and_re_keys_caller_files(chengdu_call, monkeypatch):
    floor, li, sid = chengdu_call
    s = floor.services
    assess(li, sid, IMMINENT | {"notes": "旧密钥 / old key", "emergency_checklist": CHECKLIST_DONE})
    refer(li, sid, "emergency_120", status="contacted", note="已送医 / admitted")
    li.post(f"/api/calls/{sid}/callback", {"consent": True, "number": CALLER})
    li.note(sid, "记录 / note")
    floor.flush()
    old_key = s.keyring.caller_key(CALLER)
    new_only = DataKeyring.from_setting(NEW)
    new_key = new_only.caller_key(CALLER)

    dry = run_rotate(floor, monkeypatch, "--dry-run")
    assert "演练" in dry and "caller files re-keyed: 1" in dry
    assert all(s.keyring.is_current(t) for t in tokens(s))            # nothing changed yet

    output = run_rotate(floor, monkeypatch)
    assert "triage_assessments.answers_encrypted: 1" in output and "caller files re-keyed: 1" in output
    assert CALLER not in output and "旧密钥" not in output
    for token in tokens(s):
        new_only.decrypt(token)                                        # the old key is no longer needed
    with s.db.session() as session:
        row = session.scalar(select(Assessment).where(Assessment.call_sid == sid))
        assert json.loads(new_only.decrypt(row.answers_encrypted))["notes"] == "旧密钥 / old key"
        assert row.caller_key == new_key
        assert session.scalar(select(CallerFile.flagged_level).where(CallerFile.caller_key == new_key)) == "imminent"
        assert session.scalar(select(CallerFile).where(CallerFile.caller_key == old_key)) is None
        assert session.execute(text("SELECT caller_key FROM calls WHERE call_sid = :s"), {"s": sid}).scalar() == new_key
    assert s.redis.sismember(s.keys.flagged(), new_key) and not s.redis.sismember(s.keys.flagged(), old_key)
    again = run_rotate(floor, monkeypatch)
    assert "caller files re-keyed: 0" in again and "answers_encrypted: 0" in again


def test_a_file_without_a_number_follows_its_caller_on_the_next_call(chengdu_call):
    floor, li, sid = chengdu_call
    s = floor.services
    assess(li, sid, IMMINENT)
    floor.flush()
    old_key = s.keyring.caller_key(CALLER)
    s.settings = s.settings.with_(data_key=f"{NEW},{OLD}")
    s.__dict__.pop("keyring", None)                                    # the process restarts with both keys
    new_key = Hotline(s).triage_rekey.rekey_caller(CALLER)
    assert new_key == DataKeyring.from_setting(NEW).caller_key(CALLER) != old_key
    assert s.redis.sismember(s.keys.flagged(), new_key)
    with s.db.session() as session:
        assert session.scalar(select(CallerFile.caller_key).where(CallerFile.flagged_level.is_not(None))) == new_key


def test_an_unknown_key_is_reported_not_guessed(chengdu_call):
    floor, li, sid = chengdu_call
    token = DataKeyring.from_setting(NEW).encrypt("x")
    try:
        floor.services.keyring.decrypt(token)
    except DataKeyError as exc:
        assert "x" not in str(exc).split("/")[0]
    else:
        raise AssertionError("decrypted with a key that is not configured")


def test_the_follow_up_job_marks_the_task_due_and_alerts_without_sounding(chengdu_call):
    floor, li, sid = chengdu_call
    s = floor.services
    assess(li, sid, HIGH)
    mark_due = usecases(floor).triage_follow_ups.mark_due
    assert mark_due(sid) == {"call_sid": sid, "status": "due"}
    [alert] = [a for a in Hotline(s).alerts.open_alerts() if a.kind == "follow_up"]
    assert alert.call_sid == sid and not alert.sounding and "回访" in alert.message
    with s.db.session() as session:
        assert session.scalar(select(FollowUp.status).where(FollowUp.call_sid == sid)) == "due"
    assert mark_due("CA-unknown") == {"call_sid": "CA-unknown", "status": "missing"}


def test_a_retried_follow_up_job_does_not_alert_twice(chengdu_call):
    """RQ runs a job again when its worker died: the reminder must still be one."""
    floor, li, sid = chengdu_call
    s = floor.services
    assess(li, sid, HIGH)
    mark_due = usecases(floor).triage_follow_ups.mark_due
    mark_due(sid)
    assert mark_due(sid) == {"call_sid": sid, "status": "due"}
    assert len([a for a in Hotline(s).alerts.open_alerts() if a.kind == "follow_up"]) == 1


def test_the_follow_up_job_runs_in_an_rq_worker(chengdu_call, monkeypatch):
    """The scheduled job, run by a real (burst) worker once it is due."""
    floor, li, sid = chengdu_call
    s = floor.services
    assess(li, sid, HIGH)
    from hotline.jobs.plumbing import queue, rq_connection

    import hotline.jobs.triage as jt
    monkeypatch.setattr(jt, "job_hotline", lambda: usecases(floor))
    rq = queue(s)
    job_id = f"triage-follow-up-{sid}"
    job = rq.fetch_job(job_id)
    assert job is not None and job.func_name == "hotline.jobs.triage.follow_up_due"
    rq.scheduled_job_registry.remove(job)
    rq.enqueue_job(job)                                                 # as the scheduler does at due time
    worker = HotlineSimpleWorker([rq], connection=rq_connection(s))
    worker.work(burst=True)
    rq_connection(s).delete(worker.key)                                 # leave nothing behind
    assert rq.fetch_job(job_id).get_status() == "finished"
    with s.db.session() as session:
        assert session.scalar(select(FollowUp.status).where(FollowUp.call_sid == sid)) == "due"
