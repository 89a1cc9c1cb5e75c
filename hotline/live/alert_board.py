"""The open alerts in Redis (hotline.ports.AlertBoard): one hash, `<prefix>:alerts`,
alert id → the alert as JSON, so every process and every dashboard shares one list and
an acknowledgement (HDEL) removes an alert for everyone at once."""
from __future__ import annotations

import json
from dataclasses import asdict

import redis

from hotline.live.keys import Keys
from hotline.ports import Alert


class RedisAlertBoard:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.key = keys.alerts()

    def put(self, alert: Alert) -> None:
        self.client.hset(self.key, alert.id, json.dumps(asdict(alert), ensure_ascii=False))

    def remove(self, alert_id: str) -> bool:
        return bool(self.client.hdel(self.key, alert_id))

    def all(self) -> list[Alert]:
        return [Alert(**json.loads(value)) for value in self.client.hgetall(self.key).values()]
