"""`hotline simulate`: play Twilio against a running Hotline (demo, tests, load tests)."""
from __future__ import annotations

import json
import logging
import sys

import click

from hotline.devtools.simulator.config import SimConfig, Timing
from hotline.devtools.simulator.report import ProgressView, print_summary
from hotline.devtools.simulator.runner import simulate as run_simulation
from hotline.devtools.simulator.targets import load_all_targets, select
from hotline.live.embedded import resolve_redis_url
from hotline.logging_setup import configure_logging
from hotline.settings import from_env, given_public_url, log_level

log = logging.getLogger(__name__)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _targets(settings, lines: str | None, numbers: str | None):
    """The numbers to dial. With --numbers the directory only adds line and region, so a
    missing or unreadable directory is no obstacle then."""
    try:
        everything = load_all_targets(settings.directory_file)
    except (ValueError, OSError) as exc:
        if not numbers:
            raise click.BadParameter(str(exc), param_hint="HOTLINE_LINES_FILE") from None
        log.debug("directory not loaded (%s); dialling --numbers as given", exc)
        everything = []
    try:
        return tuple(select(everything, _split(lines), _split(numbers)))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--lines/--numbers") from None


def _redis_url(settings, option: str | None) -> str | None:
    if option:
        return None if option.lower() == "none" else option
    if settings.embedded_redis:
        return resolve_redis_url(settings)
    return settings.redis_url


@click.command("simulate")
@click.option("--url", "urls", multiple=True, help="Hotline 服务地址，可重复（轮询） / server base URL, repeatable (round-robin)")
@click.option("--public-url", help="签名用的公开地址 / base URL used for signing [HOTLINE_PUBLIC_URL or first --url]")
@click.option("--auth-token", help="签名密钥 / signing token [TWILIO_AUTH_TOKEN or instance/simulator_token]")
@click.option("--account-sid", help="AccountSid [TWILIO_ACCOUNT_SID or random per run]")
@click.option("--calls", default=10, show_default=True, type=click.IntRange(min=0), help="来电数 / number of calls")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), help="每秒来电 / calls per second (Poisson)")
@click.option("--concurrency", default=10, show_default=True, type=click.IntRange(min=1), help="同时通话上限 / max live calls")
@click.option("--seed", type=int, help="随机种子（可重放） / random seed (replayable)")
@click.option("--lines", help="只拨这些线路 / only these line ids, comma-separated")
@click.option("--numbers", help="只拨这些号码 / only these numbers, comma-separated")
@click.option("--digits", default="random", show_default=True,
              help="按键脚本，每个 Gather 一项：'1'、'random'、'-'=不按 / keys per Gather in order, e.g. '1,-'")
@click.option("--patience-mean", default=60.0, show_default=True, type=click.FloatRange(min=0),
              help="排队耐心均值（秒，0=无限） / mean patience in queue (s, 0 = infinite)")
@click.option("--patience-dist", default="exp", show_default=True, type=click.Choice(["exp", "lognormal"]))
@click.option("--talk-mean", default=120.0, show_default=True, type=click.FloatRange(min=0), help="通话时长均值 / mean talk time (s)")
@click.option("--time-scale", default=1.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="时间倍率 / multiply every simulated duration by this")
@click.option("--forever", is_flag=True, help="持续来电直到 Ctrl-C（需 --rate） / keep calling until Ctrl-C (needs --rate)")
@click.option("--redis-url", help="REST 命令所在 Redis（'none'=不处理） / Redis for REST commands ('none' = off)")
@click.option("--redis-prefix", help="Redis 键前缀 / key prefix [HOTLINE_REDIS_PREFIX]")
@click.option("--retry-status-prob", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="重复发送最终状态回调的概率 / chance to re-send a final status callback")
@click.option("--repeat-fraction", default=0.1, show_default=True, type=click.FloatRange(0, 1),
              help="重复来电者比例 / share of repeat callers")
@click.option("--http-timeout", default=15.0, show_default=True, type=click.FloatRange(min=0, min_open=True))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果 / print the summary as one JSON object")
@click.option("--progress/--no-progress", default=None, help="进度条（默认：终端时显示） / progress bar [on a terminal]")
def simulate(urls, public_url, auth_token, account_sid, calls, rate, concurrency, seed, lines, numbers, digits,
             patience_mean, patience_dist, talk_mean, time_scale, forever, redis_url, redis_prefix,
             retry_status_prob, repeat_fraction, http_timeout, as_json, progress) -> None:
    """模拟 Twilio 来电 / simulate Twilio calls against a running Hotline.

    \b
    例 / examples:
      hotline simulate --calls 50 --concurrency 20 --time-scale 0.1
      hotline simulate --forever --rate 0.2            # 演示：平稳来电 / the demo's gentle stream
      hotline simulate --url http://127.0.0.1:5001 --url http://127.0.0.1:5002 --public-url https://hotline.example.org --json
    """
    configure_logging(log_level(default="WARNING"))
    config = _config(urls=urls, public_url=public_url, auth_token=auth_token, account_sid=account_sid, calls=calls,
                     rate=rate, concurrency=concurrency, seed=seed, lines=lines, numbers=numbers, digits=digits,
                     timing=Timing(time_scale=time_scale, patience_mean=patience_mean,
                                   patience_dist=patience_dist, talk_mean=talk_mean),
                     forever=forever, redis_url=redis_url, redis_prefix=redis_prefix,
                     retry_status_prob=retry_status_prob, repeat_fraction=repeat_fraction, http_timeout=http_timeout)
    show = sys.stderr.isatty() if progress is None else progress
    with ProgressView(None if forever else calls, enabled=show) as view:
        summary = run_simulation(config, on_call_done=view.call_done, handle_signals=True)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        print_summary(summary)
    if summary["errors"]:
        sys.exit(1)     # a healthy Hotline never fails a webhook


def _config(*, urls, public_url, auth_token, account_sid, lines, numbers, redis_url, redis_prefix,
            **options) -> SimConfig:
    """Options, completed from the environment (settings) where left out."""
    settings = from_env()
    urls = tuple(urls) or (settings.public_url,)
    try:
        return SimConfig(urls=urls, public_url=(public_url or _public_default(urls)).rstrip("/"),
                         auth_token=auth_token or settings.twilio_auth_token,
                         account_sid=account_sid or settings.twilio_account_sid or "",
                         targets=_targets(settings, lines, numbers), redis_url=_redis_url(settings, redis_url),
                         redis_prefix=redis_prefix or settings.redis_prefix, **options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _public_default(urls: tuple[str, ...]) -> str:
    return (given_public_url() or urls[0]).rstrip("/")
