"""A counselor's roster pages: my shifts, swap and cover requests, my calendar feed.

Counselors see only their own shifts and requests (and colleagues' shifts only
when choosing one to swap against); the requests list is shared with supervisors,
who see every open request with the rule check it would face.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from hotline.usecases.roster.context import RosterProblem
from hotline.web.context import hotline
from hotline.web.roster_http import actor, flash_problem, form_int, form_text, is_supervisor

log = logging.getLogger(__name__)
counselor = Blueprint("counselor", __name__)
STATUS_LABELS = {"proposed": "待对方确认 / awaiting colleague", "accepted": "待督导批准 / awaiting supervisor",
                 "approved": "已批准 / approved", "rejected": "已拒绝 / rejected", "cancelled": "已取消 / cancelled"}
KIND_LABELS = {"swap": "换班 / swap", "cover": "顶班 / cover"}


def feed_response(token: str) -> Response:
    """The counselor's .ics for a valid token; 404 (never a sign-in page) otherwise."""
    body = hotline().roster_feeds.feed_for_token(token)
    if body is None:
        return Response("未知或已撤销的订阅链接 / unknown or revoked feed\n", 404, mimetype="text/plain")
    return Response(body, 200, {"Content-Type": "text/calendar; charset=utf-8",
                                "Content-Disposition": 'inline; filename="shifts.ics"',
                                "Cache-Control": "private, max-age=300"})


# --- my shifts and feed ----------------------------------------------------------------------------
@counselor.get("/roster/mine")
@login_required
def mine(new_token: str | None = None):
    h = hotline()
    feed_url = url_for("roster.feed", token=new_token, _external=False) if new_token else None
    return render_template("roster_mine.html", shifts=h.roster_calendar.mine(current_user.id),
                           **h.roster_swaps.mine(current_user.id), feed=h.roster_feeds.status(current_user.id),
                           feed_url=h.roster_feeds.url(feed_url), kinds=KIND_LABELS)


@counselor.post("/roster/mine/feed")
@login_required
def regenerate_feed():
    token = hotline().roster_feeds.regenerate(current_user.id)
    flash("已生成新的订阅链接，旧链接已失效 / new feed link created; the old one no longer works", "success")
    return mine(new_token=token)


@counselor.post("/roster/mine/feed/revoke")
@login_required
def revoke_feed():
    if hotline().roster_feeds.revoke(current_user.id):
        flash("订阅链接已撤销 / feed link revoked", "success")
    return redirect("/roster/mine")


# --- requests ------------------------------------------------------------------------------------------
@counselor.get("/roster/swaps")
@login_required
def swaps_page(problem: RosterProblem | None = None, problem_swap: int | None = None, status: int = 200):
    supervisor = is_supervisor()
    listing = hotline().roster_swaps.listing(current_user.id, supervisor)
    return render_template("roster_swaps.html", **listing, supervisor=supervisor, statuses=STATUS_LABELS,
                           kinds=KIND_LABELS, problem=problem, problem_swap=problem_swap), status


@counselor.get("/roster/swaps/new")
@login_required
def new_swap():
    form = hotline().roster_calendar.swap_form(current_user.id, request.args.get("shift", type=int))
    if form is None:
        abort(404)
    if form["shift"] is None:
        flash("只能调换尚未开始的班次 / only shifts that have not started can change hands", "error")
        return redirect("/roster/mine")
    return render_template("roster_swap_new.html", **form)


@counselor.post("/roster/swaps")
@login_required
def propose():
    swaps = hotline().roster_swaps
    try:
        kind = form_text("kind", limit=8)
        other = form_int("other_shift_id", "对方班次", "colleague's shift", low=1) if kind == "swap" else None
        target = form_int("target_id", "同事", "colleague", low=1) if kind == "cover" else swaps.shift_owner(other)
        swap = swaps.propose(current_user.id, kind, form_int("shift_id", "班次", "shift", low=1), target, other,
                             form_text("reason"))
        flash(f"已提交申请 #{swap.id}，等待对方确认 / request #{swap.id} sent; waiting for your colleague", "success")
        return redirect("/roster/swaps")
    except RosterProblem as problem:
        flash_problem(problem)
        return redirect(_swap_form_again())


def _swap_form_again() -> str:
    """Back to the swap form of the shift asked about, built from the form's shift id, never
    from the Referer header (a forged one must not choose where the browser goes next)."""
    shift_id = request.form.get("shift_id", "")
    return f"/roster/swaps/new?shift={int(shift_id)}" if shift_id.isdigit() and len(shift_id) < 12 else "/roster/mine"


@counselor.post("/roster/swaps/<int:swap_id>/accept")
@login_required
def accept(swap_id: int):
    return _act(lambda: hotline().roster_swaps.accept(actor(), swap_id),
                "已接受，等待督导批准 / accepted; waiting for a supervisor")


@counselor.post("/roster/swaps/<int:swap_id>/decline")
@login_required
def decline(swap_id: int):
    return _act(lambda: hotline().roster_swaps.decline(actor(), swap_id, form_text("note")), "已婉拒 / declined")


@counselor.post("/roster/swaps/<int:swap_id>/cancel")
@login_required
def cancel(swap_id: int):
    return _act(lambda: hotline().roster_swaps.cancel(actor(), swap_id), "已取消申请 / request cancelled")


def _act(action, done: str):
    try:
        action()
        flash(done, "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/swaps")
