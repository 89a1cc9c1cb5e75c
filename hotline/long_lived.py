"""What a long-running process makes while it starts, kept out of the garbage collector's sight.

A web process holds about 180 000 objects once its app is built (modules, the directory, the
ORM's mappers), and they live as long as the process. Left to the collector, every full
collection walks them all again: 40–150 ms in which no webhook of that process is answered
(issue #18: the p99 of /voice/incoming at 400 calls/s was these pauses). gc.freeze() moves them
to a generation the collector never visits; what the process makes afterwards is collected as
usual. Called by the entry points (gunicorn's app, `hotline serve`, `hotline worker`) once they
are built, never by create_app: a test suite building hundreds of apps would keep them all.

Before freezing they load what the first call would otherwise load: the phone-number
geocoder's data (0.4–1 s that the first caller of every web process waited, then frozen with the
rest instead of walked).
"""
import gc

from hotline.routing.regions import load_geocoder


def freeze_start_objects() -> None:
    load_geocoder()
    gc.collect()   # what the start left as garbage goes now, not frozen with the rest
    gc.freeze()
