"""A supervisor opens /reports in a real browser, sees the charts, switches the period
to the month and downloads the CSV; the figures match the generated calls."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from hotline.reports.periods import period_ending  # noqa: E402
from hotline.devtools.synthetic_calls import Generator, insert_calls, lines_of  # noqa: E402
from hotline.routing.directory_loader import load_directory  # noqa: E402
from hotline.store.db import Database  # noqa: E402
from tests.e2e.conftest import PASSWORD, needs_chromium, needs_vendor  # noqa: E402
from tests.servers import ROOT  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]
TZ = ZoneInfo("Asia/Shanghai")


def count_in(calls, kind: str, end: date) -> int:
    period = period_ending(kind, end)
    start = datetime.combine(period.first, datetime.min.time(), TZ)
    stop = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), TZ)
    return sum(1 for c in calls if start <= c.received_at < stop)


@pytest.fixture
def calls(live_server):
    """60 days of generated calls up to yesterday (the server runs on the real clock)."""
    live_server.add_user("zhou", "supervisor", "chengdu", "周督导")
    yesterday = datetime.now(TZ).date() - timedelta(days=1)
    directory = load_directory(ROOT / "config" / "lines.yaml")
    generated = Generator(lines_of(directory), yesterday - timedelta(days=59), yesterday, seed=99).calls(1500)
    database = Database(f"sqlite:///{live_server.database}")
    with database.session() as session:
        insert_calls(session, generated)
    database.dispose()
    return generated, yesterday


def test_supervisor_switches_the_period_and_downloads_the_csv(live_server, page, calls, tmp_path):
    generated, yesterday = calls
    page.goto(live_server.base + "/login")
    page.fill("#username", "zhou")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.base + "/dashboard")

    page.goto(live_server.base + "/reports")
    expect(page.locator("h1")).to_contain_text("报告")
    expect(page.locator("#period")).to_have_value("week")
    week = count_in(generated, "week", yesterday)
    expect(page.locator('.kpi[data-metric="offered"] .big-number')).to_have_text(str(week))
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('chart-days'))")
    assert page.evaluate("() => !!Chart.getChart(document.getElementById('chart-hours'))")

    page.select_option("#period", "month")              # applies at once: the page reloads
    page.wait_for_url("**/reports?period=month*")
    month = period_ending("month", yesterday)
    expect(page.locator("#report-period")).to_contain_text(f"{month.first.isoformat()} – {yesterday.isoformat()}")
    expect(page.locator('.kpi[data-metric="offered"] .big-number')).to_have_text(
        str(count_in(generated, "month", yesterday)))
    expect(page.locator("#heatmap td.heat-5").first).to_be_visible()

    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == f"hotline-report-month-{yesterday.isoformat()}.csv"
    text = (tmp_path / "report.csv")
    download.save_as(text)
    rows = list(csv.DictReader(io.StringIO(text.read_text(encoding="utf-8-sig"))))
    offered = next(r for r in rows if r["line_id"] == "*" and r["metric"] == "offered")
    assert int(offered["value"]) == count_in(generated, "month", yesterday)
    assert int(offered["previous_value"]) == count_in(generated, "month", month.first - timedelta(days=1))

    page.click("#recompute")                            # queued for a worker (none runs here)
    expect(page.locator("#job-status")).to_contain_text("queued")

    page.click("#print-link")
    expect(page.locator("#print-sheet h1")).to_contain_text("月报摘要")


@pytest.fixture(autouse=True)
def no_rq_leftovers(live_server, redis_url):
    """The recompute job stays queued under RQ's own `rq:` keys: remove it afterwards."""
    yield
    from tests.integration.reports.conftest import remove_rq_jobs

    remove_rq_jobs(redis_url, live_server.env["HOTLINE_REDIS_PREFIX"])
