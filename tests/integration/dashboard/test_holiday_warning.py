"""The dashboard warns, as `hotline doctor` does, when next year's holiday table is due."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.clock import Clock
from hotline import settings as hotline_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix):
    """A holidays directory of its own with 2040's table only: no package release knows 2040 or 2041."""
    folder = tmp_path / "holidays"
    folder.mkdir()
    (folder / "cn-2040.yaml").write_text("year: 2040\nholidays: [{date: 2040-01-01, name: 元旦}]\n", encoding="utf-8")
    return hotline_settings.testing_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, holidays_dir=folder)


def _page_at(app, watcher, when: datetime) -> str:
    services = app.extensions["hotline"].adapters
    services.settings = services.settings.with_(clock=Clock(frozen=when))
    page = watcher().client.get("/dashboard")
    assert page.status_code == 200
    return page.data.decode()


def test_from_november_the_dashboard_names_the_missing_year_and_file(app, watcher, settings):
    html = _page_at(app, watcher, datetime(2040, 11, 10, 9, 0, tzinfo=SHANGHAI))
    assert 'id="holiday-warning"' in html and 'data-year="2041"' in html
    assert "尚无 2041 年官方放假安排" in html and "no official holiday table for 2041" in html
    assert str(settings.holidays_dir / "cn-2041.yaml") in html


def test_in_march_there_is_no_warning(app, watcher):
    html = _page_at(app, watcher, datetime(2040, 3, 10, 9, 0, tzinfo=SHANGHAI))
    assert 'id="holiday-warning"' not in html and "放假安排" not in html


def test_a_year_already_begun_without_its_table_warns_all_year(app, watcher):
    html = _page_at(app, watcher, datetime(2041, 3, 10, 9, 0, tzinfo=SHANGHAI))
    assert 'data-year="2041"' in html and "2041 年已经开始" in html
