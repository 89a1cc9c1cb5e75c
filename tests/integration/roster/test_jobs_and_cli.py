"""Generation as an RQ job (progress in job.meta, status for the page) and the `hotline roster` commands."""
import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from hotline.jobs import plumbing as jobs
from hotline.jobs.workers import HotlineSimpleWorker
from hotline.cli.main import main
from hotline.store.rosters import ShiftRow
from tests.conftest import sign_in


@pytest.fixture
def planned(kit, make_user, monkeypatch):
    """Slots and a pattern, and this app's Adapters (and use cases) standing in for the worker's own."""
    kit.counselors("ana", "bo")
    make_user("sup", "supervisor")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    monkeypatch.setattr(jobs, "job_adapters", lambda: kit.services)
    monkeypatch.setattr(jobs, "job_hotline", lambda: kit.hotline)
    return kit


def _work(services) -> None:
    queue = jobs.queue(services)
    HotlineSimpleWorker([queue], connection=queue.connection).work(burst=True)


def _count(services) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count()).select_from(ShiftRow))


def test_job_generates_and_reports_progress_and_result(planned):
    services = planned.services
    job_id = planned.hotline.roster_jobs.queue(date(2026, 12, 1), date(2026, 12, 31), actor_id=None)
    assert jobs.job_status(services, job_id)["status"] == "queued"
    _work(services)
    status = jobs.job_status(services, job_id)
    assert status["status"] == "finished" and status["progress"]["percent"] == 100.0
    assert status["result"]["created"] == 62 == _count(services)


def test_page_queues_a_job_and_polls_it(client, planned):
    sign_in(client, "sup")
    page = client.get("/roster").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/roster/generate", json={"from": "2026-12-01", "to": "2026-12-07"},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 202
    url = response.get_json()["status_url"]
    assert client.get(url).get_json()["status"] == "queued"
    _work(planned.services)
    assert client.get(url).get_json()["result"]["created"] == 14
    bad = client.post("/roster/generate", json={"from": "2026-12-07", "to": "2026-12-01"},
                      headers={"X-CSRFToken": token})
    assert bad.status_code == 400 and "before" in bad.get_json()["message"]


def test_cli_generate_and_coverage_json(planned, monkeypatch):
    monkeypatch.setattr("hotline.bootstrap.adapters_from_env", lambda settings=None: _reusable(planned.services))
    runner = CliRunner()
    done = runner.invoke(main, ["roster", "generate", "--from", "2026-12-01", "--to", "2026-12-03"])
    assert done.exit_code == 0, done.output
    assert "generated 6" in done.output
    result = runner.invoke(main, ["roster", "coverage", "--from", "2026-12-01", "--to", "2026-12-04", "--json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    # 12-04 was not generated: its opening hours 09:00-21:00 are one gap of one seat
    assert runs == [{"line": "chengdu-gaoxin", "kind": "gap", "start": "2026-12-04T09:00:00+08:00",
                     "end": "2026-12-04T21:00:00+08:00", "required": 1, "staffed": 0, "open": True}]
    text = runner.invoke(main, ["roster", "coverage", "--from", "2026-12-01", "--to", "2026-12-03"])
    assert "gaps 0" in text.output
    wrong = runner.invoke(main, ["roster", "generate", "--from", "2026-12-03", "--to", "2026-12-01"])
    assert wrong.exit_code != 0 and "before" in wrong.output


def _reusable(services):
    """The CLI closes its Adapters when done; keep the test's open."""
    class Kept:
        def __getattr__(self, name):
            return getattr(services, name)

        def close(self):
            pass
    return Kept()
