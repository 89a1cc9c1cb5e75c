"""What a swap or cover request may refer to, and how it is recorded: the checks shared by
proposing, approving and previewing a request (swaps.py)."""
from __future__ import annotations

from datetime import datetime

from hotline.ports import RosterUnitOfWork, StoredShift, SwapRecord
from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.naming import shift_snapshot

STATUS_ZH = {"proposed": "待对方确认", "accepted": "待督导批准", "approved": "已批准", "rejected": "已拒绝",
             "cancelled": "已取消"}


def swap_of(uow: RosterUnitOfWork, swap_id: int) -> SwapRecord:
    swap = uow.swaps.get(swap_id)
    if swap is None:
        raise RosterProblem(f"换班申请 {swap_id} 不存在 / no request {swap_id}")
    return swap


def own_future_shift(uow: RosterUnitOfWork, shift_id: int | None, owner_id: int, now: datetime) -> StoredShift:
    """A shift the counselor holds and that has not started (only those can change hands)."""
    shift = uow.shifts.get(shift_id) if shift_id else None
    if shift is None or shift.counselor_id != owner_id:
        raise RosterProblem(f"班次 {shift_id} 不属于该咨询师 / shift {shift_id} does not belong to that counselor")
    if shift.starts_at <= now:
        raise RosterProblem("只能调换尚未开始的班次 / only shifts that have not started can change hands")
    return shift


def current_shifts(uow: RosterUnitOfWork, swap: SwapRecord) -> tuple[StoredShift, StoredShift | None]:
    """The request's shifts, still held by the people it names (else the request is stale)."""
    mine = uow.shifts.get(swap.shift_id) if swap.shift_id else None
    theirs = uow.shifts.get(swap.other_shift_id) if swap.other_shift_id else None
    stale = (mine is None or mine.counselor_id != swap.requester_id
             or swap.kind == "swap" and (theirs is None or theirs.counselor_id != swap.target_id))
    if stale:
        raise RosterProblem("申请涉及的班次已变动，请重新提出 / the shifts in this request have changed; "
                            "please propose again")
    return mine, theirs


def detail(mine: StoredShift, theirs: StoredShift | None, names: dict[int, str]) -> dict:
    """The readable copy a request keeps of its shifts as proposed."""
    return {"shift": shift_snapshot(mine, names.get(mine.counselor_id, "")),
            "other": shift_snapshot(theirs, names.get(theirs.counselor_id, "")) if theirs else None}


def state(swap: SwapRecord) -> dict:
    """A request's state as the audit keeps it before and after a step."""
    return {"status": swap.status, "kind": swap.kind, "requester_id": swap.requester_id,
            "target_id": swap.target_id, "shift_id": swap.shift_id, "other_shift_id": swap.other_shift_id}


def status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)
