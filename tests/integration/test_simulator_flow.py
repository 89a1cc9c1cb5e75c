"""The simulator against a fake Hotline: menu, queue, Leave, transfer, REST bridge."""
from __future__ import annotations

import asyncio
import json

from click.testing import CliRunner

from hotline.cli.simulate import simulate as simulate_command
from hotline.devtools.simulator import SimConfig, Simulator, Timing, simulate
from hotline.devtools.simulator.targets import Target
from tests.integration.test_simulator_fake_hotline import EXTERNAL, PUBLIC, TOKEN, FakeHotline, ServerThread

OUR_NUMBER = "+862812345600"
FAST = Timing(time_scale=0.01, patience_mean=0, talk_mean=5)


def config(urls, **changes) -> SimConfig:
    values = dict(urls=tuple(urls), public_url=PUBLIC, auth_token=TOKEN, targets=(Target(OUR_NUMBER, "test"),),
                  calls=4, concurrency=4, seed=7, digits="1", timing=FAST)
    values.update(changes)
    return SimConfig(**values)


def test_queue_leave_transfer_and_rest_bridge(redis_url, redis_prefix):
    fake = FakeHotline(waits_before_leave=3, redis_url=redis_url, prefix=redis_prefix)
    with ServerThread(fake, sites=2) as server:
        summary = simulate(config(server.urls, redis_url=redis_url, redis_prefix=redis_prefix,
                                  timing=Timing(time_scale=0.01, patience_mean=0, talk_mean=3000)))
    assert fake.bad_signatures == 0
    assert (summary["offered"], summary["answered"], summary["rolled_over"], summary["errors"]) == (4, 1, 3, 0)
    answered = next(c for c in summary["calls"] if c["outcome"] == "answered")
    assert answered["clients"] == ["counselor-1"] and answered["queue_lines"] == ["test"]
    for call in summary["calls"]:
        if call["outcome"] == "rolled_over":
            assert call["dialled"] == [{"number": EXTERNAL, "send_digits": "ww4"}]
    results = {f["QueueResult"] for f in fake.calls_to("queue-result")}
    assert results == {"leave"}                                 # the bridged call never calls the action
    assert [f["Digits"] for f in fake.calls_to("menu")] == ["1"] * 4
    assert summary["rest_commands"] == 2
    assert summary["wait_p50"] is not None and summary["webhook_p50_ms"] > 0


def test_status_callbacks_and_common_params(redis_url, redis_prefix):
    fake = FakeHotline(waits_before_leave=2, redis_url=redis_url, prefix=redis_prefix)
    with ServerThread(fake) as server:
        summary = simulate(config(server.urls, calls=2, redis_url=redis_url, redis_prefix=redis_prefix,
                                  timing=Timing(time_scale=0.01, patience_mean=0, talk_mean=3000)))
    statuses = fake.calls_to("status")
    finals = [s for s in statuses if s["CallStatus"] == "completed"]
    assert len(finals) == 2 and len([s for s in statuses if s["CallStatus"] == "in-progress"]) == 1
    for form in fake.calls_to("incoming"):
        assert form["CallStatus"] == "ringing" and form["Direction"] == "inbound"
        assert form["To"] == form["Called"] == OUR_NUMBER and form["FromCountry"] == "CN"
        assert form["CallSid"].startswith("CA") and len(form["CallSid"]) == 34
    for final in finals:
        assert final["CallbackSource"] == "call-progress-events" and final["CallDuration"].isdigit()
    waits = fake.calls_to("wait")
    assert all({"QueueSid", "QueuePosition", "QueueTime", "CurrentQueueSize"} <= set(w) for w in waits)
    assert summary["errors"] == 0


def test_webhooks_round_robin_within_one_call():
    fake = FakeHotline(waits_before_leave=3)
    with ServerThread(fake, sites=2) as server:
        simulate(config(server.urls, calls=1))
    ports = next(iter(fake.ports.values()))
    assert len(ports) == 2 and fake.bad_signatures == 0


def test_patience_runs_out_in_the_queue():
    fake = FakeHotline(waits_before_leave=10_000)
    with ServerThread(fake) as server:
        summary = simulate(config(server.urls, calls=3, timing=Timing(time_scale=0.01, patience_mean=10)))
    assert summary["abandoned"] == 3 and summary["errors"] == 0
    assert {f["QueueResult"] for f in fake.calls_to("queue-result")} == {"hangup"}
    assert all(c["wait_s"] > 0 for c in summary["calls"])


def test_http_error_counts_as_error_and_still_sends_status():
    fake = FakeHotline(fail_paths=("/voice/menu",))
    with ServerThread(fake) as server:
        summary = simulate(config(server.urls, calls=2))
    assert summary["errors"] == 2 and summary["failed_requests"] == 2
    assert summary["calls"][0]["errors"][0] == {"url": "/voice/menu?line=test", "reason": "HTTP 500"}
    assert len(fake.calls_to("status")) == 2


def test_cli_json_output(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("HOTLINE_PUBLIC_URL", raising=False)
    fake = FakeHotline(waits_before_leave=1)
    with ServerThread(fake) as server:
        args = ["--url", server.urls[0], "--public-url", PUBLIC, "--auth-token", TOKEN, "--numbers", OUR_NUMBER,
                "--calls", "3", "--seed", "1", "--digits", "1", "--time-scale", "0.01", "--talk-mean", "5",
                "--patience-mean", "0",   # infinite: on a loaded machine a short patience ran out first
                "--redis-url", "none", "--json", "--no-progress"]
        result = CliRunner().invoke(simulate_command, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    for key in ("offered", "answered", "abandoned", "rolled_over", "voicemail", "transferred", "errors",
                "wait_p50", "wait_p95", "wait_p99", "webhook_p50_ms", "webhook_p99_ms", "calls"):
        assert key in summary
    assert summary["offered"] == 3 and summary["rolled_over"] == 3
    for call in summary["calls"]:
        assert {"call_sid", "to", "from_region", "outcome", "wait_s", "queue_lines", "webhooks"} <= set(call)
        assert call["to"] == OUR_NUMBER and call["webhooks"] >= 7


def test_cli_exit_code_on_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_INSTANCE_DIR", str(tmp_path))
    fake = FakeHotline(fail_paths=("/voice/incoming",))
    with ServerThread(fake) as server:
        result = CliRunner().invoke(simulate_command, [
            "--url", server.urls[0], "--public-url", PUBLIC, "--auth-token", TOKEN, "--numbers", OUR_NUMBER,
            "--calls", "1", "--time-scale", "0.01", "--redis-url", "none", "--no-progress"])
    assert result.exit_code == 1
    assert "错误 / error" in result.output


def test_forever_stream_stops_cleanly():
    fake = FakeHotline(waits_before_leave=10_000)

    async def stream(urls):
        simulator = Simulator(config(urls, forever=True, rate=50.0, concurrency=5))
        running = asyncio.create_task(simulator.run())
        await asyncio.sleep(0.3)
        simulator.stop()
        return await asyncio.wait_for(running, 5)
    with ServerThread(fake) as server:
        summary = asyncio.run(stream(server.urls))
    assert summary["offered"] >= 3 and summary["errors"] == 0
    assert len([s for s in fake.calls_to("status") if s["CallStatus"] == "completed"]) == summary["offered"]
    assert {c["outcome"] for c in summary["calls"]} <= {"completed"}     # hung up by the stop, in the queue


def test_cli_dials_the_directory_hosted_numbers(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_INSTANCE_DIR", str(tmp_path))
    fake = FakeHotline(waits_before_leave=1)
    with ServerThread(fake) as server:
        result = CliRunner().invoke(simulate_command, [
            "--url", server.urls[0], "--public-url", PUBLIC, "--auth-token", TOKEN, "--lines", "chengdu",
            "--calls", "4", "--digits", "1", "--time-scale", "0.01", "--talk-mean", "5", "--redis-url", "none",
            "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert {c["line"] for c in json.loads(result.output)["calls"]} == {"chengdu"}
    assert {f["To"] for f in fake.calls_to("incoming")} <= {"+862887577510", "+862885422114"}


def test_cli_refuses_forever_without_rate(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_INSTANCE_DIR", str(tmp_path))
    result = CliRunner().invoke(simulate_command, ["--url", "http://127.0.0.1:9", "--numbers", OUR_NUMBER,
                                                   "--forever", "--redis-url", "none", "--auth-token", TOKEN])
    assert result.exit_code == 2 and "--rate" in result.output
