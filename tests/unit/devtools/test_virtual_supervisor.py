"""The demo's machine-played supervisor: supervises a conference call, then leaves."""
from __future__ import annotations

from hotline.devtools.virtual_supervisor import VirtualSupervisor
from hotline.usecases.calls.conference_actions import ConferenceError, Supervisor


class Actions:
    def __init__(self, refuse=()):
        self.done, self.refuse = [], set(refuse)

    def supervise(self, call, supervisor, mode):
        if call in self.refuse:
            raise ConferenceError("ended")
        self.done.append((call, supervisor.user_id, mode))

    def stop_supervising(self, call, supervisor):
        self.done.append((call, supervisor.user_id, "leave"))


def test_it_supervises_only_conference_calls_and_leaves():
    actions = Actions()
    calls = [{"call": "CA1", "conference": False}, {"call": "CA2", "conference": True}]
    player = VirtualSupervisor(actions, lambda: calls, Supervisor(5, "supervisor"), seed=3)
    assert player.step() == "CA2"
    player.leave("CA2")
    assert [d[0] for d in actions.done] == ["CA2", "CA2"] and actions.done[-1][2] == "leave"
    assert actions.done[0][2] in ("coach", "listen", "join")


def test_a_refused_call_is_skipped():
    player = VirtualSupervisor(Actions(refuse={"CA2"}), lambda: [{"call": "CA2", "conference": True}],
                               Supervisor(5, "supervisor"))
    assert player.step() is None and player.sessions == []
