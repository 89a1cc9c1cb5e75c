"""One dashboard leader among processes, and the "someone watches" mark, in Redis
(hotline.ports.DashboardLeadership): `<prefix>:dashboard:leader` holds the leader's
token for LEADER_TTL_MS and is renewed every second; `<prefix>:dashboard:watched` is
kept alive by every process with dashboard sockets."""
from __future__ import annotations

import redis

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisLeadership:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.leader_key = f"{prefix}:dashboard:leader"
        self.watched_key = f"{prefix}:dashboard:watched"

    def renew(self, token: str, ttl_ms: int) -> bool:
        """Keep the lead if this token has it, take it if nobody has; True when leading."""
        return bool(self.client.eval(_RENEW, 1, self.leader_key, token, ttl_ms))

    def release(self, token: str) -> None:
        """Hand over at once (only if this token still leads)."""
        self.client.eval(_RELEASE, 1, self.leader_key, token)

    def mark_watched(self, ttl_s: int) -> None:
        self.client.set(self.watched_key, "1", ex=ttl_s)

    def watched(self) -> bool:
        return bool(self.client.exists(self.watched_key))
