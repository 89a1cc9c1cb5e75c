"""Logging that never carries a caller's number or note."""
from __future__ import annotations

import logging
import os


def configure_logging(level: str | None = None) -> None:
    """Root handler with the privacy redaction filter; idempotent."""
    root = logging.getLogger()
    if getattr(root, "_hotline_configured", False):
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _add_redaction(handler)
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("HOTLINE_LOG_LEVEL", "INFO"))
    root._hotline_configured = True  # type: ignore[attr-defined]


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners swap it)."""

    @property
    def stream(self):
        import sys

        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _add_redaction(handler: logging.Handler) -> None:
    try:
        from hotline.privacy import RedactingFilter
    except ImportError:  # privacy module not present yet: nothing to attach
        return
    handler.addFilter(RedactingFilter())
