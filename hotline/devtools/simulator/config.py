"""Everything one simulator run needs, as plain frozen data (built by the CLI or tests)."""
from __future__ import annotations

from dataclasses import dataclass, field

from hotline.devtools.simulator.targets import Target

INFINITE = 0.0   # --patience-mean 0: callers never give up


@dataclass(frozen=True)
class Timing:
    """How long callers take, in simulated seconds; `time_scale` turns them into real ones."""

    time_scale: float = 1.0
    patience_mean: float = 60.0       # 0 = infinite patience
    patience_dist: str = "exp"        # exp | lognormal
    talk_mean: float = 120.0
    say_per_char: float = 0.15
    say_cap: float = 20.0
    play_s: float = 10.0              # one pass of a <Play> (hold music, relaxation audio)
    think_s: float = 1.0              # time to press keys at a <Gather>
    ring_s: tuple[float, float] = (1.0, 4.0)
    message_s: tuple[float, float] = (5.0, 30.0)

    def real(self, seconds: float) -> float:
        return max(0.0, seconds) * self.time_scale


@dataclass(frozen=True)
class SimConfig:
    urls: tuple[str, ...]
    public_url: str
    auth_token: str
    targets: tuple[Target, ...]
    account_sid: str = ""
    calls: int = 10
    rate: float | None = None
    concurrency: int = 10
    seed: int | None = None
    digits: str = "random"
    timing: Timing = field(default_factory=Timing)
    forever: bool = False
    redis_url: str | None = None
    redis_prefix: str = "hotline"
    retry_status_prob: float = 0.0
    repeat_fraction: float = 0.1
    mobile_fraction: float = 0.6
    http_timeout: float = 15.0
    incoming_path: str = "/voice/incoming"
    status_path: str = "/voice/status"

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValueError("; ".join(problems))


def _problems(config: SimConfig) -> list[str]:
    problems = []
    if not config.urls:
        problems.append("至少需要一个 --url / at least one --url")
    if not config.targets:
        problems.append("没有可拨打的号码 / no numbers to call")
    if config.forever and not config.rate:
        problems.append("--forever 需要 --rate / --forever needs --rate")
    if config.concurrency < 1 or config.calls < 0:
        problems.append("--concurrency ≥ 1, --calls ≥ 0")
    if config.rate is not None and config.rate <= 0:
        problems.append("--rate 必须大于 0 / --rate must be > 0")
    if not 0 <= config.retry_status_prob <= 1 or not 0 <= config.repeat_fraction <= 1:
        problems.append("概率必须在 0 与 1 之间 / probabilities must be within 0..1")
    if config.timing.time_scale <= 0:
        problems.append("--time-scale 必须大于 0 / --time-scale must be > 0")
    return problems
