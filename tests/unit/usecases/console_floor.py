"""A call-center floor for the console's unit tests: every console use case wired to the
in-memory fakes (fakes.py, fakes_console.py), with helpers to put callers and counselors on it."""
from __future__ import annotations

from datetime import datetime, timedelta

from hotline.ports import HandledCall, Presence
from hotline.routing.directory import Directory, Line, Menu, MenuOption
from hotline.usecases.console import ConsoleService
from hotline.usecases.console_tick import TimePassing
from hotline.usecases.console_view import ConsoleView
from hotline.usecases.dispatch import Dispatcher
from hotline.usecases.notices import Notices
from tests.unit.usecases.fakes import (FakeCallControl, FakeClock, FakeEvents, FakePresences, FakeQueues,
                                       FakeRecords, FakeTrigger)
from tests.unit.usecases.fakes_console import (FakeCloseGuard, FakeConsoleUnitOfWork, FakeFloorMemory,
                                               FakeOfferContext, FakeOfferSteps, FakeRecovery, FakeStaffing)

MENU = Menu("请选择", {"1": MenuOption("1", "general", "一般", "General"),
                      "0": MenuOption("0", "danger_now", "危险", "Danger", crisis=True)})


def _line(line_id: str, name: str, hosted: bool = True, menu: Menu | None = None) -> Line:
    return Line(line_id, name, line_id.title(), "四川省", "city", hosted, (), menu=menu)


LINES = {"deyang": _line("deyang", "德阳热线", hosted=False), "gaoxin": _line("gaoxin", "高新区热线"),
         "chengdu": _line("chengdu", "成都市热线", menu=MENU)}


class Floor:
    """Every console use case wired to fakes."""

    def __init__(self, wrapup_s: float = 60, offer_timeout_s: float = 20, continuity_wait_s: float = 30) -> None:
        self.clock = FakeClock()
        self.queues, self.presences, self.events = FakeQueues(), FakePresences(), FakeEvents()
        self.records, self.calls, self.trigger = FakeRecords(), FakeCallControl(), FakeTrigger()
        self.steps = FakeOfferSteps(self.queues, self.presences)
        self.memory, self.guard, self.context = FakeFloorMemory(), FakeCloseGuard(), FakeOfferContext()
        self.staffing, self.recovery = FakeStaffing(), FakeRecovery()
        self.directory = Directory(LINES)
        self.answered: list[tuple[int, HandledCall]] = []
        self.writers: set[tuple[int, str]] = set()
        self.database_down = False
        self.notices = Notices(events=self.events, queues=self.queues, presences=self.presences,
                               directory=self.directory, offer_context=self.context)
        self.dispatcher = Dispatcher(presences=self.presences, steps=self.steps, continuity=self.memory,
                                     staffing=self.staffing, notices=self.notices, clock=self.clock,
                                     offer_timeout_s=offer_timeout_s, continuity_wait_s=continuity_wait_s)
        self.console = ConsoleService(presences=self.presences, steps=self.steps, queues=self.queues,
                                      records=self.records, calls=self.calls, directory=self.directory,
                                      notices=self.notices, close_guard=self.guard, continuity=self.memory,
                                      handle_times=self.memory, trigger=self.trigger, clock=self.clock,
                                      wrapup_s=wrapup_s)
        self.time = TimePassing(console=self.console, dispatcher=self.dispatcher, recovery=self.recovery,
                                clock=self.clock)
        self.view = ConsoleView(presences=self.presences, steps=self.steps, queues=self.queues,
                                notices=self.notices, directory=self.directory, uow=self._uow, clock=self.clock)

    def _uow(self) -> FakeConsoleUnitOfWork:
        return FakeConsoleUnitOfWork(self.answered, self.writers, fail=self.database_down)

    def caller(self, sid: str, line_id: str = "gaoxin", priority: int = 0, caller_key: str = "",
               ago_s: float = 0, **fields) -> str:
        """A caller waiting in a line's queue (joined `ago_s` seconds ago)."""
        at = self.clock.now() - timedelta(seconds=ago_s)
        self.queues.enqueue(sid, line_id, priority, at, status="queued", caller_key=caller_key,
                            dialled="+862885337950", **fields)
        state = self.queues.calls[sid]
        self.queues.annotate(sid, member=f"{state['arrived_ms']}:{int(state['seq']):012d}:{sid}")
        return sid

    def counselor(self, counselor_id: int, *lines: str, state: str = "available", idle_s: float = 0,
                  call: str | None = None, until: datetime | None = None) -> None:
        since = self.clock.now() - timedelta(seconds=idle_s)
        self.presences.set(Presence(counselor_id, state, since, lines or ("gaoxin",), f"咨询师{counselor_id}",
                                    call, until))

    def state(self, counselor_id: int) -> str:
        return self.presences.get(counselor_id).state

    def offered_to(self, counselor_id: int) -> str | None:
        presence = self.presences.get(counselor_id)
        return presence.call if presence.state == "offered" else None

    def on_call(self, sid: str, counselor_id: int) -> None:
        """A caller who is talking to this counselor (offered and accepted)."""
        self.caller(sid)
        self.counselor(counselor_id)
        assert self.dispatcher.dispatch() and self.offered_to(counselor_id) == sid
        self.console.accept(sid, counselor_id)

    def events_named(self, name: str) -> list[tuple[dict, tuple[str, ...]]]:
        return [(payload, rooms) for event, payload, rooms in self.events.sent if event == name]
