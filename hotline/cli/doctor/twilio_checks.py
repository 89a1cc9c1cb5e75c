"""Twilio credentials, checked by shape only: the doctor never calls out to the network.

A live check (that Twilio accepts the account and key) needs network access and is
left to the operator: the Twilio console, or one call to the number.
"""
from __future__ import annotations

import re
from typing import Mapping

from hotline.cli.doctor.report import FAIL, OK, WARN, Check, Finding, combine

ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")
AUTH_TOKEN = re.compile(r"^[0-9a-f]{32}$")
API_KEY_SID = re.compile(r"^SK[0-9a-f]{32}$")
API_KEY_SECRET = re.compile(r"^[A-Za-z0-9]{32}$")
SHAPE_ONLY = "格式正确（未联网验证，确认有效需要联网）/ well-formed (not verified online: a live check needs network)"


def check_twilio(env: Mapping[str, str], production: bool) -> Check:
    sid, token = env.get("TWILIO_ACCOUNT_SID") or "", env.get("TWILIO_AUTH_TOKEN") or ""
    name = "Twilio 账户 / account"
    if not sid and not token:
        return Check(name, WARN if production else OK,
                     "未配置：电话由模拟器扮演 / not configured: the simulator plays the telephony",
                     "要接真实来电，设置 TWILIO_ACCOUNT_SID 与 TWILIO_AUTH_TOKEN / set TWILIO_ACCOUNT_SID and "
                     "TWILIO_AUTH_TOKEN to take real calls")
    findings = []
    if sid and not token:
        findings.append(Finding(FAIL, "有 TWILIO_ACCOUNT_SID 但缺 TWILIO_AUTH_TOKEN：所有来电签名都会被拒 / "
                                "TWILIO_AUTH_TOKEN is missing: every webhook's signature would be rejected",
                                "从 Twilio 控制台复制 Auth Token / copy the Auth Token from the Twilio console"))
    if token and not sid:
        findings.append(Finding(WARN, "只有 TWILIO_AUTH_TOKEN：能验签，但不能把来电转给咨询师 / only the token: "
                                "signatures are checked, but callers cannot be moved to counselors (REST needs "
                                "the account SID)", "设置 TWILIO_ACCOUNT_SID / set TWILIO_ACCOUNT_SID"))
    if sid and not ACCOUNT_SID.match(sid):
        findings.append(Finding(FAIL, "TWILIO_ACCOUNT_SID 格式不对（应为 AC + 32 位十六进制）/ malformed "
                                "(expected AC + 32 hex digits)", "核对 Account SID / check the Account SID"))
    if token and not AUTH_TOKEN.match(token):
        findings.append(Finding(FAIL, "TWILIO_AUTH_TOKEN 格式不对（应为 32 位十六进制）/ malformed (expected 32 "
                                "hex digits)", "核对 Auth Token / check the Auth Token"))
    return combine(name, findings, SHAPE_ONLY)


def check_softphone(env: Mapping[str, str]) -> Check:
    """The console's browser phone needs an API key; without it nobody can answer."""
    key_sid, secret = env.get("TWILIO_API_KEY_SID") or "", env.get("TWILIO_API_KEY_SECRET") or ""
    live = bool(env.get("TWILIO_ACCOUNT_SID") and env.get("TWILIO_AUTH_TOKEN"))
    name = "软电话 / softphone"
    if not key_sid and not secret:
        if not live:
            return Check(name, OK, "模拟器模式无需 API Key / not needed with the simulator")
        return Check(name, FAIL, "缺少 TWILIO_API_KEY_SID / TWILIO_API_KEY_SECRET：咨询师无法在浏览器接听 / "
                     "missing: counselors cannot answer in the browser",
                     "在 Twilio 控制台创建 API Key（Standard）并设置这两个变量 / create a Standard API key in the "
                     "Twilio console and set both variables")
    findings = []
    if not key_sid or not secret:
        findings.append(Finding(FAIL, "TWILIO_API_KEY_SID 与 TWILIO_API_KEY_SECRET 须同时设置 / both must be set",
                                "补上缺少的一个 / set the missing one"))
    if key_sid and not API_KEY_SID.match(key_sid):
        findings.append(Finding(FAIL, "TWILIO_API_KEY_SID 格式不对（应为 SK + 32 位十六进制）/ malformed "
                                "(expected SK + 32 hex digits)", "核对 API Key SID / check the API key SID"))
    if secret and not API_KEY_SECRET.match(secret):
        findings.append(Finding(FAIL, "TWILIO_API_KEY_SECRET 格式不对（应为 32 个字母数字）/ malformed (expected "
                                "32 letters and digits)", "核对 API Key Secret / check the API key secret"))
    if not live:
        findings.append(Finding(WARN, "有 API Key 但没有 Twilio 账户：软电话不会启用 / an API key without an "
                                "account: the softphone stays off", "设置 TWILIO_ACCOUNT_SID / set the account"))
    return combine(name, findings, SHAPE_ONLY)
