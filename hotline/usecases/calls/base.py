"""The caller's path, webhook by webhook: routing core + live queue + record.

Every handler returns TwiML. Any failure inside our own parts is caught by the
blueprint and answered by `failsafe`, which needs neither Redis nor the database.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Mapping

from twilio.twiml.voice_response import VoiceResponse

from hotline.live.events import SUPERVISORS, line_room
from hotline.routing.decision import CallFacts, Enqueue, LiveState, NothingOpen, Routed, Transfer, route
from hotline.ports import RecordOp
from hotline.telephony import twiml
from hotline.telephony.inbound import Inbound, inbound

log = logging.getLogger(__name__)


class VoiceService:
    def __init__(self, services) -> None:
        self.s = services

    # --- helpers shared by the flow -------------------------------------------------
    @property
    def directory(self):
        return self.s.directory

    def now(self) -> datetime:
        return self.s.now()

    def live_state(self) -> LiveState:
        staffed = self.s.staffed_counts(self.now())
        return LiveState(staffed=staffed)

    def facts(self, call: Inbound, **extra) -> CallFacts:
        state = self.s.queues.call_state(call.call_sid)
        tried = frozenset(filter(None, state.get("tried", "").split(",")))
        flagged = self.is_flagged(call)
        values = dict(dialled=call.dialled, at=self.now(), caller_region=call.region, flagged=flagged,
                      tried=tried, crisis=state.get("crisis") == "1",
                      menu_value=state.get("menu") or None)
        values.update(extra)
        return CallFacts(**values)

    def is_flagged(self, call: Inbound) -> bool:
        """Flagged under the current key or, after a key rotation, an older one."""
        if not call.caller:
            return False
        keys = self.s.keyring.caller_key_candidates(call.caller)
        return any(self.s.redis.smismember(self.s.keys.flagged(), keys))

    def caller_key(self, call: Inbound) -> str:
        return self.s.keyring.caller_key(call.caller) if call.caller else "anonymous"

    def record(self, call: Inbound, kind: str, dedup: str | None = None, detail=None, **fields) -> None:
        self.s.records.submit(RecordOp(call.call_sid, kind, dedup or kind, self.now(), call.dialled,
                                       self.caller_key(call), fields, detail or {}))

    def publish(self, event: str, payload: dict, *line_ids: str) -> None:
        rooms = [SUPERVISORS, *(line_room(l) for l in line_ids if l)]
        self.s.events.publish(event, payload, rooms)

    # --- webhooks --------------------------------------------------------------------
    def incoming(self, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        routed = route(self.directory, self.facts(call), self.live_state())
        self.record(call, "received", status="received", caller_region=call.region)
        found = self.directory.by_number(call.dialled)
        greet = f"您好，这里是{found[0].name}。" if found else None
        return self.carry_out(call, routed, greet)

    def menu(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        line = self.directory.get(line_id)
        option = line.menu.choose(form.get("Digits")) if line and line.menu else None
        value = option.value if option else "none"
        crisis = bool(option and option.crisis)
        self.s.queues.annotate(call.call_sid, menu=value, crisis="1" if crisis else "0")
        self.record(call, "menu", f"menu:{value}", {"choice": value}, status="menu", menu_choice=value)
        routed = route(self.directory, self.facts(call, menu_value=value, crisis=crisis), self.live_state())
        return self.carry_out(call, routed)

    def carry_out(self, call: Inbound, routed: Routed, greet: str | None = None) -> VoiceResponse:
        """Apply a decision's side effects (queue, record, events), then render it."""
        for kind, line_id in routed.alerts:
            self.publish("coverage.alert", {"line": line_id, "at": self.now().isoformat()}, line_id)
        decision = routed.decision
        if isinstance(decision, Enqueue) and decision.menu is None:
            self.enqueue(call, decision)
        elif isinstance(decision, Transfer):
            self.record(call, "transferred", f"transfer:{decision.line_id}", {"to": decision.line_id},
                        status="transferred", routed_to=decision.line_id, outcome="transferred")
            self.publish("call.transferred", {"call": call.call_sid, "to": decision.line_id}, decision.line_id)
        elif isinstance(decision, NothingOpen):
            self.record(call, "nothing_open", status="info_only", outcome="info_only")
        return twiml.render(decision, self.directory, self.now(), greet)

    def enqueue(self, call: Inbound, decision: Enqueue) -> None:
        waiting = self.s.queues.enqueue(call.call_sid, decision.line_id, decision.priority, self.now(),
                                        caller_key=self.caller_key(call), dialled=call.dialled,
                                        max_wait_s=decision.max_wait_s, status="queued")
        self.record(call, "queued", f"queued:{decision.line_id}", {"line": decision.line_id},
                    status="queued", line_id=decision.line_id, queued_at=self.now(),
                    priority=decision.priority)
        self.publish("queue.changed", {"line": decision.line_id, "length": waiting.length,
                                       "call": call.call_sid, "change": "joined"}, decision.line_id)
