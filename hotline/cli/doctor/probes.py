"""Checks that reach out: the database, Redis and the directory file.

Each opens its own short-lived connection with a short timeout and closes it, and none
creates anything: a missing SQLite file is reported, not made; an embedded Redis that is
not running is reported, not started.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from hotline.cli.doctor.report import FAIL, OK, WARN, Check, Finding, combine
from hotline.routing.directory_loader import DirectoryError, load_directory
from hotline.settings import Settings
from hotline.store.migrate import pending

TIMEOUT_S = 3
MIGRATE_FIX = ("运行 hotline db upgrade（gunicorn 启动时也会迁移）/ run `hotline db upgrade` (the web service "
               "also migrates when it starts)")


def check_database(settings: Settings, production: bool) -> Check:
    name = "数据库 / database"
    url = settings.database_url
    shown = _hide_password(url)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        if not Path(url.removeprefix("sqlite:///")).exists():
            return Check(name, FAIL, f"数据库文件不存在 / file does not exist: {shown}", MIGRATE_FIX)
    try:
        _ping(url)
    except Exception as exc:  # any driver error: report it, do not crash the doctor
        return Check(name, FAIL, f"无法连接 / cannot connect to {shown}: {_short(exc)}",
                     "检查 HOTLINE_DATABASE_URL、数据库是否运行、用户与密码 / check HOTLINE_DATABASE_URL, that the "
                     "server runs, and the user and password")
    findings = [_migrations(url)]
    if production and url.startswith("sqlite"):
        findings.append(Finding(WARN, "生产环境使用 SQLite / SQLite in production: one machine, no concurrent "
                                "writers from several hosts", "改用 PostgreSQL / use PostgreSQL"))
    return combine(name, findings, f"可连接，迁移已是最新 / reachable, migrations up to date ({shown})")


def _ping(url: str) -> None:
    connect_args = {"connect_timeout": TIMEOUT_S} if url.startswith("postgresql") else {}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def _migrations(url: str) -> Finding:
    try:
        revisions = pending(url)
    except Exception as exc:
        return Finding(FAIL, f"无法读取迁移版本 / cannot read the schema version: {_short(exc)}", MIGRATE_FIX)
    if revisions:
        return Finding(FAIL, f"有 {len(revisions)} 个迁移未执行 / {len(revisions)} migration(s) pending: "
                       f"{', '.join(revisions)}", MIGRATE_FIX)
    return Finding(OK, "")


def check_redis(settings: Settings, production: bool, workers: int) -> Check:
    name = "Redis"
    if settings.embedded_redis:
        return _embedded(settings, production, workers)
    shown = _hide_password(settings.redis_url)
    try:
        client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S)
        try:
            client.ping()
            version = client.info("server").get("redis_version", "?")
            policy = _eviction_policy(client)
        finally:
            client.close()
    except Exception as exc:
        return Check(name, FAIL, f"无法连接 / cannot connect to {shown}: {_short(exc)}",
                     "检查 HOTLINE_REDIS_URL 与 Redis 服务 / check HOTLINE_REDIS_URL and that Redis runs")
    findings = []
    if policy not in (None, "noeviction"):
        findings.append(Finding(WARN, f"maxmemory-policy={policy}：内存满时可能丢弃排队来电 / Redis may evict "
                                "queued calls and presence when memory is full",
                                "设 maxmemory-policy noeviction / set maxmemory-policy noeviction"))
    return combine(name, findings, f"可连接 / reachable: {shown} (Redis {version})")


def _embedded(settings: Settings, production: bool, workers: int) -> Check:
    socket = settings.instance_dir / "redis.sock"
    try:
        running = bool(redis.Redis(unix_socket_path=str(socket), socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        running = False
    zh, en = ("运行中", "running") if running else ("未运行，首次使用时启动", "not running; starts on first use")
    message = f"嵌入式 Redis（{socket}）{zh} / embedded Redis {en}"
    if not production and workers == 1:
        return Check("Redis", OK, message)
    several = f"，且配置了 {workers} 个进程 / with {workers} processes configured" if workers > 1 else ""
    return Check("Redis", WARN, f"{message}：只限单机、不持久化{several} / one machine only, not persistent",
                 "生产环境设 HOTLINE_REDIS_URL 指向独立的 Redis / set HOTLINE_REDIS_URL to a Redis server")


def _eviction_policy(client) -> str | None:
    try:
        return client.config_get("maxmemory-policy").get("maxmemory-policy")
    except Exception:  # managed Redis often forbids CONFIG: not a problem to report
        return None


def check_directory(settings: Settings) -> Check:
    name = "热线目录 / directory"
    path = settings.directory_file
    try:
        directory = load_directory(path, holidays_dir=settings.holidays_dir)
    except DirectoryError as exc:
        shown = exc.problems[:8] + ([f"… 另有 {len(exc.problems) - 8} 处 / and {len(exc.problems) - 8} more"]
                                    if len(exc.problems) > 8 else [])
        return Check(name, FAIL, f"{path} 无效 / is not valid: " + "；".join(shown),
                     f"运行 hotline lines check {path} 查看全部问题 / run `hotline lines check {path}` for all problems")
    numbers = sum(1 for _ in directory.numbers())
    if not len(directory):
        return Check(name, FAIL, f"{path} 没有热线 / lists no lines", "至少写一条热线 / list at least one line")
    return Check(name, OK, f"{len(directory)} 条热线，{numbers} 个号码 / {len(directory)} lines, "
                           f"{numbers} numbers ({path})")


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _short(exc: Exception) -> str:
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
