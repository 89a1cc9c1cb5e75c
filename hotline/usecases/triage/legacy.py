"""TRANSITION (triage area) — remove at merge, with the shims that call it.

Code of other areas not converted yet still calls triage by the old names, handing over
`services` (console.py: ready_blockers; notices.py: is_flagged; recovery.py:
ensure_flagged) or its own database session (notices.py: get_file, summary). Those names
stay importable where they were and forward here; the composition root
(hotline.bootstrap.triage) installs how to reach the real use cases and repositories, so
no use-case module imports an adapter. Once those areas take the Protocols of
hotline.ports (CloseGuard, FlaggedCallers, OfferContext), nothing calls this.
"""
from __future__ import annotations

from typing import Any, Callable

_usecases: Callable[[Any], Any] | None = None       # services → the triage use cases
_repositories: Callable[[Any], Any] | None = None   # a database session → the triage repositories


def install(usecases_for: Callable[[Any], Any], repositories_for: Callable[[Any], Any]) -> None:
    global _usecases, _repositories
    _usecases, _repositories = usecases_for, repositories_for


def usecases(services) -> Any:
    if _usecases is None:
        raise RuntimeError("triage transition hooks not installed (import hotline.bootstrap first)")
    return _usecases(services)


def repositories(session) -> Any:
    if _repositories is None:
        raise RuntimeError("triage transition hooks not installed (import hotline.bootstrap first)")
    return _repositories(session)
