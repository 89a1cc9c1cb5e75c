"""A request thread's own Redis connection (live/thread_client.py), against a real Redis."""
from __future__ import annotations

import gc
import threading

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from hotline.live import thread_client
from hotline.live.thread_client import ThreadClient
from tests.faults import Forwarder

pytestmark = pytest.mark.redis


@pytest.fixture
def shared(redis_url):
    client = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                  health_check_interval=10)
    yield client
    client.connection_pool.disconnect()


def _in_other_thread(work):
    found = {}
    thread = threading.Thread(target=lambda: found.update(value=work()))
    thread.start()
    thread.join()
    return found["value"]


def test_each_thread_keeps_one_connection_of_the_shared_pool(shared):
    own = ThreadClient(shared)
    mine = own.get()
    assert own.get() is mine                                  # the same thread: the same client
    assert mine.connection_pool is shared.connection_pool     # the process's settings, one pool
    ids = {mine.client_id(), mine.client_id()}
    assert len(ids) == 1                                      # one connection, kept between commands
    other = _in_other_thread(lambda: own.get().client_id())
    assert other not in ids                                   # another thread, another connection


def test_a_thread_that_ends_gives_its_connection_back(shared):
    own = ThreadClient(shared)
    pool = shared.connection_pool
    _in_other_thread(lambda: own.get().ping())
    gc.collect()
    assert not pool._in_use_connections                       # back in the pool, not leaked
    assert len(pool._available_connections) == 1


def test_a_connection_the_server_closed_is_made_again_before_the_next_command(shared, redis_url):
    """A Redis restart or idle timeout between two calls costs the next call nothing: the
    command goes out on a new connection, not into the closed one (where a failed read could
    not tell whether a script ran)."""
    own = ThreadClient(shared)
    before = own.get().client_id()
    assert redis.Redis.from_url(redis_url).client_kill_filter(_id=before) == 1
    assert own.get().ping() is True                           # no error: connected again first
    assert own.get().client_id() != before


def test_redis_away_raises_and_the_thread_connects_again_once_it_is_back(shared, redis_url):
    target = redis.Redis.from_url(redis_url).connection_pool.connection_kwargs
    forwarder = Forwarder(target.get("port", 6379), target.get("host", "127.0.0.1")).start()
    proxied = redis.Redis(host="127.0.0.1", port=forwarder.port, socket_timeout=0.5, socket_connect_timeout=0.5,
                          retry=Retry(NoBackoff(), 0))           # (redis-py's back-off only slows the test)
    own = ThreadClient(proxied)
    assert own.get().ping() is True
    forwarder.stop()                                          # Redis goes away
    with pytest.raises((redis.ConnectionError, redis.TimeoutError)):
        own.get().ping()
    forwarder.start()                                         # and comes back on the same port
    assert own.get().ping() is True
    forwarder.stop()


def test_a_forked_child_makes_its_own(shared, monkeypatch):
    own = ThreadClient(shared)
    parents = own.get()
    monkeypatch.setattr(thread_client.os, "getpid", lambda: -1)   # as in a gunicorn worker after fork
    assert own.get() is not parents
