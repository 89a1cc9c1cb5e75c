"""Stored reports: aggregate rows that read back as computed, replace earlier runs, are
used only when complete — and never hold anything that could name a caller."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from hotline.reports.export import to_csv, to_json, to_xlsx
from hotline.reports.labels import all_labels
from hotline.reports.periods import period_ending
from hotline.store.reports import ReportFigure, ReportRun
from hotline.triage.forms import load_forms
from tests.integration.reports.conftest import LAST, ROOT, compute, jobs_of, reports_of

MONTH = period_ending("month", LAST)


def compute_and_store(services, period, line=None, source="on_demand"):
    return reports_of(services).compute_and_store(period, line, source)


def stored_or_live(services, period):
    return reports_of(services).stored_or_live(period)


def test_a_stored_report_reads_back_as_computed(world):
    report, run_id = compute_and_store(world.services, MONTH, source="nightly")
    loaded = reports_of(world.services).load(MONTH)
    one_line = reports_of(world.services).load(MONTH, "chengdu")
    assert loaded.overall.values == pytest.approx(report.overall.values)
    assert loaded.overall.notes == report.overall.notes
    for line_id, figures in report.lines.items():
        assert loaded.lines[line_id].values == pytest.approx(figures.values), line_id
        for name, series in figures.series.items():
            assert loaded.lines[line_id].series[name] == {k: v for k, v in series.items() if v}, (line_id, name)
    assert one_line.overall.values == pytest.approx(report.lines["chengdu"].values)
    assert list(one_line.lines) == ["chengdu"]


def test_storing_again_replaces_the_run(world):
    compute_and_store(world.services, MONTH)
    compute_and_store(world.services, MONTH)
    compute_and_store(world.services, MONTH, "chengdu")
    with world.services.db.session() as session:
        runs = session.scalars(select(ReportRun)).all()
        assert sorted(r.scope for r in runs) == ["*", "chengdu"]
        ids = {r.id for r in runs}
        assert {row.run_id for row in session.scalars(select(ReportFigure))} == ids


def test_a_run_computed_before_its_period_ended_is_not_used(world):
    report = compute(world.services, MONTH)
    report.computed_at = datetime(2026, 10, 31, 12, 0, tzinfo=timezone.utc)        # before the month was over
    reports_of(world.services).store(report, "on_demand")
    _, stored = stored_or_live(world.services, MONTH)
    assert stored is False
    compute_and_store(world.services, MONTH)
    _, stored = stored_or_live(world.services, MONTH)
    assert stored is True


def test_nothing_that_names_a_caller_is_stored_or_exported(world):
    report, _ = compute_and_store(world.services, MONTH)
    previous = compute(world.services, MONTH.previous())
    with world.services.db.session() as session:
        stored = [repr((r.line_id, r.metric, r.key, r.value)) for r in session.scalars(select(ReportFigure))]
        stored += [json.dumps(r.notes, ensure_ascii=False) for r in session.scalars(select(ReportRun))]
    labels = all_labels(load_forms(ROOT / "config" / "triage"))
    exports = [to_csv(report, previous, labels), json.dumps(to_json(report, previous), ensure_ascii=False),
               to_xlsx(report, previous, labels).decode("latin-1")]
    text = "\n".join(stored + exports)
    keys = {c.caller_key for c in world.calls} - {"anonymous"}
    sids = {c.call_sid for c in world.calls}
    assert not any(key in text for key in keys)
    assert not any(sid in text for sid in sids)
    assert "gAAAA" not in text                     # no encrypted token (answers, notes) either
    with world.services.db.session() as session:
        words = [w for r in session.scalars(select(ReportFigure)) for w in (r.line_id, r.metric, r.key)]
    assert not [w for w in words if re.fullmatch(r"\+?\d{7,}", w)]   # no phone number as a key


def test_the_schedule_has_defaults(world):
    row = jobs_of(world.services).settings()
    assert (row.enabled, row.run_at, row.timezone) == (True, "02:30", "Asia/Shanghai")
