"""The dashboard's channel watcher (live/dashboard_channel.py) on a real Redis: it hears the
channel's emits only while it is listening, says so when it starts again, and stops on request."""
from __future__ import annotations

import json
import threading
import time

import redis

from hotline.live.dashboard_channel import RESUBSCRIBED, watch_channel


def _emit(client, channel: str, event: str) -> None:
    client.publish(channel, json.dumps({"method": "emit", "event": event, "data": {}}))


def _until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_hears_emits_only_while_listening_and_says_when_it_starts_again(redis_url, redis_prefix):
    channel = f"{redis_prefix}-socketio"
    heard: list[str | None] = []
    listening = threading.Event()
    stop = threading.Event()
    watcher = threading.Thread(target=watch_channel,
                               args=(redis_url, channel, heard.append, listening.is_set, stop), daemon=True)
    watcher.start()
    client = redis.Redis.from_url(redis_url)
    try:
        time.sleep(0.3)
        assert client.pubsub_numsub(channel)[0][1] == 0          # not listening: not even subscribed
        _emit(client, channel, "presence")
        listening.set()
        assert _until(lambda: client.pubsub_numsub(channel)[0][1] == 1)
        assert _until(lambda: RESUBSCRIBED in heard)
        _emit(client, channel, "queue.changed")
        assert _until(lambda: "queue.changed" in heard)
        assert "presence" not in heard                           # sent while it was not listening

        listening.clear()
        assert _until(lambda: client.pubsub_numsub(channel)[0][1] == 0)
        before = list(heard)
        _emit(client, channel, "call.ended")
        time.sleep(0.3)
        assert heard == before

        listening.set()
        assert _until(lambda: heard.count(RESUBSCRIBED) == 2)    # again: what happened meanwhile was missed
        _emit(client, channel, "call.answered")
        assert _until(lambda: "call.answered" in heard)
    finally:
        stop.set()
        watcher.join(timeout=5)
        client.close()
    assert not watcher.is_alive()
