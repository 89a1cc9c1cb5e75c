"""The live state of each call's conference in Redis: its callbacks and our invitations.

One hash per call of every callback kept (field: the event's key, so a retried callback
lands on itself: HSETNX says whether it was new) and one hash of the parties we dialled.
Both expire a day after the last change; the record keeps the history.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

import redis

from hotline.live.keys import Keys
from hotline.ports import ConferenceEvent, PartyInvite

TTL_S = 24 * 3600


class ConferenceStore:
    """hotline.ports.ConferenceLive over Redis."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def _events_key(self, call_sid: str) -> str:
        return f"{self.keys.prefix}:conference:{call_sid}:events"

    def _invites_key(self, call_sid: str) -> str:
        return f"{self.keys.prefix}:conference:{call_sid}:invites"

    def add_event(self, event: ConferenceEvent) -> bool:
        key = self._events_key(event.call_sid)
        data = {**asdict(event), "at": event.at.isoformat()}
        added = self.redis.hsetnx(key, event.key, json.dumps(data))
        self.redis.expire(key, TTL_S)
        return bool(added)

    def events(self, call_sid: str) -> list[ConferenceEvent]:
        raw = self.redis.hvals(self._events_key(call_sid))
        return [_event(json.loads(item)) for item in raw]

    def invite(self, call_sid: str, invite: PartyInvite) -> None:
        key = self._invites_key(call_sid)
        self.redis.hset(key, invite.label, json.dumps({**asdict(invite), "at": invite.at.isoformat()}))
        self.redis.expire(key, TTL_S)

    def invites(self, call_sid: str) -> list[PartyInvite]:
        raw = self.redis.hvals(self._invites_key(call_sid))
        invites = [_invite(json.loads(item)) for item in raw]
        return sorted(invites, key=lambda invite: invite.at)


def _event(data: dict) -> ConferenceEvent:
    return ConferenceEvent(**{**data, "at": datetime.fromisoformat(data["at"])})


def _invite(data: dict) -> PartyInvite:
    return PartyInvite(**{**data, "at": datetime.fromisoformat(data["at"])})
