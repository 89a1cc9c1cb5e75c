"""/reports over HTTP: who may see it, what it shows, the downloads, the printable
summary, recomputing as a job, and the admins' schedule page (both backends)."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook

from hotline.reports.periods import period_ending
from hotline.store.reports import ReportRun
from tests.conftest import token_in
from tests.integration.reports.conftest import compute, jobs_of, work

MONTH = {"period": "month", "end": "2026-10-31"}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/reports")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/reports", "/reports/export.csv", "/reports/export.xlsx", "/reports/print",
                                  "/reports/data.json", "/reports/schedule"])
def test_counselors_may_not_open_reports(signed_in, path):
    assert signed_in("counselor").get(path).status_code == 403


def test_supervisors_read_reports_but_not_the_schedule(signed_in, small_world):
    client = signed_in("supervisor")
    page = client.get("/reports", query_string=MONTH)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    expected = compute(small_world.services, period_ending("month", date(2026, 10, 31)))
    offered = int(expected.overall.values["offered"])
    assert f'data-metric="offered"' in html and f">{offered}<" in html
    assert "/static/vendor/chart.umd.min.js" in html and "cdn" not in html.lower()
    assert 'id="heatmap"' in html and 'id="lines-table"' in html
    assert client.get("/reports/schedule").status_code == 403


def test_the_default_is_the_week_ending_yesterday(signed_in, small_world):
    html = signed_in("supervisor").get("/reports").get_data(as_text=True)
    assert "2026-10-27 – 2026-11-02" in html          # the clock is frozen on 2026-11-03


def test_one_line_and_bad_filters(signed_in, small_world):
    client = signed_in("supervisor")
    html = client.get("/reports", query_string={**MONTH, "line": "chengdu"}).get_data(as_text=True)
    assert "成都市心理援助热线" in html and 'id="lines-table"' not in html
    assert client.get("/reports", query_string={"period": "year"}).status_code == 400
    assert client.get("/reports", query_string={"end": "31/10/2026"}).status_code == 400
    assert client.get("/reports", query_string={"line": "atlantis"}).status_code == 400


def test_csv_download_has_every_figure_and_the_previous_period(signed_in, small_world):
    response = signed_in("supervisor").get("/reports/export.csv", query_string=MONTH)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="hotline-report-month-2026-10-31.csv"'
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"          # once, not doubled
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    report = compute(small_world.services, period_ending("month", date(2026, 10, 31)))
    previous = compute(small_world.services, period_ending("month", date(2026, 9, 30)))
    overall = {r["metric"]: r for r in rows if r["line_id"] == "*" and r["key"] == ""}
    assert float(overall["offered"]["value"]) == report.overall.values["offered"]
    assert float(overall["answer_rate"]["value"]) == pytest.approx(report.overall.values["answer_rate"], abs=1e-4)
    assert overall["offered"]["previous_value"] == str(int(previous.overall.values["offered"]))
    lines = {r["line_id"] for r in rows}
    assert lines == {"*", *(line.id for line in small_world.directory)}
    heat = [r for r in rows if r["line_id"] == "*" and r["metric"] == "heat"]
    assert sum(float(r["value"]) for r in heat) == report.overall.values["offered"]
    concerns = {r["key"]: r["key_label"] for r in rows if r["metric"] == "concerns"}
    assert concerns.get("anxiety") == "焦虑 / Anxiety"


def test_xlsx_download(signed_in, small_world):
    response = signed_in("supervisor").get("/reports/export.xlsx", query_string=MONTH)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["汇总 Summary", "按线路 By line", "按日 By day", "按小时 By hour",
                               "星期×小时 Heat map", "分类 Breakdowns"]
    summary = {row[0]: row[1] for row in book["汇总 Summary"].iter_rows(values_only=True) if row and row[0]}
    report = compute(small_world.services, period_ending("month", date(2026, 10, 31)))
    assert summary["来电 / calls offered"] == report.overall.values["offered"]
    assert book["按日 By day"].max_row == 1 + 31
    assert book["按线路 By line"].max_row == 1 + 1 + len(small_world.directory)


def test_printable_summary(signed_in, small_world):
    response = signed_in("supervisor").get("/reports/print", query_string={"period": "week", "end": "2026-10-31"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "心理援助热线周报摘要" in html and "css/reports.css" in html
    assert "2026-10-25 – 2026-10-31" in html and "2026-10-18 – 2026-10-24" in html


def test_data_json_compares_with_the_previous_period(signed_in, small_world):
    client = signed_in("supervisor")
    data = client.get("/reports/data.json", query_string=MONTH).get_json()
    assert data["period"]["first"] == "2026-10-01" and data["previous"]["period"]["first"] == "2026-09-01"
    assert data["comparison"]["offered"]["value"] == data["overall"]["values"]["offered"]
    assert data["stored"] is False
    again = client.get("/reports/data.json", query_string=MONTH).get_json()     # kept: the month is over
    assert again["stored"] is True and again["overall"]["values"] == pytest.approx(data["overall"]["values"])


def test_recompute_runs_as_a_job_and_the_page_then_reads_the_stored_report(signed_in, small_world, app_jobs):
    client = signed_in("supervisor")
    assert client.post("/reports/run", data=MONTH).status_code == 400          # no CSRF token
    token = token_in(client.get("/reports").data)
    response = client.post("/reports/run", data=MONTH, headers={"X-CSRFToken": token})
    assert response.status_code == 202
    job_id = response.get_json()["job"]
    assert client.get(f"/reports/jobs/{job_id}").get_json()["status"] == "queued"
    work(app_jobs)
    status = client.get(f"/reports/jobs/{job_id}").get_json()
    assert status["status"] == "finished" and status["progress"]["percent"] == 100.0
    assert status["result"]["period"]["kind"] == "month"
    with app_jobs.db.session() as session:
        run = session.query(ReportRun).filter_by(period="month", last_day=date(2026, 10, 31)).one()
        assert (run.scope, run.source) == ("*", "on_demand")
    assert client.get("/reports/data.json", query_string=MONTH).get_json()["stored"] is True
    assert client.get("/reports/jobs/not-a-report-job").status_code == 404


def test_admins_change_the_schedule_and_rq_follows(signed_in, app, app_jobs):
    def scheduled_nightly(services):
        return jobs_of(services).registered_runs()

    client = signed_in("admin")
    page = client.get("/reports/schedule")
    assert page.status_code == 200
    token = token_in(page.data)
    assert client.post("/reports/schedule", data={"run_at": "03:15", "enabled": "on"}).status_code == 400
    response = client.post("/reports/schedule", data={"run_at": "03:15", "enabled": "on", "csrf_token": token})
    assert response.status_code == 302
    row = jobs_of(app_jobs).settings()
    assert (row.enabled, row.run_at) == (True, "03:15")
    [(job_id, at)] = scheduled_nightly(app_jobs)
    assert at > datetime.now(timezone.utc)
    assert at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).strftime("%H:%M") == "03:15"
    assert job_id in client.get("/reports/schedule").get_data(as_text=True)
    client.post("/reports/schedule", data={"run_at": "03:15", "csrf_token": token})      # unchecked: off
    assert scheduled_nightly(app_jobs) == []
    bad = client.post("/reports/schedule", data={"run_at": "25:00", "enabled": "on", "csrf_token": token},
                      follow_redirects=True)
    assert "HH:MM" in bad.get_data(as_text=True)


def test_an_empty_record_shows_zeros_and_dashes_not_errors(signed_in):
    client = signed_in("supervisor")
    html = client.get("/reports").get_data(as_text=True)
    assert ">0<" in html and "—" in html
    assert "分诊评估" in html
    assert client.get("/reports/export.xlsx").status_code == 200
    assert client.get("/reports/print").status_code == 200
