"""`hotline doctor`: is this deployment's configuration able to take calls?

Checks run in order from the settings outward (settings, public URL, Twilio, the clock and
the holiday tables, keys, proxy, processes, then database, Redis, directory). Failures are
things that will break calls or the console; warnings are risks (a test clock, keys on
local disk, an embedded Redis in production, next year's holiday table missing from
1 November). Nothing is written, started or sent over the network beyond the
configured database and Redis.
"""
from __future__ import annotations

from typing import Mapping

from hotline.cli.doctor import probes, settings_checks as sc, twilio_checks
from hotline.cli.doctor.report import SKIP, Check, Report


def run_checks(env: Mapping[str, str], production: bool | None = None) -> Report:
    loaded = sc.load_settings(env)
    if loaded.settings is None:
        report = Report(bool(production), "设置无效 / settings invalid", [loaded.check])
        report.checks.append(Check("其余检查 / other checks", SKIP, "设置无法读取，已跳过 / skipped: settings "
                                   "could not be read"))
        return report
    settings = loaded.settings
    is_production, reason = sc.production_mode(settings, env, production)
    checks = [loaded.check,
              sc.check_placeholders(env),
              sc.check_public_url(settings, is_production),
              twilio_checks.check_twilio(env, is_production),
              twilio_checks.check_softphone(env),
              sc.check_clock(settings),
              sc.check_holiday_tables(settings),
              sc.check_password_hashing(env),
              sc.check_keys(loaded, is_production),
              sc.check_proxy(env, is_production),
              sc.check_processes(env),
              probes.check_database(settings, is_production),
              probes.check_redis(settings, is_production, sc.web_workers(env)),
              probes.check_directory(settings)]
    return Report(is_production, reason, checks)
