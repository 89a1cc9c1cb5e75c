"""The console's Redis adapters against real Redis: the floor memory's keys and values (the
calls flow reads the same handling time for the expected wait), and the dispatch lock."""
from __future__ import annotations

import pytest
import redis

from hotline.live.floor_memory import FloorMemory
from hotline.live.keys import Keys
from hotline.live.offers import OfferScripts


@pytest.fixture
def client(redis_url, redis_prefix):
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def test_the_floor_memory_writes_the_keys_the_rest_of_hotline_reads(client, redis_prefix):
    keys = Keys(redis_prefix)
    memory = FloorMemory(client, keys)
    assert memory.handle_time("gaoxin") is None and memory.last_counselors(["k1:a"]) == {}
    memory.set_handle_time("gaoxin", 312.46)
    memory.remember("k1:a", 7)
    assert client.hget(keys.line_stats("gaoxin"), "handle_s") == b"312.5"
    assert client.hget(keys.last_counselor(), "k1:a") == b"7"
    assert memory.handle_time("gaoxin") == 312.5
    assert memory.last_counselors(["k1:a", "k1:b"]) == {"k1:a": 7}
    assert memory.last_counselors([]) == {}


def test_one_dispatcher_holds_the_lock_at_a_time_and_releases_only_its_own(client, redis_prefix):
    keys = Keys(redis_prefix)
    first, second = OfferScripts(client, keys), OfferScripts(client, keys)
    lock = f"{redis_prefix}:dispatch-lock"
    with first.dispatch_lock() as held:
        assert held and 0 < client.pttl(lock) <= 5000
        with second.dispatch_lock() as also:
            assert not also
        assert client.exists(lock)                 # the loser did not release the winner's lock
    assert not client.exists(lock)
    with second.dispatch_lock() as held:
        assert held


def test_nothing_rings_for_an_unknown_call_and_no_queue_has_heads(client, redis_prefix):
    steps = OfferScripts(client, Keys(redis_prefix))
    assert steps.ringing("CA-none") is None
    assert steps.queue_heads(["gaoxin", "chengdu"], 5) == []
