"""The roster application layer: between the roster's repositories, the roster version and
the pure shifts core.

Each module is one use case group — generation, swaps, set-up (slots, patterns), edits
(leave, single shifts), coverage, feeds, calendar views, coverage alerts — written as a
small class taking exactly the ports it needs (hotline/ports.py, roster section), so the
web views, the CLI and the RQ job share exactly one path (wired in
hotline/bootstrap/roster.py). Every change is audited in the same transaction and, once
committed, announced (RosterChanges): this process drops its on-call snapshot at once and
every other process learns it from the roster version (hotline/usecases/eligibility.py).
"""
