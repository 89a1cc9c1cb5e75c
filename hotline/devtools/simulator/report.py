"""What the person at the terminal sees: a progress bar on stderr and the summary."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from hotline.devtools.simulator.record import CallRecord
from hotline.devtools.simulator.stats import outcome_counts

LABELS = (
    ("offered", "呼入 / offered"), ("answered", "接通 / answered"), ("abandoned", "放弃 / abandoned"),
    ("rolled_over", "转移备份 / rolled over"), ("voicemail", "留言 / voicemail"),
    ("transferred", "转外线 / transferred"), ("errors", "错误 / errors"), ("completed", "其他结束 / other"),
    ("wait_p50", "等待 p50 (s) / wait p50"), ("wait_p95", "等待 p95 (s) / wait p95"),
    ("wait_p99", "等待 p99 (s) / wait p99"), ("webhook_p50_ms", "Webhook p50 (ms)"),
    ("webhook_p99_ms", "Webhook p99 (ms)"),
)


class ProgressView:
    """A rich progress bar on stderr, counting outcomes as calls finish."""

    def __init__(self, total: int | None, enabled: bool = True) -> None:
        self.enabled = enabled
        self.records: list[CallRecord] = []
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), disable=not enabled, transient=False)
        self.task = self.progress.add_task("模拟来电 / simulating calls", total=total)

    def __enter__(self) -> "ProgressView":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def call_done(self, record: CallRecord) -> None:
        self.records.append(record)
        counts = outcome_counts(self.records)
        text = (f"接通 {counts['answered']} 放弃 {counts['abandoned']} 转移 {counts['rolled_over']} "
                f"留言 {counts['voicemail']} 转外线 {counts['transferred']} 错误 {counts['error']}")
        self.progress.update(self.task, advance=1, description=text)


def print_summary(summary: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="模拟结果 / simulation summary", show_header=False)
    table.add_column("")
    table.add_column("", justify="right")
    for key, label in LABELS:
        value = summary.get(key)
        table.add_row(label, "—" if value is None else str(value))
    console.print(table)
    failed = [(c["call_sid"], e) for c in summary.get("calls", []) for e in c["errors"]]
    for call_sid, error in failed[:20]:
        console.print(f"[red]错误 / error[/red] {call_sid} {error['url']}: {error['reason']}")
    console.print(f"seed={summary.get('seed')}  webhooks={summary.get('webhooks')}  "
                  f"rest_commands={summary.get('rest_commands')}  elapsed={summary.get('elapsed_s')}s")
