"""Generated triage records and rosters to go with synthetic calls (tests, benchmark, demos).

Triage: an assessment for a share of the answered calls (encrypted answers with
concerns and a population level, a risk level), follow-up tasks for high and
imminent calls (some done in time, some late, some never), and referrals for
moderate and worse with a status history. Rosters: counselors, slots and shifts
covering the hosted lines' slots, with a few deliberate holes (coverage gaps).
All written in bulk with the other areas' tables (hotline.store.triage, .rosters).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from hotline.devtools.synthetic_calls import SyntheticCall
from hotline.reports.windows import zone
from hotline.store.rosters import RosterSlot, ShiftRow
from hotline.store.triage import Assessment, FollowUp, Referral
from hotline.store.users import User

CONCERNS = ("anxiety", "low_mood", "sleep", "relationships", "family_parenting", "work_study_stress",
            "bereavement", "epidemic_fear", "psychiatric_symptoms", "other")
POPULATION = ("1", "2", "3", "4", "not_applicable")
LEVELS = ("none", "low", "moderate", "high", "imminent")
LEVEL_WEIGHTS = (40, 30, 15, 10, 5)


@dataclass(frozen=True)
class SyntheticAssessment:
    call_sid: str
    caller_key: str
    level: str
    concerns: tuple[str, ...]
    population_level: str
    at: datetime


@dataclass(frozen=True)
class SyntheticFollowUp:
    call_sid: str
    caller_key: str
    level: str
    created_at: datetime
    due_at: datetime
    done_at: datetime | None


@dataclass(frozen=True)
class SyntheticReferral:
    call_sid: str
    caller_key: str
    created_at: datetime
    history: tuple[tuple[str, datetime], ...]     # (status, at), the first is "suggested"
    next_follow_up_at: datetime | None

    @property
    def status(self) -> str:
        return self.history[-1][0]


@dataclass(frozen=True)
class TriageSet:
    assessments: list[SyntheticAssessment]
    follow_ups: list[SyntheticFollowUp]
    referrals: list[SyntheticReferral]


FOLLOW_UP_HOURS = {"suggested": 24, "accepted": 48, "contacted": 72}
PATHS = (("suggested",), ("suggested", "accepted"), ("suggested", "accepted", "contacted"),
         ("suggested", "accepted", "contacted", "completed"), ("suggested", "contacted", "completed"),
         ("suggested", "declined"))


def triage_for(calls: Sequence[SyntheticCall], share: float = 0.4, seed: int = 7) -> TriageSet:
    """Assessments for `share` of the answered calls, with their follow-ups and referrals."""
    rng = random.Random(seed)
    assessments, follow_ups, referrals = [], [], []
    for call in calls:
        if call.outcome != "answered" or rng.random() >= share:
            continue
        at = call.ended_at
        level = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        concerns = tuple(rng.sample(CONCERNS, rng.randint(1, 3)))
        assessments.append(SyntheticAssessment(call.call_sid, call.caller_key, level, concerns,
                                               rng.choice(POPULATION), at))
        if level in ("high", "imminent"):
            follow_ups.append(_follow_up(rng, call, level, at))
        if level in ("moderate", "high", "imminent"):
            referrals.append(_referral(rng, call, at))
    return TriageSet(assessments, follow_ups, referrals)


def _follow_up(rng: random.Random, call: SyntheticCall, level: str, at: datetime) -> SyntheticFollowUp:
    due = at + timedelta(hours=24)
    roll = rng.random()
    done = due - timedelta(hours=rng.uniform(1, 20)) if roll < 0.5 else (
        due + timedelta(hours=rng.uniform(1, 96)) if roll < 0.8 else None)
    return SyntheticFollowUp(call.call_sid, call.caller_key, level, at, due, done)


def _referral(rng: random.Random, call: SyntheticCall, at: datetime) -> SyntheticReferral:
    path = rng.choice(PATHS)
    history, when = [], at
    for status in path:
        history.append((status, when))
        when = when + timedelta(hours=rng.uniform(2, 90))
    last_status, last_at = history[-1]
    hours = FOLLOW_UP_HOURS.get(last_status)
    due = last_at + timedelta(hours=hours) if hours else None
    return SyntheticReferral(call.call_sid, call.caller_key, at, tuple(history), due)


def insert_triage(session: Session, triage: TriageSet, encrypt: Callable[[str], str]) -> None:
    if triage.assessments:
        session.execute(insert(Assessment), [_assessment_row(a, encrypt) for a in triage.assessments])
    if triage.follow_ups:
        session.execute(insert(FollowUp), [dict(
            call_sid=f.call_sid, caller_key=f.caller_key, level=f.level, due_at=f.due_at,
            status="done" if f.done_at else "due", job_id=None, created_at=f.created_at,
            done_by=1 if f.done_at else None,
            done_at=f.done_at) for f in triage.follow_ups])
    if triage.referrals:
        session.execute(insert(Referral), [dict(
            call_sid=r.call_sid, caller_key=r.caller_key, institution_id="example-hospital", status=r.status,
            history=[{"status": s, "at": at.isoformat(), "by": "1"} for s, at in r.history], note_encrypted=None,
            next_follow_up_at=r.next_follow_up_at, created_by=1, created_at=r.created_at,
            updated_at=r.history[-1][1]) for r in triage.referrals])


def _assessment_row(a: SyntheticAssessment, encrypt: Callable[[str], str]) -> dict:
    answers = {"population_level": a.population_level, "concerns": list(a.concerns), "wish_dead": "no"}
    return dict(call_sid=a.call_sid, caller_key=a.caller_key, counselor_id=1, form_id="default", form_version=1,
                answers_encrypted=encrypt(json.dumps(answers, ensure_ascii=False)), level=a.level,
                rule_level=a.level, peak_level=a.level, reasons=[], override_reason_encrypted=None,
                needs_review=False, reviewed_by=None, reviewed_at=None, actions_done=[], created_at=a.at,
                updated_at=a.at)


# --- rosters ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyntheticSlot:
    code: str
    line_id: str
    start: str
    end: str
    seats: int = 1


@dataclass(frozen=True)
class SyntheticShift:
    counselor: int          # index into the generated counselors (0-based)
    line_id: str
    slot_code: str
    start: datetime
    end: datetime


def roster_for(slots: Sequence[SyntheticSlot], first: date, last: date, tz: str = "Asia/Shanghai",
               holes: Iterable[tuple[str, date]] = (), short: Iterable[tuple[str, date, int]] = ()
               ) -> list[SyntheticShift]:
    """Every seat of every slot on every date, except `holes` (slot code, date) left empty and
    `short` (slot code, date, hours) worked only for the first `hours`."""
    holes, cut = set(holes), {(code, day): hours for code, day, hours in short}
    shifts, counselor, day = [], 0, first
    while day <= last:
        for slot in slots:
            if (slot.code, day) in holes:
                continue
            start, end = _slot_bounds(slot, day, tz)
            if (slot.code, day) in cut:
                end = start + timedelta(hours=cut[(slot.code, day)])
            for _ in range(slot.seats):
                shifts.append(SyntheticShift(counselor % 40, slot.line_id, slot.code, start, end))
                counselor += 1
        day += timedelta(days=1)
    return shifts


def _slot_bounds(slot: SyntheticSlot, day: date, tz: str) -> tuple[datetime, datetime]:
    def at(text: str, on: date) -> datetime:
        hours, minutes = (int(x) for x in text.split(":"))
        extra, hours = divmod(hours, 24)
        return datetime.combine(on + timedelta(days=extra), datetime.min.time(), zone(tz)).replace(
            hour=hours, minute=minutes)
    start, end = at(slot.start, day), at(slot.end, day)
    if end <= start:
        end = at(slot.end, day + timedelta(days=1))
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def insert_roster(session: Session, slots: Sequence[SyntheticSlot], shifts: Sequence[SyntheticShift],
                  now: datetime, counselors: int = 40, tz: str = "Asia/Shanghai") -> None:
    session.execute(insert(User), [dict(username=f"synthetic-counselor-{n}", display_name=f"咨询师{n}",
                                        role="counselor", password_hash="!", lines=[], active=True,
                                        created_at=now) for n in range(counselors)])
    ids = dict(session.execute(select(User.username, User.id).where(User.username.like("synthetic-counselor-%"))).all())
    user_ids = [ids[f"synthetic-counselor-{n}"] for n in range(counselors)]
    session.execute(insert(RosterSlot), [dict(code=s.code, line_id=s.line_id, start_time=s.start, end_time=s.end,
                                              seats=s.seats, label_zh=s.code, label_en=s.code, tz=tz, active=True)
                                         for s in slots])
    slot_ids = dict(session.execute(select(RosterSlot.code, RosterSlot.id)).all())
    if shifts:
        session.execute(insert(ShiftRow), [dict(counselor_id=user_ids[s.counselor % counselors], line_id=s.line_id,
                                                slot_id=slot_ids.get(s.slot_code), slot_code=s.slot_code,
                                                starts_at=s.start, ends_at=s.end, source="generated",
                                                pattern_id=None, original_counselor_id=None) for s in shifts])
