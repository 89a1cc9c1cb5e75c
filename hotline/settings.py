"""Settings from the environment, in one typed object.

Every process (web, RQ worker, CLI, simulator) builds its Settings the same way so
that they agree on the database, Redis, the directory and the keys.

This is the only module that reads the environment (tests/unit/test_architecture.py).
A few values are needed before a Settings can exist, or by code that has none (the
logging set-up, gunicorn's master, the password hasher, the doctor looking at the raw
variables): they have small readers of their own at the end of this module, each taking
an optional mapping so that callers and tests can pass one instead.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from hotline.clock import Clock, parse_clock

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
EMBEDDED_REDIS = "embedded"


def default_instance_dir() -> Path:
    return PROJECT_DIR / "instance"


def default_config_dir() -> Path:
    return PROJECT_DIR / "config"


def default_holidays_dir() -> Path | None:
    """The repository's config/holidays/ (official holiday tables), when it exists."""
    folder = PROJECT_DIR / "config" / "holidays"
    return folder if folder.is_dir() else None


def holidays_dir_from(environ: Mapping[str, str] | None = None) -> Path | None:
    """$HOTLINE_HOLIDAYS_DIR (absolute), else default_holidays_dir(): where cn-<year>.yaml go.

    On its own for commands that need no other setting (and must not create secrets)."""
    value = (os.environ if environ is None else environ).get("HOTLINE_HOLIDAYS_DIR")
    return Path(value).expanduser().resolve() if value else default_holidays_dir()


@dataclass(frozen=True)
class Settings:
    """Everything a Hotline process needs to know about its deployment."""

    instance_dir: Path = field(default_factory=default_instance_dir)
    config_dir: Path = field(default_factory=default_config_dir)
    database_url: str = ""
    redis_url: str = EMBEDDED_REDIS
    redis_prefix: str = "hotline"
    lines_file: Path | None = None
    referrals_file: Path | None = None     # the referral directory (default <config_dir>/referrals.yaml)
    holidays_dir: Path | None = field(default_factory=default_holidays_dir)   # cn-<year>.yaml tables
    public_url: str = "http://127.0.0.1:5000"
    allowed_origins: tuple[str, ...] = ()   # more browser origins than the public URL (internal names)
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_key_sid: str | None = None      # a Standard API key: the console's softphone tokens
    twilio_api_key_secret: str | None = None
    secret_key: str = ""
    data_key: str = ""
    clock: Clock = field(default_factory=Clock)
    testing: bool = False
    socketio_message_queue: bool = True   # fan events out through Redis to every process
    run_background: bool = True           # the ticker thread (offers, timeouts); tests tick by hand
    metrics_multiproc_dir: str | None = None   # PROMETHEUS_MULTIPROC_DIR: /metrics sums every worker
    offer_timeout_s: int = 20
    wrapup_s: int = 60
    continuity_wait_s: int = 30
    queue_announce_every_s: int = 30
    max_queue_wait_s: int = 90
    record_writes: str = "auto"  # who writes call records: see record_writes() below
    service_level_s: int = 20             # the dashboard's service-level threshold (a line's own wins)
    conference_calls: bool = True         # HOTLINE_CONFERENCE_CALLS: an answered call is a conference (off: the two-party bridge)
    show_listening: bool = True           # HOTLINE_SHOW_LISTENING: the counselor sees a listening supervisor

    @property
    def directory_file(self) -> Path:
        return self.lines_file or self.config_dir / "lines.yaml"

    @property
    def referrals_path(self) -> Path:
        return self.referrals_file or self.config_dir / "referrals.yaml"

    @property
    def twilio_live(self) -> bool:
        """True when a real Twilio account is configured (not the simulator)."""
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url == EMBEDDED_REDIS

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def from_env(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Build Settings from HOTLINE_* / TWILIO_* variables, generating local secrets."""
    env = os.environ if environ is None else environ
    instance = Path(env.get("HOTLINE_INSTANCE_DIR") or default_instance_dir())
    config_dir = config_dir_from_env(env)
    values = dict(
        instance_dir=instance,
        config_dir=config_dir,
        database_url=env.get("HOTLINE_DATABASE_URL") or sqlite_url(instance),
        redis_url=env.get("HOTLINE_REDIS_URL") or EMBEDDED_REDIS,
        redis_prefix=env.get("HOTLINE_REDIS_PREFIX") or "hotline",
        lines_file=Path(env["HOTLINE_LINES_FILE"]) if env.get("HOTLINE_LINES_FILE") else None,
        referrals_file=referrals_file_from_env(env),
        holidays_dir=holidays_dir_from(env),
        public_url=(env.get("HOTLINE_PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
        allowed_origins=tuple(o.strip().rstrip("/") for o in (env.get("HOTLINE_ALLOWED_ORIGINS") or "").split(",")
                              if o.strip()),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
        twilio_api_key_sid=env.get("TWILIO_API_KEY_SID") or None,
        twilio_api_key_secret=env.get("TWILIO_API_KEY_SECRET") or None,
        metrics_multiproc_dir=prometheus_multiproc_dir(env),
        secret_key=env.get("HOTLINE_SECRET_KEY") or "",
        data_key=env.get("HOTLINE_DATA_KEY") or "",
        clock=parse_clock(env.get("HOTLINE_NOW")),
        record_writes=record_writes(env),
        conference_calls=_switch(env, "HOTLINE_CONFERENCE_CALLS", True),
        show_listening=_switch(env, "HOTLINE_SHOW_LISTENING", True),
        **_tunables(env),
    )
    values.update(overrides)
    return ensure_secrets(Settings(**values))


TUNABLES = {  # setting → environment variable: timings a center may adjust
    "offer_timeout_s": "HOTLINE_OFFER_TIMEOUT_S",
    "wrapup_s": "HOTLINE_WRAPUP_S",
    "continuity_wait_s": "HOTLINE_CONTINUITY_WAIT_S",
    "queue_announce_every_s": "HOTLINE_QUEUE_ANNOUNCE_S",
    "max_queue_wait_s": "HOTLINE_MAX_QUEUE_WAIT_S",
    "service_level_s": "HOTLINE_SERVICE_LEVEL_SECONDS",
}


SWITCH_WORDS = {"1": True, "true": True, "yes": True, "on": True,
                "0": False, "false": False, "no": False, "off": False}


def _switch(env: Mapping[str, str], variable: str, default: bool) -> bool:
    raw = (env.get(variable) or "").strip().lower()
    if not raw:
        return default
    if raw not in SWITCH_WORDS:
        raise ValueError(f"{variable} 应为 on/off / must be on or off (1/0, true/false, yes/no), got {raw!r}")
    return SWITCH_WORDS[raw]


def _tunables(env: Mapping[str, str]) -> dict[str, int]:
    values = {}
    for name, variable in TUNABLES.items():
        raw = env.get(variable)
        if raw is None or raw == "":
            continue
        if not raw.strip().isdigit() or int(raw) <= 0:
            raise ValueError(f"{variable} 需要正整数秒 / must be a positive number of seconds, got {raw!r}")
        values[name] = int(raw)
    return values


RECORD_WRITES = ("auto", "web", "worker")


def record_writes(environ: Mapping[str, str] | None = None) -> str:
    """HOTLINE_RECORD_WRITES: who writes call records to the database (issue #18).
    "worker": the web process hands each webhook's changes to a Redis stream and `hotline
    worker` writes them in batches, off the web processes and safe from a web crash; "web": a
    write-behind thread in each web process; "auto" (the default): the stream while a `hotline
    worker` is writing it, the web process's own thread while none is (nothing piles up unseen
    on a deployment that runs no worker)."""
    raw = (_env(environ).get("HOTLINE_RECORD_WRITES") or "auto").strip().lower()
    if raw not in RECORD_WRITES:
        raise ValueError(f"HOTLINE_RECORD_WRITES 只能是 auto、web 或 worker / must be auto, web or worker, "
                         f"got {raw!r}")
    return raw


def sqlite_url(instance: Path) -> str:
    return f"sqlite:///{instance / 'hotline.db'}"


def ensure_secrets(settings: Settings) -> Settings:
    """Fill unset keys from files in instance/, creating them once (0600)."""
    changes = {}
    if not settings.secret_key:
        changes["secret_key"] = _instance_secret(settings.instance_dir, "secret_key")
    if not settings.data_key:
        changes["data_key"] = _instance_secret(settings.instance_dir, "data_key")
    if not settings.twilio_auth_token:
        # The simulator signs webhooks with this token, so the check is never off.
        changes["twilio_auth_token"] = _instance_secret(settings.instance_dir, "simulator_token")
    return replace(settings, **changes) if changes else settings


def _instance_secret(instance: Path, name: str) -> str:
    path = instance / name
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def testing_settings(tmp_dir: Path, **overrides) -> Settings:
    """A TestingConfig: private instance dir, SQLite file, fixed keys, no env leaks."""
    values = dict(
        instance_dir=tmp_dir,
        database_url=sqlite_url(tmp_dir),
        secret_key="test-secret-key",
        data_key="test-data-key-0123456789abcdefghijklmnop",
        twilio_auth_token="test-auth-token",
        twilio_account_sid=None,
        testing=True,
        socketio_message_queue=False,
        run_background=False,
    )
    values.update(overrides)
    return Settings(**values)


# --- values read outside a Settings object ---------------------------------------------------

MAX_PROXIES = 5


def environment() -> Mapping[str, str]:
    """The process environment itself, for `hotline doctor`, which judges the raw variables
    (placeholders left in, Twilio API keys, gunicorn's) rather than a parsed Settings."""
    return os.environ


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def config_dir_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """HOTLINE_CONFIG_DIR, or the repository's config/: Settings.config_dir without building a
    Settings (which would generate instance secrets), for `hotline triage`."""
    return Path(_env(environ).get("HOTLINE_CONFIG_DIR") or default_config_dir())


def referrals_file_from_env(environ: Mapping[str, str] | None = None) -> Path | None:
    """HOTLINE_REFERRALS_FILE: where the referral directory lives (what `hotline referrals
    import` writes); None: <config dir>/referrals.yaml."""
    value = _env(environ).get("HOTLINE_REFERRALS_FILE")
    return Path(value) if value else None


def referrals_path_from_env(environ: Mapping[str, str] | None = None) -> Path:
    return referrals_file_from_env(environ) or config_dir_from_env(environ) / "referrals.yaml"


def log_level(environ: Mapping[str, str] | None = None, default: str = "INFO") -> str:
    """HOTLINE_LOG_LEVEL (upper-cased), else `default`."""
    return (_env(environ).get("HOTLINE_LOG_LEVEL") or default).upper()


def log_format(value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """HOTLINE_LOG_FORMAT (or `value`): text (the default) or json; anything else is a
    start-up error naming the variable."""
    raw = (value if value is not None else _env(environ).get("HOTLINE_LOG_FORMAT", "")).strip().lower()
    if raw in ("", "text"):
        return "text"
    if raw == "json":
        return "json"
    raise ValueError(f"HOTLINE_LOG_FORMAT 只能是 text 或 json / must be text or json, got {raw!r}")


def trusted_proxies(environ: Mapping[str, str] | None = None) -> int:
    """HOTLINE_TRUSTED_PROXIES: how many reverse proxies are in front of the app (0: none)."""
    raw = (_env(environ).get("HOTLINE_TRUSTED_PROXIES") or "0").strip()
    if not raw.isdigit() or int(raw) > MAX_PROXIES:
        raise ValueError(f"HOTLINE_TRUSTED_PROXIES 需要 0 到 {MAX_PROXIES} 的整数（代理层数）/ must be a whole "
                         f"number 0–{MAX_PROXIES} (how many proxies are in front), got {raw!r}")
    return int(raw)


def migrate_on_start(environ: Mapping[str, str] | None = None) -> bool:
    """HOTLINE_MIGRATE_ON_START: apply migrations when the web service starts (default on)."""
    raw = (_env(environ).get("HOTLINE_MIGRATE_ON_START") or "1").strip().lower()
    return raw not in ("0", "false", "no", "off")


def prometheus_multiproc_dir(environ: Mapping[str, str] | None = None) -> str | None:
    """PROMETHEUS_MULTIPROC_DIR: set under a multi-worker server, so /metrics sums workers."""
    return _env(environ).get("PROMETHEUS_MULTIPROC_DIR") or None


def argon2_profile(environ: Mapping[str, str] | None = None) -> str:
    """HOTLINE_ARGON2_PROFILE: "test" (the test suite only: cheap hashes) or "" (the default)."""
    return _env(environ).get("HOTLINE_ARGON2_PROFILE") or ""


def given_public_url(environ: Mapping[str, str] | None = None) -> str | None:
    """HOTLINE_PUBLIC_URL as set, or None when unset (Settings.public_url has a default)."""
    return _env(environ).get("HOTLINE_PUBLIC_URL") or None
