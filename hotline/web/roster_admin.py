"""Supervisors' roster pages: slots, rotation patterns, leave, single shifts, approvals, audit.

Each POST calls one roster use case (hotline/usecases/roster) and redirects back with a
message; rule violations of a reassignment or an approval are rendered in full,
with the override box (a reason is required to apply a change that breaks rules).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request

from hotline.shifts.days import DAY_FILTERS
from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.patterns_form import PatternInput
from hotline.web.auth import roles_required
from hotline.web.context import hotline
from hotline.web.roster_counselor import swaps_page
from hotline.web.roster_http import actor, back, flash_problem, form_date, form_flag, form_int, form_text

admin = Blueprint("admin", __name__)
DAY_FILTER_LABELS = {"all": "每天 / every day", "weekdays": "周一至周五 / weekdays", "weekends": "周末 / weekends",
                     "working_days": "工作日（含调休）/ working days", "rest_days": "休息日 / rest days",
                     "holidays": "法定节假日 / public holidays"}


# --- slots ----------------------------------------------------------------------------------------
@admin.get("/roster/slots")
@roles_required("supervisor")
def slots():
    hosted = hotline().roster_calendar.hosted_lines()
    return render_template("roster_slots.html", slots=hotline().roster_setup.slots(), lines=hosted,
                           line_names={line.id: line.name for line in hosted})


@admin.post("/roster/slots")
@roles_required("supervisor")
def create_slot():
    try:
        slot = hotline().roster_setup.create_slot(
            actor(), line_id=form_text("line_id", limit=64), start=form_text("start", limit=5),
            end=form_text("end", limit=5), seats=form_int("seats", "席位数", "seats", low=0, high=50),
            label_zh=form_text("label_zh", limit=64), label_en=form_text("label_en", limit=64),
            code=form_text("code", limit=64))
        flash(f"已添加班次 {slot.code} / slot {slot.code} added", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/slots")


@admin.post("/roster/slots/<int:slot_id>/active")
@roles_required("supervisor")
def slot_active(slot_id: int):
    try:
        slot = hotline().roster_setup.set_slot_active(actor(), slot_id, form_flag("active"))
        flash(f"班次 {slot.code} 已{'启用' if slot.active else '停用'} / slot {slot.code} "
              f"{'activated' if slot.active else 'deactivated'}", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/slots")


# --- patterns -------------------------------------------------------------------------------------
@admin.get("/roster/patterns")
@roles_required("supervisor")
def patterns():
    return render_template("roster_patterns.html", **hotline().roster_setup.patterns_page(),
                           day_filters=[(d, DAY_FILTER_LABELS[d]) for d in DAY_FILTERS])


@admin.post("/roster/patterns")
@roles_required("supervisor")
def create_pattern():
    try:
        data = PatternInput(code=form_text("code", limit=64), name=form_text("name", limit=128),
                            cycle_text=form_text("cycle", limit=2000), assignees_text=form_text("assignees", limit=8000),
                            start=form_date("start", "开始日期", "start"),
                            end=form_date("end", "结束日期", "end", optional=True),
                            days=form_text("days", "all", 16), on_holiday=form_text("on_holiday", "work", 8),
                            advance_on=form_text("advance_on", "every_day", 16))
        row = hotline().roster_setup.create_pattern(actor(), data)
        flash(f"已添加轮值模式 {row.code}；请生成班表使其生效 / pattern {row.code} added; generate the roster "
              f"to apply it", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/patterns")


@admin.post("/roster/patterns/<int:pattern_id>/active")
@roles_required("supervisor")
def pattern_active(pattern_id: int):
    try:
        row = hotline().roster_setup.set_pattern_active(actor(), pattern_id, form_flag("active"))
        flash(f"轮值模式 {row.code} 已{'启用' if row.active else '停用'} / pattern {row.code} "
              f"{'activated' if row.active else 'deactivated'}", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/patterns")


# --- leave ----------------------------------------------------------------------------------------
@admin.get("/roster/leave")
@roles_required("supervisor")
def leave():
    return render_template("roster_leave.html", **hotline().roster_edits.leave_page())


@admin.post("/roster/leave")
@roles_required("supervisor")
def add_leave():
    try:
        first = form_date("first", "开始日期", "first day")
        last = form_date("last", "结束日期", "last day", optional=True) or first
        row, clashes = hotline().roster_edits.add_leave(actor(), form_int("counselor_id", "咨询师", "counselor"),
                                                        first, last, form_text("reason", limit=200))
        flash(f"已登记请假 / leave recorded ({row.starts_at.date()} …)", "success")
        if clashes:
            flash_problem(RosterProblem(f"有 {len(clashes)} 个班次与请假冲突，请安排顶班 / {len(clashes)} "
                                        f"rostered shift(s) clash with it: reassign them", clashes))
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/leave")


@admin.post("/roster/leave/<int:leave_id>/delete")
@roles_required("supervisor")
def delete_leave(leave_id: int):
    try:
        hotline().roster_edits.delete_leave(actor(), leave_id)
        flash("已删除请假记录 / leave removed", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/leave")


# --- single shifts ----------------------------------------------------------------------------------
@admin.get("/roster/shifts/<int:shift_id>")
@roles_required("supervisor")
def shift(shift_id: int, problem: RosterProblem | None = None, status: int = 200):
    page = hotline().roster_edits.shift_page(shift_id)
    if page is None:
        flash(f"班次 {shift_id} 不存在 / no shift {shift_id}", "error")
        return redirect("/roster")
    return render_template("roster_shift.html", **page, problem=problem), status


@admin.post("/roster/shifts")
@roles_required("supervisor")
def add_shift():
    try:
        row, messages = hotline().roster_edits.add_shift(
            actor(), form_int("counselor_id", "咨询师", "counselor"), form_text("slot", limit=64),
            form_date("day", "日期", "date"), override=form_flag("override"), reason=form_text("reason"))
        flash(f"已添加班次 / shift added{'（已强制执行 / overridden）' if messages else ''}", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return back("/roster")


@admin.post("/roster/shifts/<int:shift_id>/reassign")
@roles_required("supervisor")
def reassign_shift(shift_id: int):
    try:
        hotline().roster_edits.reassign_shift(actor(), shift_id, form_int("counselor_id", "咨询师", "counselor"),
                                              override=form_flag("override"), reason=form_text("reason"))
    except RosterProblem as problem:
        return shift(shift_id, problem, 409)
    flash("已改派班次 / shift reassigned", "success")
    return redirect(f"/roster/shifts/{shift_id}")


@admin.post("/roster/shifts/<int:shift_id>/delete")
@roles_required("supervisor")
def delete_shift(shift_id: int):
    try:
        hotline().roster_edits.remove_shift(actor(), shift_id, form_text("reason"))
        flash("已删除班次 / shift removed", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return back("/roster")


# --- approvals ------------------------------------------------------------------------------------
@admin.post("/roster/swaps/<int:swap_id>/approve")
@roles_required("supervisor")
def approve(swap_id: int):
    try:
        swap = hotline().roster_swaps.approve(actor(), swap_id, override=form_flag("override"),
                                              note=form_text("note"))
    except RosterProblem as problem:
        return swaps_page(problem=problem, problem_swap=swap_id, status=409)
    flash(f"已批准申请 #{swap.id}{'（强制执行，已记录理由）' if swap.override else ''} / request #{swap.id} "
          f"approved{' (override recorded)' if swap.override else ''}", "success")
    return redirect("/roster/swaps")


@admin.post("/roster/swaps/<int:swap_id>/reject")
@roles_required("supervisor")
def reject(swap_id: int):
    try:
        hotline().roster_swaps.reject(actor(), swap_id, form_text("note"))
        flash(f"已拒绝申请 #{swap_id} / request #{swap_id} rejected", "success")
    except RosterProblem as problem:
        flash_problem(problem)
    return redirect("/roster/swaps")


# --- audit ----------------------------------------------------------------------------------------
@admin.get("/roster/audit")
@roles_required("supervisor")
def audit():
    raw = request.args.get("limit") or "200"
    page = hotline().roster_edits.audit_page(limit=min(int(raw), 2000) if raw.isdigit() else 200)
    return render_template("roster_audit.html", rows=page["rows"], zone=page["zone"])
