"""Where each webhook goes and which URL it is signed with.

Hotline checks signatures against HOTLINE_PUBLIC_URL + path + query, while the
simulator may reach several server processes directly. So every URL is kept as
an absolute URL on the public base (for urljoin and signing) and re-based onto
the next --url in the round-robin only when it is sent.
"""
from __future__ import annotations

import itertools
import threading
from urllib.parse import urljoin, urlsplit


class UrlMapper:
    def __init__(self, urls: list[str] | tuple[str, ...], public_url: str) -> None:
        if not urls:
            raise ValueError("至少需要一个 --url / at least one --url is needed")
        self.urls = tuple(u.rstrip("/") for u in urls)
        self.public = public_url.rstrip("/")
        self._cycle = itertools.cycle(self.urls)
        self._lock = threading.Lock()

    def relative(self, url: str) -> str:
        """Path and query of `url` below whichever known base it starts with."""
        for base in (self.public, *self.urls):
            if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
                return url[len(base):] or "/"
        parts = urlsplit(url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def public_url(self, ref: str, document_url: str | None = None) -> str:
        """`ref` from a TwiML document (or REST command) as an absolute public URL."""
        absolute = urljoin(document_url or self.public + "/", ref)
        return self.public + self.relative(absolute)

    def next_send_url(self, public_url: str) -> str:
        """The same path on the next server process (round-robin, even within one call)."""
        with self._lock:
            base = next(self._cycle)
        return base + self.relative(public_url)
