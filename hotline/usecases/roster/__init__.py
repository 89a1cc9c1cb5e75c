"""The roster application layer: between the store (rows), Redis and the pure shifts core.

Each module is one use case group — generation, swaps, edits, coverage, feeds,
calendar views — written as functions taking `services` (the composition root's
Services), so the web views, the CLI and the RQ job share exactly one path.
Every change is audited in roster_audit and bumps the roster version in Redis,
which tells every process to drop its cached on-call index (live/eligibility.py).
"""
