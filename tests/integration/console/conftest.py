"""Console fixtures: the voice app plus counselors acting through ConsoleService."""
import json

import pytest

from hotline.usecases.console import ConsoleService
from tests.integration.voice.conftest import GAOXIN, Voice, local
from tests.twilio_fake import call_params, new_call_sid


class Floor(Voice):
    """A call-center floor: callers through webhooks, counselors through the console."""

    @property
    def hotline(self):
        return self.app.extensions["hotline"]

    @property
    def console(self) -> ConsoleService:
        return self.hotline.console

    def counselor(self, counselor_id: int, *lines: str, state: str = "available") -> None:
        self.console.set_presence(counselor_id, state, f"咨询师{counselor_id}", lines or ("chengdu-gaoxin",))

    def caller(self, number: str = "+8613800000001", to: str = GAOXIN) -> str:
        sid = new_call_sid()
        assert self.post("/voice/incoming", call_params(sid, to, number)).find("Enqueue") is not None
        self.post("/voice/wait?line=chengdu-gaoxin", call_params(sid, to, number, QueueSid="QU" + "1" * 32))
        return sid

    def tick(self) -> None:
        self.hotline.console_tick.tick()

    def state(self, counselor_id: int) -> str:
        return self.services.presence.get(counselor_id).state

    def offered_to(self, counselor_id: int) -> str | None:
        presence = self.services.presence.get(counselor_id)
        return presence.call if presence.state == "offered" else None

    def rest_requests(self) -> list[dict]:
        key = self.services.keys.sim_rest()
        return [json.loads(raw) for raw in self.services.redis.lrange(key, 0, -1)]


def _floor(app) -> Floor:
    f = Floor(app)
    f.at(local(2026, 11, 23, 10, 0))
    f.staff("chengdu-gaoxin", counselor_id=99, state="on_call")
    return f


@pytest.fixture
def floor(app) -> Floor:
    """10:00 on a Monday; counselor 99 is busy on a long call, so the line counts as staffed.
    Calls are conferences (the default)."""
    return _floor(app)


@pytest.fixture
def bridge_app(both_backends_settings, migrate):
    """The app with HOTLINE_CONFERENCE_CALLS=off: an answered call is the two-party bridge."""
    from hotline.app import create_app

    settings = both_backends_settings.with_(conference_calls=False)
    migrate(settings.database_url)
    application = create_app(settings)
    yield application
    application.extensions["hotline"].adapters.close()


@pytest.fixture
def bridge_floor(bridge_app) -> Floor:
    """The same floor with the two-party bridge explicitly chosen."""
    return _floor(bridge_app)
