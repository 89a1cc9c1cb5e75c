"""GET /metrics in the Prometheus text format (public, like /healthz: no caller data in it).

Two kinds of figures, chosen so that several processes never disagree:

- Live and today's figures (queue lengths, longest waits, calls in progress,
  counselors by state, today's offered/answered/abandoned/rolled-over calls, answer
  rate, speed of answer, open alerts) are computed at scrape time from Redis and the
  database by the dashboard's own builder. Every process answers the same values,
  so scrape any one of them (or all: they agree).
- The webhook latency histogram (`hotline_voice_request_seconds`, measured around
  every /voice/ request by the hooks below) and the process metrics are per process.
  Run one `hotline serve` per port and scrape each one. Under a multi-worker server
  (gunicorn), set PROMETHEUS_MULTIPROC_DIR to an empty directory before start: the
  histogram is then kept in files there and every worker's /metrics returns the sum
  of all workers (prometheus-client's multiprocess mode).
"""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector

from hotline.usecases.service_metrics import FeedFigures

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
TODAY_KINDS = ("offered", "answered", "abandoned", "rolled_over", "voicemail")


def init_app(app) -> None:
    """A registry per app (tests build many apps in one process) and the /voice/ timing hooks."""
    registry = CollectorRegistry()
    latency = Histogram("hotline_voice_request_seconds",
                        "Twilio 语音 webhook 处理耗时 / time to answer a /voice/ webhook",
                        ["endpoint", "status"], buckets=BUCKETS, registry=registry)
    if not _multiprocess(app):
        ProcessCollector(registry=registry)
    registry.register(LiveCollector(app))
    app.extensions["hotline_metrics"] = {"registry": registry, "voice_latency": latency}
    app.before_request(_start_timer)
    app.after_request(_observe)


def _start_timer() -> None:
    if request.path.startswith("/voice/"):
        g.hotline_voice_started = time.perf_counter()


def _observe(response):
    started = g.pop("hotline_voice_started", None)
    if started is not None:
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        current_app.extensions["hotline_metrics"]["voice_latency"].labels(
            endpoint, str(response.status_code)).observe(time.perf_counter() - started)
    return response


def observe_voice(app, endpoint: str, status: str, seconds: float) -> None:
    """A webhook answered beside Flask (web/voice.py) is timed into the same histogram."""
    figures = app.extensions.get("hotline_metrics")
    if figures is not None:
        figures["voice_latency"].labels(endpoint, status).observe(seconds)


def _multiprocess(app) -> bool:
    """PROMETHEUS_MULTIPROC_DIR is set: workers keep their histograms in files there."""
    return bool(app.extensions["hotline"].settings.metrics_multiproc_dir)


def _output_registry(app) -> CollectorRegistry:
    if not _multiprocess(app):
        return app.extensions["hotline_metrics"]["registry"]
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(LiveCollector(app))
    return registry


@bp.get("/metrics")
def metrics():
    body = generate_latest(_output_registry(current_app))
    return Response(body, content_type=CONTENT_TYPE_LATEST)


class LiveCollector:
    """Gauges computed at scrape time from the dashboard snapshot (shared state)."""

    def __init__(self, app) -> None:
        self.app = app

    def describe(self):
        return []   # computed on demand: nothing to check at registration

    def collect(self):
        figures = self.app.extensions["hotline"].service_metrics.figures()
        up = GaugeMetricFamily("hotline_live_up", "1 当实时状态可读 / 1 when the live state could be read")
        if figures.snapshot is None:
            log.warning("指标：实时状态不可用 / metrics: live state unavailable: %s", figures.error)
            up.add_metric([], 0)
            yield up
            yield from feed_metrics(figures.feed)
            return
        up.add_metric([], 1)
        yield up
        yield from line_metrics(figures.snapshot)
        yield from today_metrics(figures.snapshot)
        yield from staff_and_alert_metrics(figures.snapshot)
        yield from feed_metrics(figures.feed)
        yield from writer_metrics(figures.record_backlog)


def _gauge(name: str, doc: str, labels: list[str], rows) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=labels)
    for values, value in rows:
        if value is not None:
            family.add_metric(values, float(value))
    return family


def line_metrics(snapshot: dict):
    lines = snapshot["lines"]
    yield _gauge("hotline_queue_waiting", "排队来电数 / callers waiting (ringing ones included)", ["line"],
                 [([l["id"]], l["waiting"]) for l in lines])
    yield _gauge("hotline_queue_longest_wait_seconds", "最长等待 / longest current wait", ["line"],
                 [([l["id"]], l["longest_wait_s"] or 0) for l in lines])
    yield _gauge("hotline_calls_in_progress", "通话中 / calls being talked", ["line"],
                 [([l["id"]], l["in_progress"]) for l in lines])
    yield _gauge("hotline_line_open", "线路是否开放 / 1 when the line is open now", ["line"],
                 [([l["id"]], int(l["open"])) for l in lines])
    yield _gauge("hotline_line_coverage_gap", "开放但无人值班 / 1 when open with nobody on shift", ["line"],
                 [([l["id"]], int(l["gap"])) for l in lines])
    yield _gauge("hotline_line_counselors", "可接该线的咨询师（按状态）/ counselors who may answer, by state",
                 ["line", "state"], [([l["id"], state], n) for l in lines for state, n in l["counselors"].items()])


def today_metrics(snapshot: dict):
    rows = [("all", snapshot.get("today"))] + [(l["id"], l.get("today")) for l in snapshot["lines"]]
    rows = [(line, today) for line, today in rows if today]
    yield _gauge("hotline_today_calls", "今日来电（按结果）/ today's calls by kind (line=all: each call once)",
                 ["line", "kind"], [([line, kind], today[kind]) for line, today in rows for kind in TODAY_KINDS])
    yield _gauge("hotline_today_answer_rate", "今日接通率 / today's answered ÷ offered", ["line"],
                 [([line], today["answer_rate"]) for line, today in rows])
    yield _gauge("hotline_today_average_speed_of_answer_seconds", "今日平均应答时间 / today's mean wait of answered calls",
                 ["line"], [([line], today["asa_s"]) for line, today in rows])
    yield _gauge("hotline_today_average_talk_seconds", "今日平均通话时长 / today's mean talk time", ["line"],
                 [([line], today["avg_talk_s"]) for line, today in rows])


def staff_and_alert_metrics(snapshot: dict):
    yield _gauge("hotline_counselors", "咨询师（按状态，每人一次）/ counselors by state, each once", ["state"],
                 [([state], n) for state, n in snapshot["totals"]["counselors"].items()])
    levels: dict[str, int] = {}
    for alert in snapshot["alerts"]:
        levels[alert["level"]] = levels.get(alert["level"], 0) + 1
    yield _gauge("hotline_alerts_open", "未确认的提醒 / alerts not yet acknowledged", ["level"],
                 [([level], n) for level, n in sorted(levels.items())])


def feed_metrics(feed: FeedFigures):
    pushes = CounterMetricFamily("hotline_dashboard_pushes", "本进程推送的监控快照 / dashboard snapshots pushed by this process")
    pushes.add_metric([], feed.pushes)
    yield pushes
    yield _gauge("hotline_dashboard_build_seconds", "上一次快照构建耗时 / time to build the last pushed snapshot", [],
                 [([], feed.last_build_s)])
    yield _gauge("hotline_dashboard_leader", "本进程负责推送 / 1 when this process pushes the dashboard", [],
                 [([], int(feed.leader))])
    yield _gauge("hotline_dashboard_watchers", "本进程上的监控页连接 / dashboard sockets on this process", [],
                 [([], feed.watchers)])


def writer_metrics(backlog: int | None):
    if backlog is not None:
        yield _gauge("hotline_record_backlog", "待写入的通话记录变更 / call-record changes not yet written", [],
                     [([], backlog)])
