"""Service level on the dashboard (HTTP and Socket.IO), from a known call record made through
the real webhooks and the console: today and the last hour, a line's own threshold from the
directory file, and the "all counselors busy" state."""
from __future__ import annotations

import pytest

from hotline.settings import PROJECT_DIR
from hotline.settings import testing_settings as settings_for
from tests.integration.dashboard.conftest import GAOXIN_LINE, line_of, received
from tests.integration.voice.conftest import local


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix, database_url):
    """The shipped directory, with Chengdu's line setting its own threshold (60 s)."""
    text = (PROJECT_DIR / "config" / "lines.yaml").read_text(encoding="utf-8")
    marker = "  - id: chengdu\n"
    assert marker in text
    lines = tmp_path / "lines.yaml"
    lines.write_text(text.replace(marker, marker + "    service_level_s: 60\n"), encoding="utf-8")
    return settings_for(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, database_url=database_url,
                            lines_file=lines)


def test_service_level_today_and_in_the_last_hour_from_a_known_call_record(floor, watcher):
    """T = 20 s. Today: one answered after 8 s (within), one abandoned after 40 s (late), one
    abandoned after 10 s (left out); an hour later one answered after 50 s (late).
    Today's SL = 1 / (2 answered + 1 late abandon) = 1/3; the last hour holds only the late answer."""
    boss = watcher()
    floor.counselor(1, GAOXIN_LINE)
    quick = floor.caller()
    floor.tick()
    floor.at(local(2026, 11, 23, 10, 0, 8))
    floor.console.accept(quick, 1)
    floor.console.end_call(quick, 1)
    late = floor.caller("+8613800000002")
    short = floor.caller("+8613800000003")
    floor.at(local(2026, 11, 23, 10, 0, 18))
    floor.hang_up_waiting(short, 10)
    floor.at(local(2026, 11, 23, 10, 0, 48))
    floor.hang_up_waiting(late, 40)
    floor.at(local(2026, 11, 23, 11, 30))
    floor.counselor(2, GAOXIN_LINE)
    slow = floor.caller("+8613800000004")
    floor.tick()
    floor.at(local(2026, 11, 23, 11, 30, 50))
    floor.console.accept(slow, 1 if floor.offered_to(1) == slow else 2)
    floor.flush()

    gaoxin = line_of(boss.snapshot())["today"]
    assert (gaoxin["answered"], gaoxin["abandoned"], gaoxin["answered_within"], gaoxin["abandoned_within"]) == \
        (2, 2, 1, 1)
    assert gaoxin["service_level"] == round(1 / 3, 4) and gaoxin["service_level_s"] == 20
    hour = gaoxin["last_hour"]
    assert (hour["offered"], hour["answered"], hour["service_level"], hour["asa_s"]) == (1, 1, 0.0, 50.0)
    socket = boss.socket()
    [pushed] = received(socket, "snapshot")
    assert line_of(pushed["dashboard"])["today"]["service_level"] == round(1 / 3, 4)



def test_a_line_s_own_threshold_from_the_directory_and_the_busy_state(floor, watcher):
    boss = watcher()
    floor.caller()                                  # 99 is on a call: nobody free, a caller waits
    snapshot = boss.snapshot()
    assert line_of(snapshot)["state"] == "busy" and snapshot["totals"]["busy"] == [GAOXIN_LINE]
    assert line_of(snapshot)["today"]["service_level_s"] == 20
    assert line_of(snapshot, "chengdu")["today"]["service_level_s"] == 60
    assert snapshot["today"]["service_level_s"] is None          # the lines' thresholds differ
    floor.counselor(1, GAOXIN_LINE)
    assert line_of(boss.snapshot())["state"] == "ok"
