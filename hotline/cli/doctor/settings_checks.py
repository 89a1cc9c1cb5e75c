"""Checks that read the settings only: no database, Redis or network.

The doctor must not change the deployment it examines: secrets that from_env would
generate into instance/ are replaced by a placeholder here, never written.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hotline.cli.doctor.report import FAIL, OK, WARN, Check, Finding, combine
from hotline.settings import Settings, default_instance_dir, from_env, log_format, trusted_proxies
from hotline.store.privacy import DataKeyError, DataKeyring
from hotline.routing.calendar.holidays import HolidayTableError, load_china_calendar
from hotline.routing.calendar.table_warning import missing_table_warning

NOT_GENERATED = "<not generated yet>"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
# setting field → (environment variable, file ensure_secrets would create in instance/)
INSTANCE_SECRETS = {"secret_key": ("HOTLINE_SECRET_KEY", "secret_key"),
                    "data_key": ("HOTLINE_DATA_KEY", "data_key"),
                    "twilio_auth_token": ("TWILIO_AUTH_TOKEN", "simulator_token")}


@dataclass
class Loaded:
    """Settings as the doctor read them, and where each secret came from."""

    settings: Settings | None
    check: Check
    from_files: set[str] = field(default_factory=set)    # read from instance/
    missing: set[str] = field(default_factory=set)       # would be generated at first start


def load_settings(env: Mapping[str, str]) -> Loaded:
    instance = Path(env.get("HOTLINE_INSTANCE_DIR") or default_instance_dir())
    from_files, missing, overrides = set(), set(), {}
    for name, (variable, filename) in INSTANCE_SECRETS.items():
        if env.get(variable):
            continue
        if (instance / filename).exists():
            from_files.add(name)
        else:
            missing.add(name)
            overrides[name] = NOT_GENERATED
    try:
        settings = from_env(env, **overrides)
        _other_variables(env)
    except Exception as exc:  # from_env and friends name the variable in their message
        return Loaded(None, Check("设置 / settings", FAIL, f"无法解析 / cannot be read: {exc}",
                                  "修正上面指出的变量（说明见 config/systemd/hotline.env.example）/ correct the "
                                  "variable named above (config/systemd/hotline.env.example documents each)"))
    check = Check("设置 / settings", OK, f"可解析 / parsed (instance: {settings.instance_dir})")
    return Loaded(settings, check, from_files, missing)


def _other_variables(env: Mapping[str, str]) -> None:
    """Variables read outside Settings (logging, proxies, gunicorn): fail here, not at start."""
    log_format(env.get("HOTLINE_LOG_FORMAT", ""))
    trusted_proxies(env)
    web_workers(env)


def web_workers(env: Mapping[str, str]) -> int:
    raw = (env.get("HOTLINE_WEB_WORKERS") or "1").strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"HOTLINE_WEB_WORKERS 需要正整数 / must be a positive whole number, got {raw!r}")
    return int(raw)


def production_mode(settings: Settings, env: Mapping[str, str], flag: bool | None) -> tuple[bool, str]:
    """Production when asked, or when Twilio is configured, or the public URL is not local."""
    if flag is not None:
        return flag, "--production" if flag else "--development"
    if env.get("TWILIO_ACCOUNT_SID"):
        return True, "TWILIO_ACCOUNT_SID 已设置 / is set"
    host = urlsplit(settings.public_url).hostname or ""
    if host not in LOOPBACK:
        return True, f"公网地址 / public URL host {host}"
    return False, "本机地址且无 Twilio / local public URL, no Twilio account"


def check_public_url(settings: Settings, production: bool) -> Check:
    url = settings.public_url
    parts = urlsplit(url)
    findings = []
    if parts.scheme not in ("http", "https") or not parts.hostname:
        findings.append(Finding(FAIL, f"HOTLINE_PUBLIC_URL 不是完整网址 / is not an absolute URL: {url!r}",
                                "写成 https://主机名 / write it as https://host.name"))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        findings.append(Finding(FAIL, f"HOTLINE_PUBLIC_URL 不能带路径或参数 / must not carry a path or query: {url!r}",
                                "Hotline 的路由在根路径：只写协议和主机 / Hotline serves from the root: scheme and "
                                "host only; signatures are computed on this URL + /voice/…"))
    if production and parts.scheme == "http":
        findings.append(Finding(FAIL, "生产环境需要 https / production needs https",
                                "在 nginx 上配置 TLS，并把 HOTLINE_PUBLIC_URL 设为 https://… / terminate TLS in "
                                "nginx and set HOTLINE_PUBLIC_URL to the https:// address"))
    findings += _reachability(parts.hostname or "", settings.twilio_live)
    webhook = f"{url}/voice/incoming"
    return combine("公网地址 / public URL", findings,
                   f"{url}（来电 webhook / incoming-call webhook: POST {webhook}）")


def _reachability(host: str, twilio_live: bool) -> list[Finding]:
    if not twilio_live:
        return []
    if host in LOOPBACK:
        return [Finding(FAIL, f"Twilio 无法访问 {host} / Twilio cannot reach {host}",
                        "设为 Twilio 调用的外部地址（须与号码 webhook 完全一致）/ set it to the external URL "
                        "Twilio calls (exactly as in the number's webhook)")]
    try:
        private = ipaddress.ip_address(host).is_private
    except ValueError:
        private = False
    if private:
        return [Finding(WARN, f"{host} 是内网地址 / is a private address: Twilio cannot reach it directly",
                        "确认有公网入口转发到此地址 / make sure a public entry forwards to it")]
    return []


def check_clock(settings: Settings) -> Check:
    if settings.clock.is_real:
        return Check("时钟 / clock", OK, "真实时间 / real time")
    described = settings.clock.describe()
    return Check("时钟 / clock", WARN,
                 f"!!! HOTLINE_NOW 生效：时钟为 {described}，路由与排班按此时间 / HOTLINE_NOW is set: clock is "
                 f"{described}; calls are routed by this time, not the real one !!!",
                 "正式服务前删除 HOTLINE_NOW / unset HOTLINE_NOW before taking real calls")


def check_holiday_tables(settings: Settings) -> Check:
    """The official holiday tables: readable, and next year's present from 1 November."""
    name = "节假日表 / holiday tables"
    folder = settings.holidays_dir
    if folder is not None and not folder.is_dir():
        return Check(name, WARN, f"HOTLINE_HOLIDAYS_DIR 不是目录 / is not a directory: {folder}",
                     "改为放 cn-<year>.yaml 的目录 / point it at the directory holding cn-<year>.yaml")
    try:
        calendar = load_china_calendar(settings.holidays_dir)    # the files as they are now
    except HolidayTableError as exc:
        return Check(name, FAIL, str(exc), "按 config/holidays/README.md 修正该文件 / fix the file as "
                                           "config/holidays/README.md describes")
    today = settings.clock.now().astimezone(ZoneInfo("Asia/Shanghai")).date()
    missing = missing_table_warning(today, calendar)
    if missing is not None:
        return Check(name, WARN, missing.message, f"添加 / add {missing.path}")
    return Check(name, OK, f"{today.year} 年有官方放假安排 / official table for {today.year} present "
                           f"({settings.holidays_dir or '—'})")


def check_password_hashing(env: Mapping[str, str]) -> Check:
    """The test suite's cheap argon2 parameters must never reach a deployment."""
    if env.get("HOTLINE_ARGON2_PROFILE") == "test":
        return Check("密码哈希 / password hashing", FAIL,
                     "HOTLINE_ARGON2_PROFILE=test：密码哈希参数过弱（仅供测试）/ weak hashing parameters "
                     "meant for the test suite only", "删除此变量 / unset HOTLINE_ARGON2_PROFILE")
    return Check("密码哈希 / password hashing", OK, "argon2id（推荐参数 / recommended parameters）")


def check_keys(loaded: Loaded, production: bool) -> Check:
    settings = loaded.settings
    findings: list[Finding] = []
    if "data_key" in loaded.missing:
        findings.append(Finding(WARN if production else OK,
                                "HOTLINE_DATA_KEY 未设置，首次启动时生成到 instance/data_key / unset: generated into "
                                "instance/data_key at first start"))
    else:
        try:
            keyring = DataKeyring.from_setting(settings.data_key)
            findings.append(Finding(OK, f"HOTLINE_DATA_KEY：{keyring!r}（最新在前 / newest first）"))
        except DataKeyError as exc:
            findings.append(Finding(FAIL, str(exc), "用 python -c \"from hotline.store.privacy import generate_data_key; "
                                    "print(generate_data_key())\" 生成 / generate one with that command"))
    if production and (loaded.from_files & {"secret_key", "data_key"}):
        names = ", ".join(sorted(f"instance/{n}" for n in loaded.from_files & {"secret_key", "data_key"}))
        findings.append(Finding(WARN, f"密钥来自文件 / keys read from files: {names}",
                                "把 HOTLINE_SECRET_KEY 和 HOTLINE_DATA_KEY 放入 hotline.env 并另行备份；丢失数据密钥"
                                "则笔记无法解密 / put them in hotline.env and back them up apart from the data: "
                                "without HOTLINE_DATA_KEY the notes cannot be decrypted"))
    if settings.secret_key != NOT_GENERATED and len(settings.secret_key) < 32:
        findings.append(Finding(WARN, "HOTLINE_SECRET_KEY 少于 32 个字符 / is shorter than 32 characters",
                                "换一个更长的随机值 / use a longer random value"))
    return combine("密钥 / keys", findings, "已配置 / configured")


def check_proxy(env: Mapping[str, str], production: bool) -> Check:
    count = trusted_proxies(env)
    if count or not production:
        return Check("反向代理 / proxy", OK, f"HOTLINE_TRUSTED_PROXIES={count}")
    return Check("反向代理 / proxy", WARN,
                 "HOTLINE_TRUSTED_PROXIES=0：在 nginx 后面时所有客户端都显示为 127.0.0.1 / behind nginx every "
                 "client looks like 127.0.0.1 (one sign-in limit for everyone)",
                 "在 nginx 后面设 HOTLINE_TRUSTED_PROXIES=1 / set HOTLINE_TRUSTED_PROXIES=1 behind nginx")


def check_processes(env: Mapping[str, str]) -> Check:
    workers = web_workers(env)
    if workers == 1:
        return Check("进程 / processes", OK, "每个 gunicorn 实例 1 个工作进程 / 1 worker per gunicorn instance")
    return Check("进程 / processes", WARN,
                 f"HOTLINE_WEB_WORKERS={workers}：Socket.IO 长轮询需要粘性会话，gunicorn 做不到 / Socket.IO "
                 "long-polling needs sticky sessions, which gunicorn cannot give",
                 "改为多个单进程实例（hotline-web@8001、@8002…）由 nginx ip_hash 分发 / run several one-worker "
                 "instances (hotline-web@8001, @8002, …) behind nginx ip_hash instead")


def check_placeholders(env: Mapping[str, str]) -> Check:
    """Values still holding the example's CHANGE-ME: copied, never filled in."""
    names = sorted(k for k, v in env.items() if k.startswith(("HOTLINE_", "TWILIO_")) and "CHANGE-ME" in (v or ""))
    if not names:
        return Check("示例值 / placeholders", OK, "无 / none left")
    return Check("示例值 / placeholders", FAIL, f"仍是示例中的 CHANGE-ME / still CHANGE-ME: {', '.join(names)}",
                 "填入真实的值（见 config/systemd/hotline.env.example 的说明）/ fill in real values (see the "
                 "comments in config/systemd/hotline.env.example)")
