"""The doctor's settings-only checks: verdicts, bilingual messages, fixes."""
from __future__ import annotations

import json

import pytest

from hotline.cli.doctor import settings_checks as sc
from hotline.cli.doctor.report import FAIL, OK, WARN, Check, Finding, Report, combine
from hotline.cli.doctor.twilio_checks import check_softphone, check_twilio
from hotline.settings import from_env

SID, TOKEN = "AC" + "ab" * 16, "cd" * 16
KEY_SID, KEY_SECRET = "SK" + "ef" * 16, "Abc123" * 5 + "xy"
LIVE = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN}


def _settings(tmp_path, **env):
    return from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_SECRET_KEY": "s" * 40,
                     "HOTLINE_DATA_KEY": "d" * 40, **env})


def test_twilio_shapes(tmp_path):
    assert check_twilio({}, production=False).status == OK
    assert check_twilio({}, production=True).status == WARN
    good = check_twilio(LIVE, production=True)
    assert good.status == OK and "需要联网" in good.message and "needs network" in good.message
    bad = check_twilio({"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "secret"}, production=True)
    assert bad.status == FAIL and "AC + 32" in bad.message and "32 hex" in bad.message
    assert check_twilio({"TWILIO_ACCOUNT_SID": SID}, production=True).status == FAIL
    assert check_twilio({"TWILIO_AUTH_TOKEN": TOKEN}, production=False).status == WARN


def test_softphone_key(tmp_path):
    assert check_softphone({}).status == OK
    missing = check_softphone(LIVE)
    assert missing.status == FAIL and "TWILIO_API_KEY_SID" in missing.message and missing.fix
    assert check_softphone({**LIVE, "TWILIO_API_KEY_SID": KEY_SID, "TWILIO_API_KEY_SECRET": KEY_SECRET}).status == OK
    assert check_softphone({**LIVE, "TWILIO_API_KEY_SID": KEY_SID}).status == FAIL
    assert check_softphone({**LIVE, "TWILIO_API_KEY_SID": "SK1", "TWILIO_API_KEY_SECRET": KEY_SECRET}).status == FAIL


@pytest.mark.parametrize("url,env,production,status,words", [
    ("https://hotline.example.org", LIVE, True, OK, "voice/incoming"),
    ("https://hotline.example.org/hotline", {}, True, FAIL, "path"),
    ("http://hotline.example.org", {}, True, FAIL, "https"),
    ("http://127.0.0.1:5000", {}, False, OK, "127.0.0.1"),
    ("https://127.0.0.1:5000", LIVE, True, FAIL, "cannot reach"),
    ("https://10.0.0.5", LIVE, True, WARN, "private"),
])
def test_public_url(tmp_path, url, env, production, status, words):
    check = sc.check_public_url(_settings(tmp_path, HOTLINE_PUBLIC_URL=url, **env), production)
    assert check.status == status, check
    assert words in check.message


def test_a_set_clock_warns_loudly(tmp_path):
    assert sc.check_clock(_settings(tmp_path)).status == OK
    check = sc.check_clock(_settings(tmp_path, HOTLINE_NOW="2026-10-01T08:00+08:00"))
    assert check.status == WARN and check.message.startswith("!!!") and "HOTLINE_NOW" in check.fix


def test_production_mode(tmp_path):
    local = _settings(tmp_path)
    assert sc.production_mode(local, {}, None)[0] is False
    assert sc.production_mode(local, {}, True) == (True, "--production")
    assert sc.production_mode(local, LIVE, None)[0] is True
    assert sc.production_mode(_settings(tmp_path, HOTLINE_PUBLIC_URL="https://h.example"), {}, None)[0] is True


def test_load_settings_writes_nothing_and_reports_where_keys_come_from(tmp_path):
    loaded = sc.load_settings({"HOTLINE_INSTANCE_DIR": str(tmp_path / "instance")})
    assert loaded.check.status == OK
    assert loaded.missing == {"secret_key", "data_key", "twilio_auth_token"}
    assert not (tmp_path / "instance").exists()
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "data_key").write_text("k" * 40)
    loaded = sc.load_settings({"HOTLINE_INSTANCE_DIR": str(tmp_path / "instance")})
    assert loaded.from_files == {"data_key"}
    warned = sc.check_keys(loaded, production=True)
    assert warned.status == WARN and "instance/data_key" in warned.message


@pytest.mark.parametrize("variable,value", [("HOTLINE_NOW", "tomorrow"), ("HOTLINE_WRAPUP_S", "soon"),
                                            ("HOTLINE_LOG_FORMAT", "xml"), ("HOTLINE_TRUSTED_PROXIES", "all"),
                                            ("HOTLINE_WEB_WORKERS", "0")])
def test_unreadable_settings_name_the_variable(tmp_path, variable, value):
    loaded = sc.load_settings({"HOTLINE_INSTANCE_DIR": str(tmp_path), variable: value})
    assert loaded.settings is None and loaded.check.status == FAIL
    assert variable in loaded.check.message and "hotline.env.example" in loaded.check.fix


def test_short_data_key_fails(tmp_path):
    loaded = sc.load_settings({"HOTLINE_INSTANCE_DIR": str(tmp_path), "HOTLINE_DATA_KEY": "short",
                               "HOTLINE_SECRET_KEY": "x" * 40})
    check = sc.check_keys(loaded, production=False)
    assert check.status == FAIL and "HOTLINE_DATA_KEY" in check.message


def test_placeholders_proxy_and_processes():
    assert sc.check_placeholders({"HOTLINE_DATA_KEY": "CHANGE-ME"}).status == FAIL
    assert sc.check_placeholders({"PATH": "CHANGE-ME"}).status == OK
    assert sc.check_proxy({}, production=True).status == WARN
    assert sc.check_proxy({"HOTLINE_TRUSTED_PROXIES": "1"}, production=True).status == OK
    assert sc.check_processes({"HOTLINE_WEB_WORKERS": "4"}).status == WARN


def test_combine_and_report():
    check = combine("x", [Finding(WARN, "w", "fix w"), Finding(OK, "fine"), Finding(FAIL, "f", "fix f")], "ok")
    assert (check.status, check.message, check.fix) == (FAIL, "f；w", "fix f fix w")
    assert combine("x", [Finding(OK, "")], "all good").message == "all good"
    report = Report(True, "test", [Check("a", OK, "fine"), Check("b", FAIL, "broken", "mend it"),
                                   Check("c", WARN, "risky", "watch it")])
    text = report.to_text()
    assert "✓ a: fine" in text and "✗ b: broken" in text and "→ 怎么办 / what to do: mend it" in text
    assert "1 failed, 1 warning(s)" in text and not report.ok
    data = json.loads(report.to_json())
    assert data["ok"] is False and [c["status"] for c in data["checks"]] == ["ok", "fail", "warn"]
