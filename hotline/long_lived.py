"""What a long-running process makes while it starts, kept out of the garbage collector's sight.

A web process holds about 180 000 objects once its app is built (modules, the directory, the
ORM's mappers), and they live as long as the process. Left to the collector, every full
collection walks them all again: 40–150 ms in which no webhook of that process is answered
(issue #18: the p99 of /voice/incoming at 400 calls/s was these pauses). gc.freeze() moves them
to a generation the collector never visits; what the process makes afterwards is collected as
usual. Called by the entry points (gunicorn's app, `hotline serve`, `hotline worker`) once they
are built, never by create_app: a test suite building hundreds of apps would keep them all.
"""
import gc


def freeze_start_objects() -> None:
    gc.collect()   # what the start left as garbage goes now, not frozen with the rest
    gc.freeze()
