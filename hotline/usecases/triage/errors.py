"""The error every triage use case raises for a request it cannot carry out."""
from __future__ import annotations


class TriageError(ValueError):
    """A request triage cannot carry out; the message is "zh / en" (HTTP 400/404)."""
