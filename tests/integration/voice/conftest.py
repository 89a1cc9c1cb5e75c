"""Fixtures for the voice webhooks: an app at a chosen instant, signed requests."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime
from typing import Iterator
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from hotline.clock import Clock
from hotline.ports import Presence
from tests.twilio_fake import TwilioClient

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHENGDU_24H = "+862887577510"
GAOXIN = "+862885337950"          # 9:00-21:00 daily, hosted, no menu
SICHUAN = "+862812320"            # Mon-Fri 8-18, Sat-Sun 9-17, hosted, with a menu
DEYANG = "+868386661611"          # external, 24 h
CALLER = "+8613551585969"         # a Ya'an mobile


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


class Voice:
    """One app, its services and a signed Twilio client; the clock can be moved."""

    def __init__(self, app) -> None:
        self.app = app
        self.services = app.extensions["hotline"].adapters
        settings = self.services.settings
        self.twilio = TwilioClient(app.test_client(), settings.twilio_auth_token, settings.public_url)

    def at(self, instant: datetime) -> None:
        self.services.settings = self.services.settings.with_(clock=Clock(frozen=instant))

    def staff(self, *line_ids: str, counselor_id: int = 1, state: str = "available") -> None:
        self.services.presence.set(Presence(counselor_id, state, self.services.now(), tuple(line_ids)))

    def post(self, path: str, params: dict):
        response = self.twilio.post(path, params)
        assert response.status_code == 200, response.data
        return parse(response.data)

    def flush(self) -> None:
        assert self.services.records.flush(10)

    def events(self, name: str) -> list[dict]:
        return [payload for event, payload, _ in self.services.events.sent if event == name]


class TwiML:
    def __init__(self, xml: bytes) -> None:
        self.xml = xml.decode()
        self.root = ElementTree.fromstring(xml)

    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]

    def find(self, path: str):
        return self.root.find(path)

    def all(self, path: str):
        return self.root.findall(path)

    def said(self) -> str:
        return " ".join(el.text or "" for el in self.root.iter("Say"))

    def attr(self, path: str, name: str) -> str | None:
        element = self.root.find(path)
        return None if element is None else element.get(name)


def parse(xml: bytes) -> TwiML:
    return TwiML(xml)


def query_param(url: str, name: str) -> str | None:
    match = re.search(rf"[?&]{name}=([^&]+)", url or "")
    return match.group(1) if match else None


@contextmanager
def app_on(settings, migrate) -> Iterator:
    """An app on `settings` over its migrated database; its adapters closed afterwards."""
    from hotline.app import create_app

    migrate(settings.database_url)
    application = create_app(settings)
    try:
        yield application
    finally:
        application.extensions["hotline"].adapters.close()


def monday_morning(app) -> Voice:
    v = Voice(app)
    v.at(local(2026, 11, 23, 10, 0))   # a Monday morning: most lines open
    return v


@pytest.fixture
def app(both_backends_settings, migrate):
    """Voice tests run on SQLite and on PostgreSQL."""
    with app_on(both_backends_settings, migrate) as application:
        yield application


@pytest.fixture
def voice(app) -> Voice:
    return monday_morning(app)
