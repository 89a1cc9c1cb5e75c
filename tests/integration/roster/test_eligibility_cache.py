"""The on-call snapshot is cached per process and dropped when the roster version moves."""
import time
from datetime import date

import pytest
from sqlalchemy import update

from hotline.bootstrap import Adapters, Hotline, roster
from hotline.ports import Presence
from hotline.store.rosters import ShiftRow
from hotline.usecases import eligibility
from tests.integration.roster.conftest import local

LINE = "chengdu-gaoxin"


@pytest.fixture
def two_processes(app, kit):
    """The app's Adapters and a second one on the same settings, as another web process would be."""
    ana, bo = kit.counselors("ana", "bo")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 22), date(2026, 11, 30))
    kit.at(local(2026, 11, 23, 10, 0))
    other = Adapters(kit.services.settings)
    yield kit.services, other, ana, bo
    other.close()


def _lines(services, user):
    return Hotline(services).staffing.lines_for(Presence(user.id, "available", services.now(), (LINE,)),
                                                services.now())


def test_a_change_elsewhere_reaches_this_process_through_the_version_key(two_processes, monkeypatch):
    here, there, ana, bo = two_processes
    assert _lines(there, ana) == {LINE} and _lines(there, bo) == set()
    with here.db.session() as session:       # a change that forgot to bump: the cache keeps the old answer
        session.execute(update(ShiftRow).where(ShiftRow.starts_at == local(2026, 11, 23, 9, 0))
                        .values(counselor_id=bo.id))
    assert _lines(there, bo) == set()
    monkeypatch.setattr(eligibility, "VERSION_EVERY_S", 0.0)
    roster.changes(here).announce()            # what every roster change does after its commit
    assert _eventually(lambda: _lines(there, bo) == {LINE})   # rebuilt in the background meanwhile
    assert _lines(there, ana) == set()


def _eventually(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_snapshot_is_reused_between_calls(two_processes):
    here, _, ana, _ = two_processes
    staffing = Hotline(here).staffing
    first = staffing.snapshot(here.now())
    _lines(here, ana)
    assert staffing.snapshot(here.now()) is first
    kit_day_later = local(2026, 11, 29, 10, 0)          # outside the window: rebuilt around the new instant
    assert staffing.snapshot(kit_day_later) is not first


def test_an_unreachable_database_falls_back_to_assigned_lines(settings, tmp_path):
    broken = Adapters(settings.with_(database_url=f"sqlite:///{tmp_path}/missing/dir/hotline.db"))
    try:
        presence = Presence(7, "available", local(2026, 11, 23, 10, 0), (LINE,))
        hotline = Hotline(broken)
        assert hotline.staffing.lines_for(presence, local(2026, 11, 23, 10, 0)) == {LINE}
        assert hotline.on_duty.on_duty(LINE, local(2026, 11, 23, 10, 0))["source"] == "presence"
    finally:
        broken.close()
