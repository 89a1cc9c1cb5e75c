"""Triage fixtures: the console floor (signed-in desks, signed Twilio callers) plus helpers
that fill the triage form through the HTTP API exactly as the console page does."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import remove_rq_jobs  # noqa: F401  (shared)

import hotline.store.triage  # noqa: F401  (registers the tables until models.py imports it)
from tests.integration.console_web.conftest import (Desk, GAOXIN_LINE, desk, floor, make_user,  # noqa: F401
                                                    offered, on_call)
from tests.integration.voice.conftest import local

TEST_REFERRALS = Path(__file__).resolve().parents[2] / "fixtures" / "referrals-test.yaml"
CALLER = "+8613908170000"          # a Chengdu mobile: referrals suggest Chengdu institutions
NO = {"wish_dead": "no", "suicidal_thoughts": "no", "behavior": "none", "harm_others": "none",
      "danger_now": "no"}
MODERATE = NO | {"suicidal_thoughts": "yes", "method": "yes", "intent": "no", "plan": "no"}
HIGH = NO | {"wish_dead": "yes", "suicidal_thoughts": "yes", "method": "yes", "intent": "yes", "plan": "no"}
IMMINENT = HIGH | {"danger_now": "yes"}
CHECKLIST_DONE = {"keep_on_line": True, "location": "成都市武侯区某小区 / a housing estate in Wuhou",
                  "emergency_contacted": "120", "called_by": "咨询师 / the counselor",
                  "emergency_confirmed": True}


@pytest.fixture
def settings(settings):
    """The shared settings with the test referral directory (the shipped one has public numbers only)."""
    return settings.with_(referrals_file=TEST_REFERRALS)


def usecases(floor):
    """The use cases of the floor's app (hotline.bootstrap.Hotline), as its views hold them."""
    return floor.app.extensions["hotline"]


def assess(desk: Desk, sid: str, answers: dict, override: dict | None = None, **extra):
    body = {"form_id": "default", "form_version": 1, "answers": answers, **extra}
    if override is not None:
        body["override"] = override
    return desk.post(f"/api/calls/{sid}/assessment", body)


def refer(desk: Desk, sid: str, institution: str = "chengdu_psychiatric", status: str = "suggested", **extra):
    return desk.post(f"/api/calls/{sid}/referrals", {"institution_id": institution, "status": status, **extra})


def answer_call(floor, desk: Desk, number: str = CALLER) -> str:
    """A caller rings, the desk (available) is offered the call and accepts it."""
    sid = floor.caller(number)
    floor.tick()
    assert floor.offered_to(desk.id) == sid, "the call was not offered to this desk"
    assert desk.accept(sid).status_code == 200
    return sid


@pytest.fixture
def chengdu_call(floor, desk):
    """li is on a call from a Chengdu mobile: (floor, li, sid)."""
    li = desk("li")
    li.go("available")
    floor.at(local(2026, 11, 23, 10, 0))
    return floor, li, answer_call(floor, li)


@pytest.fixture
def supervisor(desk):
    return desk("zhou", role="supervisor", lines=())


@pytest.fixture(autouse=True)
def no_rq_leftovers(redis_url, redis_prefix):
    """Follow-up jobs live under RQ's own `rq:` keys: delete this test's jobs afterwards."""
    yield
    remove_rq_jobs(redis_url, redis_prefix)
