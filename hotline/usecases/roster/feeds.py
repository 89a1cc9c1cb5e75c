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

from hotline.ports import Clock, RosterUnitOfWorkFactory
from hotline.shifts import counselor_calendar
from hotline.usecases.roster.naming import labels

FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=180)
MAX_TOKEN = 128


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeeds:
    """A counselor's feed link (create, replace, revoke) and the feed itself."""

    def __init__(self, uow: RosterUnitOfWorkFactory, clock: Clock, directory, public_url: str) -> None:
        self.uow = uow
        self.clock = clock
        self.directory = directory
        self.public_url = public_url

    def regenerate(self, counselor_id: int) -> str:
        """A new token for the counselor (the previous one stops working); shown once."""
        token = secrets.token_urlsafe(32)
        with self.uow() as uow:
            uow.feeds.save(counselor_id, token_hash(token), self.clock.now())
            uow.audit.record(self.clock.now(), counselor_id, "feed.regenerate", f"user:{counselor_id}")
            uow.commit()
        return token

    def revoke(self, counselor_id: int) -> bool:
        with self.uow() as uow:
            if not uow.feeds.remove(counselor_id):
                return False
            uow.audit.record(self.clock.now(), counselor_id, "feed.revoke", f"user:{counselor_id}")
            uow.commit()
        return True

    def status(self, counselor_id: int) -> dict | None:
        with self.uow() as uow:
            found = uow.feeds.of(counselor_id)
        return None if found is None else {"created_at": found.created_at, "last_used_at": found.last_used_at}

    def url(self, path: str | None) -> str | None:
        """The feed's address as calendar apps reach it (the public URL Twilio uses too)."""
        return self.public_url.rstrip("/") + path if path else None

    def feed_for_token(self, token: str) -> bytes | None:
        """The .ics of the token's counselor, or None for an unknown (or revoked) token."""
        if not token or len(token) > MAX_TOKEN:
            return None
        now = self.clock.now()
        with self.uow() as uow:
            found = uow.feeds.by_hash(token_hash(token))
            if found is None:
                return None
            uow.feeds.touch(found.id, now)
            counselor_id = found.counselor_id
            shifts = uow.shifts.between(now - FEED_PAST, now + FEED_FUTURE, counselor_ids=[counselor_id])
            names = labels(uow.staff.names([counselor_id]), uow.slots.all(active_only=False), self.directory)
            uow.commit()
        domain = urlsplit(self.public_url).hostname or "hotline"
        return counselor_calendar([s.core for s in shifts], str(counselor_id), now=now, labels=names, domain=domain)
