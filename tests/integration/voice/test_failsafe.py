"""When Redis and the database are unreachable the caller still gets a valid route."""
import socket
import time
from xml.etree import ElementTree

import pytest

from hotline.app import create_app
from hotline.clock import Clock
from hotline.settings import testing_settings as make_testing_settings
from tests.integration.voice.conftest import CALLER, GAOXIN, SICHUAN, local
from tests.twilio_fake import TwilioClient, call_params, new_call_sid


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broken_app(tmp_path):
    port = _closed_port()
    settings = make_testing_settings(
        tmp_path, redis_url=f"redis://127.0.0.1:{port}/0",
        database_url=f"postgresql+psycopg://hotline@127.0.0.1:{port}/nowhere",
        clock=Clock(frozen=local(2026, 11, 23, 20, 0)))
    app = create_app(settings)            # must start although both are down
    yield app
    services = app.extensions["hotline"].adapters
    if "records" in services.__dict__:
        services.records.close(timeout=0.2)   # the database never came back: report, don't wait


@pytest.mark.parametrize("path", ["/voice/incoming", "/voice/menu?line=sichuan",
                                  "/voice/queue-result?line=sichuan", "/voice/dial-result?line=deyang"])
def test_everything_down_still_routes_to_an_open_external_line(broken_app, path):
    settings = broken_app.extensions["hotline"].adapters.settings
    twilio = TwilioClient(broken_app.test_client(), settings.twilio_auth_token, settings.public_url)
    started = time.monotonic()
    response = twilio.post(path, call_params(new_call_sid(), SICHUAN, CALLER, QueueResult="leave"))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    root = ElementTree.fromstring(response.data)
    number = root.find("Dial/Number").text
    line, entry = broken_app.extensions["hotline"].adapters.directory.by_number(number)
    assert not line.hosted and entry.is_open(local(2026, 11, 23, 20, 0))
    assert elapsed < 1.0


def test_everything_down_inside_a_queue_leaves_it_once_the_breaker_opens(broken_app):
    """The first failures hold the caller (it may be a hiccup); sustained failure opens the
    breaker and the caller leaves the queue for the fail-safe."""
    import hotline.web.voice as voice_module

    settings = broken_app.extensions["hotline"].adapters.settings
    twilio = TwilioClient(broken_app.test_client(), settings.twilio_auth_token, settings.public_url)
    sid = new_call_sid()
    answers = []
    for _ in range(voice_module.BREAKER_FAIL_MAX + 1):
        response = twilio.post("/voice/wait?line=chengdu-gaoxin", call_params(sid, GAOXIN, CALLER))
        assert response.status_code == 200
        answers.append([child.tag for child in ElementTree.fromstring(response.data)])
    assert answers[:voice_module.BREAKER_FAIL_MAX - 1] == [["Pause"]] * (voice_module.BREAKER_FAIL_MAX - 1)
    assert answers[-1] == ["Leave"]
    assert sid in broken_app.extensions["hotline"].calls_failsafe_log.pending   # out of our queue when Redis is back


def test_bad_signature_is_still_refused_while_degraded(broken_app):
    client = broken_app.test_client()
    response = client.post("/voice/incoming", data=call_params(new_call_sid(), SICHUAN, CALLER),
                           headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403


def test_records_that_cannot_be_written_are_reported_lost_with_call_ids(broken_app, caplog):
    import logging

    settings = broken_app.extensions["hotline"].adapters.settings
    twilio = TwilioClient(broken_app.test_client(), settings.twilio_auth_token, settings.public_url)
    sid = new_call_sid()
    assert twilio.post("/voice/incoming", call_params(sid, SICHUAN, CALLER)).status_code == 200
    with caplog.at_level(logging.ERROR, logger="hotline.store.writer"):
        broken_app.extensions["hotline"].adapters.records.close(timeout=0.2)
    lost = [r.getMessage() for r in caplog.records if "lost" in r.getMessage()]
    assert lost and sid in lost[0]
    assert CALLER not in " ".join(lost)
