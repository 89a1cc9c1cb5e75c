"""Per-counselor iCalendar feeds behind a secret token (calendar apps cannot sign in).

The token is 256 random bits shown once; only its SHA-256 is stored, so a database
leak does not leak feeds. A plain hash (not argon2) is right here: the token is
random, not a password, and every calendar poll looks it up by its hash.
Regenerating replaces the token (the old URL stops working); revoking removes it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from hotline.shifts import counselor_calendar
from hotline.usecases.roster import convert
from hotline.usecases.roster.context import changed
from hotline.store import rosters_repo as repo
from hotline.store.rosters import FeedToken

FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=180)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def regenerate(services, counselor_id: int) -> str:
    """A new token for the counselor (the previous one stops working); shown once."""
    token = secrets.token_urlsafe(32)
    with changed(services, roster_moved=False) as session:
        row = repo.feed_token_of(session, counselor_id)
        if row is None:
            session.add(FeedToken(counselor_id=counselor_id, token_hash=token_hash(token), created_at=services.now()))
        else:
            row.token_hash, row.created_at, row.last_used_at = token_hash(token), services.now(), None
        repo.audit(session, services.now(), counselor_id, "feed.regenerate", f"user:{counselor_id}")
    return token


def revoke(services, counselor_id: int) -> bool:
    with changed(services, roster_moved=False) as session:
        row = repo.feed_token_of(session, counselor_id)
        if row is None:
            return False
        session.delete(row)
        repo.audit(session, services.now(), counselor_id, "feed.revoke", f"user:{counselor_id}")
    return True


def status(services, counselor_id: int) -> dict | None:
    with services.db.session() as session:
        row = repo.feed_token_of(session, counselor_id)
        return None if row is None else {"created_at": row.created_at, "last_used_at": row.last_used_at}


def feed_for_token(services, token: str) -> bytes | None:
    """The .ics of the token's counselor, or None for an unknown (or revoked) token."""
    if not token or len(token) > 128:
        return None
    now = services.now()
    with services.db.session() as session:
        row = repo.feed_token_by_hash(session, token_hash(token))
        if row is None:
            return None
        repo.touch_feed(session, row.id, now)
        counselor_id = row.counselor_id
        shifts = convert.shifts_of(repo.shifts_between(session, now - FEED_PAST, now + FEED_FUTURE,
                                                       counselor_ids=[counselor_id]), services.directory)
        labels = convert.labels(repo.names(session, [counselor_id]), repo.slots(session, active_only=False),
                                services.directory)
    domain = urlsplit(services.settings.public_url).hostname or "hotline"
    return counselor_calendar(shifts.keys(), str(counselor_id), now=now, labels=labels, domain=domain)
