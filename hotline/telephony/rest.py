"""Moving calls with the twilio REST client: to a counselor's browser, or hanging up.

With a Twilio account the client talks to Twilio. Without one, its HTTP layer is
replaced by a bridge that hands each request to the call simulator through Redis,
so the same adapter code runs in both modes.
"""
from __future__ import annotations

import json
import logging
from functools import cached_property

from twilio.http.http_client import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from hotline.telephony.conference import TwilioConferences

log = logging.getLogger(__name__)
SIMULATOR_ACCOUNT = "AC" + "5" * 32


class RedisRestBridge(HttpClient):
    """An HttpClient that queues REST requests for the simulator instead of the network."""

    def __init__(self, redis_client, list_key: str) -> None:
        super().__init__(logger=log, is_async=False)
        self.redis = redis_client
        self.list_key = list_key

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        message = {"method": method, "url": url, "data": dict(data or {})}
        self.redis.rpush(self.list_key, json.dumps(message))
        self.redis.expire(self.list_key, 3600)
        sid = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
        return Response(200, json.dumps({"sid": sid, "call_sid": sid, "status": "in-progress",
                                         "queue_sid": "", "uri": url}))


class Telephony:
    def __init__(self, settings, redis_client=None, keys=None, http_client=None) -> None:
        self.settings = settings
        if http_client is None and not settings.twilio_live:
            http_client = RedisRestBridge(redis_client, keys.sim_rest())
        account = settings.twilio_account_sid or SIMULATOR_ACCOUNT
        self.client = Client(account, settings.twilio_auth_token, http_client=http_client)

    def absolute(self, path: str) -> str:
        return self.settings.public_url + path

    def bridge(self, call_sid: str, queue_sid: str | None, counselor_id: int) -> None:
        """Take the caller out of the queue and ring the counselor's browser (in conference
        mode: dial the counselor's leg into the call's conference, which the caller then joins)."""
        if self.settings.conference_calls:
            self.conferences.add_party(call_sid, f"counselor-{counselor_id}", f"client:counselor-{counselor_id}",
                                       from_="hotline")
        target = self.absolute(f"/voice/bridge?counselor={counselor_id}&call={call_sid}")
        if queue_sid:
            self.client.queues(queue_sid).members(call_sid).update(url=target, method="POST")
        else:
            self.client.calls(call_sid).update(url=target, method="POST")

    @cached_property
    def conferences(self) -> TwilioConferences:
        return TwilioConferences(self.client, self.absolute)

    def hang_up(self, call_sid: str) -> None:
        self.client.calls(call_sid).update(status="completed")

    def redirect(self, call_sid: str, path: str) -> None:
        self.client.calls(call_sid).update(url=self.absolute(path), method="POST")
