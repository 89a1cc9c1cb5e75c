"""The ports: what the use cases need from the outside world, as Protocols.

A use case (`hotline/usecases/`) takes exactly the ports it needs in its constructor
(or as arguments) and never imports an adapter, Flask, SQLAlchemy, Redis, Twilio or RQ.
The adapters in `hotline/store`, `hotline/live` and `hotline/telephony` satisfy these
Protocols structurally and import this package only for the plain data types that cross
a port (RecordOp, Waiting, Presence, ...); the composition root (`hotline/bootstrap/`)
wires one to the other; the unit tests pass in-memory fakes (`tests/unit/usecases/fakes*.py`).

Values that cross a port are plain data: the dataclasses of these files, the core's types
(`hotline.routing`, `hotline.triage`, `hotline.shifts`), dicts of strings. `common.py` holds
what every area shares (the clock, the record, live state, privacy, telephony, jobs, the unit
of work, the cross-area collaborators); each other file is one area's ports.
"""
from __future__ import annotations

# One namespace, several files: `from hotline.ports import X` for every port. Each file is
# one area's section; they are merged here (their names never clash: a test checks it).
from hotline.ports.common import *  # noqa: F401,F403
from hotline.ports.ops import *  # noqa: F401,F403
from hotline.ports.roster import *  # noqa: F401,F403
from hotline.ports.console import *  # noqa: F401,F403
from hotline.ports.reports import *  # noqa: F401,F403
from hotline.ports.triage import *  # noqa: F401,F403
from hotline.ports.calls import *  # noqa: F401,F403
from hotline.ports.conference import *  # noqa: F401,F403
