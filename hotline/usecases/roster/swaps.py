"""Swap and cover requests: a counselor proposes, the colleague accepts, a supervisor approves.

    proposed --accept (colleague)--> accepted --approve (supervisor)--> approved
        |  \\--decline (colleague) / reject (supervisor)--> rejected       (shifts change hands)
        \\--cancel (requester, while open)--> cancelled

The roster rules run when a supervisor approves (and are shown before, as a
preview). Approval with violations is refused unless the supervisor overrides
with a written reason; violations, override and reason are kept on the request
and in the audit. Only the approval changes the roster (and is announced).
"""
from __future__ import annotations

from hotline.ports import (OPEN_SWAP_STATUSES, SWAP_KINDS, Clock, RosterUnitOfWork, RosterUnitOfWorkFactory,
                           StoredShift, SwapRecord)
from hotline.usecases.roster.context import RosterChanges, RosterProblem
from hotline.usecases.roster.naming import shift_snapshot
from hotline.usecases.roster.rules_check import apply_core, introduced, local_roster, require_allowed
from hotline.usecases.roster.swap_rules import current_shifts, detail, own_future_shift, state, status_zh, swap_of

LISTED = 200


class SwapRequests:
    def __init__(self, uow: RosterUnitOfWorkFactory, clock: Clock, directory, changes: RosterChanges) -> None:
        self.uow = uow
        self.clock = clock
        self.directory = directory
        self.changes = changes

    def propose(self, requester_id: int, kind: str, shift_id: int, target_id: int,
                other_shift_id: int | None = None, reason: str = "") -> SwapRecord:
        """Ask a colleague to take one's shift (cover) or to exchange shifts (swap)."""
        if kind not in SWAP_KINDS:
            raise RosterProblem(f"未知类型 {kind!r} / unknown kind {kind!r}")
        if target_id == requester_id:
            raise RosterProblem("不能向自己提出换班 / you cannot ask yourself")
        now = self.clock.now()
        with self.uow() as uow:
            mine = own_future_shift(uow, shift_id, requester_id, now)
            target = uow.staff.get(target_id)
            if target is None or not target.active:
                raise RosterProblem(f"同事 {target_id} 不存在或已停用 / colleague {target_id} does not exist or is disabled")
            theirs = own_future_shift(uow, other_shift_id, target_id, now) if kind == "swap" else None
            if kind == "swap" and theirs is None:
                raise RosterProblem("换班需要选择对方的班次 / a swap needs the colleague's shift")
            if uow.swaps.open_touching([mine.id] + ([theirs.id] if theirs else [])):
                raise RosterProblem("该班次已有未完成的换班申请 / this shift already has an open request")
            names = uow.staff.names([requester_id, target_id])
            swap = uow.swaps.add(kind=kind, status="proposed", requester_id=requester_id, target_id=target_id,
                                 shift_id=mine.id, other_shift_id=theirs.id if theirs else None,
                                 reason=reason.strip()[:1000], detail=detail(mine, theirs, names), decision_note="",
                                 override=False, violations=[], created_at=now)
            uow.audit.record(now, requester_id, f"{kind}.propose", f"swap:{swap.id}", None, state(swap), swap.reason)
            uow.commit()
        return swap

    def accept(self, user_id: int, swap_id: int) -> SwapRecord:
        return self._move(user_id, swap_id, "proposed", "accepted", who="target")

    def decline(self, user_id: int, swap_id: int, note: str = "") -> SwapRecord:
        return self._move(user_id, swap_id, "proposed", "rejected", who="target", note=note)

    def cancel(self, user_id: int, swap_id: int) -> SwapRecord:
        return self._move(user_id, swap_id, OPEN_SWAP_STATUSES, "cancelled", who="requester")

    def reject(self, supervisor_id: int, swap_id: int, note: str = "") -> SwapRecord:
        return self._move(supervisor_id, swap_id, OPEN_SWAP_STATUSES, "rejected", who="supervisor", note=note)

    def approve(self, supervisor_id: int, swap_id: int, *, override: bool = False, note: str = "") -> SwapRecord:
        """Apply an accepted request after the rule checks (see the module docstring for the policy)."""
        now = self.clock.now()
        with self.uow() as uow:
            swap = swap_of(uow, swap_id)
            if swap.status != "accepted":
                raise RosterProblem(f"只能批准对方已接受的申请（当前：{status_zh(swap.status)}） / "
                                    f"only accepted requests can be approved (now: {swap.status})")
            mine, theirs = current_shifts(uow, swap)
            if any(s.starts_at <= now for s in (mine, theirs) if s is not None):
                raise RosterProblem("班次已开始，不能再调换 / a shift in this request has already started")
            messages = require_allowed(self._edit(uow, swap, mine, theirs), override, note)
            before = {"shift": shift_snapshot(mine), "other": shift_snapshot(theirs) if theirs else None}
            mine = uow.shifts.hand_over(mine.id, swap.target_id, swap.kind)
            if theirs is not None:
                theirs = uow.shifts.hand_over(theirs.id, swap.requester_id, swap.kind)
            swap = uow.swaps.update(swap.id, status="approved", decided_by=supervisor_id, decided_at=now,
                                    override=bool(messages), violations=messages, decision_note=note.strip()[:1000])
            after = {"shift": shift_snapshot(mine), "other": shift_snapshot(theirs) if theirs else None,
                     "violations": messages, "override": bool(messages)}
            uow.audit.record(now, supervisor_id, f"{swap.kind}.approve", f"swap:{swap.id}", before, after,
                             swap.decision_note)
            uow.commit()
        self.changes.announce()
        return swap

    def preview(self, swap_id: int) -> list[str]:
        """The violations approving this request would cause now ([] when none, or when it cannot apply)."""
        with self.uow() as uow:
            swap = swap_of(uow, swap_id)
            if swap.status not in OPEN_SWAP_STATUSES:
                return []
            try:
                mine, theirs = current_shifts(uow, swap)
                return [v.message for v in self._edit(uow, swap, mine, theirs)]
            except RosterProblem as exc:
                return [str(exc)]

    # --- what the pages list ------------------------------------------------------------------------
    def listing(self, viewer_id: int, supervisor: bool) -> dict:
        """Requests a viewer sees (a supervisor: everyone's, with the rule check each accepted one faces)."""
        with self.uow() as uow:
            swaps = uow.swaps.recent(user_id=None if supervisor else viewer_id, limit=LISTED)
            names = uow.staff.names({uid for s in swaps for uid in (s.requester_id, s.target_id)})
        previews = {s.id: self.preview(s.id) for s in swaps if supervisor and s.status == "accepted"}
        return {"open": [s for s in swaps if s.status in OPEN_SWAP_STATUSES],
                "done": [s for s in swaps if s.status not in OPEN_SWAP_STATUSES][:50], "names": names,
                "previews": previews, "line_names": {line.id: line.name for line in self.directory}}

    def mine(self, user_id: int) -> dict:
        """A counselor's shifts with an open request, and the requests colleagues sent them."""
        with self.uow() as uow:
            open_ids = {sid for s in uow.swaps.recent(user_id=user_id, statuses=OPEN_SWAP_STATUSES)
                        for sid in (s.shift_id, s.other_shift_id) if sid}
            incoming = [s for s in uow.swaps.recent(user_id=user_id, statuses=("proposed",)) if s.target_id == user_id]
        return {"open_ids": open_ids, "incoming": incoming}

    def shift_owner(self, shift_id: int | None) -> int:
        """Who holds a shift now (the colleague a swap is proposed to)."""
        with self.uow() as uow:
            shift = uow.shifts.get(shift_id) if shift_id else None
        if shift is None:
            raise RosterProblem(f"班次 {shift_id} 不存在 / no shift {shift_id}")
        return shift.counselor_id

    # --- helpers ---------------------------------------------------------------------------------------
    def _move(self, user_id: int, swap_id: int, from_status, to_status: str, *, who: str,
              note: str = "") -> SwapRecord:
        allowed = (from_status,) if isinstance(from_status, str) else tuple(from_status)
        now = self.clock.now()
        with self.uow() as uow:
            swap = swap_of(uow, swap_id)
            if who == "target" and swap.target_id != user_id or who == "requester" and swap.requester_id != user_id:
                raise RosterProblem("这不是您的申请 / this request is not yours to change")
            if swap.status not in allowed:
                raise RosterProblem(f"申请当前为“{status_zh(swap.status)}”，不能改为“{status_zh(to_status)}” / "
                                    f"the request is {swap.status}; it cannot become {to_status}")
            before = state(swap)
            if to_status == "accepted":
                swap = uow.swaps.update(swap.id, status=to_status, accepted_at=now)
            else:
                swap = uow.swaps.update(swap.id, status=to_status, decided_by=user_id, decided_at=now,
                                        decision_note=note.strip()[:1000])
            uow.audit.record(now, user_id, f"{swap.kind}.{_verb(to_status, who)}", f"swap:{swap.id}", before,
                             state(swap), note.strip())
            uow.commit()
        return swap

    def _edit(self, uow: RosterUnitOfWork, swap: SwapRecord, mine: StoredShift, theirs: StoredShift | None):
        shifts = [mine] + ([theirs] if theirs else [])
        local = local_roster(uow, self.directory, [swap.requester_id, swap.target_id],
                             min(s.starts_at for s in shifts), max(s.ends_at for s in shifts))
        if swap.kind == "swap":
            edit = apply_core(lambda: local.roster.swap(local.shift(mine), local.shift(theirs)))
        else:
            edit = apply_core(lambda: local.roster.reassign(local.shift(mine), str(swap.target_id)))
        return introduced(local, edit)


def _verb(status: str, who: str) -> str:
    return {"accepted": "accept", "cancelled": "cancel"}.get(status, "decline" if who == "target" else "reject")
