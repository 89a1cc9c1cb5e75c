"""RQ workers that stop at once (`hotline worker`; the tests' burst workers).

An RQ worker listens for commands on a pub/sub channel in a thread. To stop, RQ 3.0 sends
UNSUBSCRIBE and then stops the thread, and redis-py 8 waits for that thread to end. When the
thread reads the UNSUBSCRIBE reply before its stop flag is cleared (a thread switch at the
wrong moment: common on a busy machine), it goes back to waiting for the next message for
its whole 60-second sleep. The worker then takes a minute to exit: a deploy or SIGTERM
waits, and a burst run (a test, a cron job) takes 60 s instead of milliseconds. Here the
flag is cleared first, without waiting, so the reply wakes a thread that already knows to end.
"""
from __future__ import annotations

from rq import SimpleWorker, Worker


class _StopsAtOnce:
    pubsub_thread = None

    def unsubscribe(self) -> None:
        thread = self.pubsub_thread
        if thread is not None:
            try:
                thread.stop(timeout=0)     # redis-py 8: clear the flag, do not wait yet
            except TypeError:
                thread.stop()              # older redis-py: stop() only clears the flag
        super().unsubscribe()


class HotlineWorker(_StopsAtOnce, Worker):
    """`hotline worker`: a job in a forked work horse, as RQ runs it by default."""


class HotlineSimpleWorker(_StopsAtOnce, SimpleWorker):
    """A job in the worker's own process (tests, a burst run)."""
