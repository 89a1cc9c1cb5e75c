"""The entry points take what their start made out of the garbage collector's walks (issue #18:
full collections of a built app paused every webhook of the process for 40–150 ms)."""
import gc
import json
import subprocess
import sys
import weakref

from hotline.long_lived import freeze_start_objects
from tests.servers import server_env

PROBE = """
import gc, json
before = gc.get_freeze_count()
import sys
geocoder_before = "phonenumbers.geocoder" in sys.modules
from hotline.wsgi import app
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "geocoder_before": geocoder_before, "geocoder": "phonenumbers.geocoder" in sys.modules}))
"""


def test_the_gunicorn_app_is_frozen_once_built(tmp_path):
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'h.db'}", "redis://127.0.0.1:1/0", "t", "http://127.0.0.1:1")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60,
                          check=True)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["before"] == 0
    assert counts["frozen"] > 50_000                 # the app, its modules and directory
    assert counts["tracked"] < counts["frozen"] / 10   # what a collection still walks
    # the geocoder's data is loaded by the start (the first caller does not wait for it), not before
    assert counts["geocoder"] and not counts["geocoder_before"]


def test_garbage_of_the_start_is_collected_not_frozen():
    class Cycle:
        pass

    gc.unfreeze()   # this test process: start from nothing frozen, and leave nothing frozen
    try:
        cycle = Cycle()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        kept = Cycle()
        kept.me = kept
        del cycle
        freeze_start_objects()
        assert gone() is None                     # collected first, not frozen for good
        assert gc.get_freeze_count() > 0
        assert kept not in gc.get_objects()         # kept: frozen, out of the walks
    finally:
        gc.unfreeze()
