"""Swap and cover requests: a counselor proposes, the colleague accepts, a supervisor approves.

    proposed --accept (colleague)--> accepted --approve (supervisor)--> approved
        |  \\--decline (colleague) / reject (supervisor)--> rejected       (shifts change hands)
        \\--cancel (requester, while open)--> cancelled

The roster rules run when a supervisor approves (and are shown before, as a
preview). Approval with violations is refused unless the supervisor overrides
with a written reason; violations, override and reason are kept on the request
and in roster_audit. Only the approval changes the roster (and bumps its version).
"""
from __future__ import annotations

from datetime import datetime

from hotline.usecases.roster import convert
from hotline.usecases.roster.context import RosterProblem, changed
from hotline.usecases.roster.rules_check import apply_core, introduced, local_roster, require_allowed
from hotline.store import rosters_repo as repo
from hotline.store.rosters import OPEN_SWAP_STATUSES, SWAP_KINDS, ShiftRow, SwapRequest
from hotline.store.users import get_user


def propose(services, requester_id: int, kind: str, shift_id: int, target_id: int,
            other_shift_id: int | None = None, reason: str = "") -> SwapRequest:
    """Ask a colleague to take one's shift (cover) or to exchange shifts (swap)."""
    if kind not in SWAP_KINDS:
        raise RosterProblem(f"未知类型 {kind!r} / unknown kind {kind!r}")
    if target_id == requester_id:
        raise RosterProblem("不能向自己提出换班 / you cannot ask yourself")
    now = services.now()
    with changed(services, roster_moved=False) as session:
        mine = _own_future_shift(session, shift_id, requester_id, now)
        target = get_user(session, target_id)
        if target is None or not target.active:
            raise RosterProblem(f"同事 {target_id} 不存在或已停用 / colleague {target_id} does not exist or is disabled")
        theirs = _own_future_shift(session, other_shift_id, target_id, now) if kind == "swap" else None
        if kind == "swap" and theirs is None:
            raise RosterProblem("换班需要选择对方的班次 / a swap needs the colleague's shift")
        ids = [mine.id] + ([theirs.id] if theirs else [])
        if repo.open_swaps_touching(session, ids):
            raise RosterProblem("该班次已有未完成的换班申请 / this shift already has an open request")
        names = repo.names(session, [requester_id, target_id])
        swap = SwapRequest(kind=kind, status="proposed", requester_id=requester_id, target_id=target_id,
                           shift_id=mine.id, other_shift_id=theirs.id if theirs else None,
                           reason=reason.strip()[:1000], detail=_detail(services.directory, mine, theirs, names),
                           decision_note="", override=False, violations=[], created_at=now)
        session.add(swap)
        session.flush()
        repo.audit(session, now, requester_id, f"{kind}.propose", f"swap:{swap.id}", None, _state(swap), swap.reason)
    return swap


def accept(services, user_id: int, swap_id: int) -> SwapRequest:
    return _move(services, user_id, swap_id, "proposed", "accepted", who="target")


def decline(services, user_id: int, swap_id: int, note: str = "") -> SwapRequest:
    return _move(services, user_id, swap_id, "proposed", "rejected", who="target", note=note)


def cancel(services, user_id: int, swap_id: int) -> SwapRequest:
    return _move(services, user_id, swap_id, OPEN_SWAP_STATUSES, "cancelled", who="requester")


def reject(services, supervisor_id: int, swap_id: int, note: str = "") -> SwapRequest:
    return _move(services, supervisor_id, swap_id, OPEN_SWAP_STATUSES, "rejected", who="supervisor", note=note)


def approve(services, supervisor_id: int, swap_id: int, *, override: bool = False, note: str = "") -> SwapRequest:
    """Apply an accepted request after the rule checks (see the module docstring for the policy)."""
    now = services.now()
    with changed(services) as session:
        swap = _swap(session, swap_id)
        if swap.status != "accepted":
            raise RosterProblem(f"只能批准对方已接受的申请（当前：{_status_zh(swap.status)}） / "
                                f"only accepted requests can be approved (now: {swap.status})")
        mine, theirs = _current_rows(session, swap)
        if any(r.starts_at <= now for r in (mine, theirs) if r is not None):
            raise RosterProblem("班次已开始，不能再调换 / a shift in this request has already started")
        messages = require_allowed(_edit(services, session, swap, mine, theirs), override, note)
        d = services.directory
        before = {"shift": convert.shift_dict(mine, d), "other": convert.shift_dict(theirs, d) if theirs else None}
        _hand_over(swap, mine, theirs)
        session.flush()
        swap.status, swap.decided_by, swap.decided_at = "approved", supervisor_id, now
        swap.override, swap.violations, swap.decision_note = bool(messages), messages, note.strip()[:1000]
        after = {"shift": convert.shift_dict(mine, d), "other": convert.shift_dict(theirs, d) if theirs else None,
                 "violations": messages, "override": bool(messages)}
        repo.audit(session, now, supervisor_id, f"{swap.kind}.approve", f"swap:{swap.id}", before, after, swap.decision_note)
    return swap


def preview(services, swap_id: int) -> list[str]:
    """The violations approving this request would cause now ([] when none, or when it cannot apply)."""
    with services.db.session() as session:
        swap = _swap(session, swap_id)
        if swap.status not in OPEN_SWAP_STATUSES:
            return []
        try:
            mine, theirs = _current_rows(session, swap)
            return [v.message for v in _edit(services, session, swap, mine, theirs)]
        except RosterProblem as exc:
            return [str(exc)]


# --- helpers -------------------------------------------------------------------------------------
def _move(services, user_id: int, swap_id: int, from_status, to_status: str, *, who: str, note: str = "") -> SwapRequest:
    allowed = (from_status,) if isinstance(from_status, str) else tuple(from_status)
    now = services.now()
    with changed(services, roster_moved=False) as session:
        swap = _swap(session, swap_id)
        if who == "target" and swap.target_id != user_id or who == "requester" and swap.requester_id != user_id:
            raise RosterProblem("这不是您的申请 / this request is not yours to change")
        if swap.status not in allowed:
            raise RosterProblem(f"申请当前为“{_status_zh(swap.status)}”，不能改为“{_status_zh(to_status)}” / "
                                f"the request is {swap.status}; it cannot become {to_status}")
        before = _state(swap)
        swap.status = to_status
        if to_status == "accepted":
            swap.accepted_at = now
        else:
            swap.decided_by, swap.decided_at, swap.decision_note = user_id, now, note.strip()[:1000]
        repo.audit(session, now, user_id, f"{swap.kind}.{_verb(to_status, who)}", f"swap:{swap.id}", before,
                   _state(swap), note.strip())
    return swap


def _verb(status: str, who: str) -> str:
    return {"accepted": "accept", "cancelled": "cancel"}.get(status, "decline" if who == "target" else "reject")


def _edit(services, session, swap: SwapRequest, mine: ShiftRow, theirs: ShiftRow | None):
    rows = [mine] + ([theirs] if theirs else [])
    local = local_roster(services, session, [swap.requester_id, swap.target_id],
                         min(r.starts_at for r in rows), max(r.ends_at for r in rows))
    if swap.kind == "swap":
        edit = apply_core(lambda: local.roster.swap(local.shift(mine), local.shift(theirs)))
    else:
        edit = apply_core(lambda: local.roster.reassign(local.shift(mine), str(swap.target_id)))
    return introduced(local, edit)


def _hand_over(swap: SwapRequest, mine: ShiftRow, theirs: ShiftRow | None) -> None:
    mine.counselor_id, mine.source = swap.target_id, swap.kind
    if theirs is not None:
        theirs.counselor_id, theirs.source = swap.requester_id, swap.kind


def _current_rows(session, swap: SwapRequest) -> tuple[ShiftRow, ShiftRow | None]:
    """The request's shifts, still held by the people it names (else the request is stale)."""
    mine = session.get(ShiftRow, swap.shift_id) if swap.shift_id else None
    theirs = session.get(ShiftRow, swap.other_shift_id) if swap.other_shift_id else None
    stale = (mine is None or mine.counselor_id != swap.requester_id
             or swap.kind == "swap" and (theirs is None or theirs.counselor_id != swap.target_id))
    if stale:
        raise RosterProblem("申请涉及的班次已变动，请重新提出 / the shifts in this request have changed; "
                            "please propose again")
    return mine, theirs


def _own_future_shift(session, shift_id: int | None, owner_id: int, now: datetime) -> ShiftRow:
    row = session.get(ShiftRow, shift_id) if shift_id else None
    if row is None or row.counselor_id != owner_id:
        raise RosterProblem(f"班次 {shift_id} 不属于该咨询师 / shift {shift_id} does not belong to that counselor")
    if row.starts_at <= now:
        raise RosterProblem("只能调换尚未开始的班次 / only shifts that have not started can change hands")
    return row


def _swap(session, swap_id: int) -> SwapRequest:
    swap = session.get(SwapRequest, swap_id)
    if swap is None:
        raise RosterProblem(f"换班申请 {swap_id} 不存在 / no request {swap_id}")
    return swap


def _detail(directory, mine: ShiftRow, theirs: ShiftRow | None, names: dict[int, str]) -> dict:
    return {"shift": convert.shift_dict(mine, directory, names.get(mine.counselor_id, "")),
            "other": convert.shift_dict(theirs, directory, names.get(theirs.counselor_id, "")) if theirs else None}


def _state(swap: SwapRequest) -> dict:
    return {"status": swap.status, "kind": swap.kind, "requester_id": swap.requester_id,
            "target_id": swap.target_id, "shift_id": swap.shift_id, "other_shift_id": swap.other_shift_id}


STATUS_ZH = {"proposed": "待对方确认", "accepted": "待督导批准", "approved": "已批准", "rejected": "已拒绝",
             "cancelled": "已取消"}


def _status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)
