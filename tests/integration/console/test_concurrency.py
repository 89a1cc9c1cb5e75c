"""Assignment is atomic: many parallel accepts for one call, exactly one wins."""
import threading

from hotline.usecases.console import ConsoleError
from hotline.ports import Presence


def test_parallel_accepts_of_one_offer_exactly_one_wins(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    results = []

    def accept():
        try:
            floor.console.accept(sid, 1)
            results.append("won")
        except ConsoleError:
            results.append("lost")

    threads = [threading.Thread(target=accept) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("won") == 1 and results.count("lost") == 19


def test_parallel_dispatchers_never_double_offer(floor):
    """Many processes' tickers at once: one call per counselor, one counselor per call."""
    calls = [floor.caller(f"+86138000000{i:02d}") for i in range(8)]
    for counselor in range(1, 6):
        floor.counselor(counselor)
    threads = [threading.Thread(target=floor.tick) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in range(3):
        floor.tick()
    offered = [floor.offered_to(c) for c in range(1, 6)]
    assert None not in offered
    assert len(set(offered)) == 5 and set(offered) <= set(calls)


def test_accept_by_a_counselor_not_offered_the_call_fails(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.services.presence.set(Presence(2, "available", floor.services.now(), ("chengdu-gaoxin",)))
    try:
        floor.console.accept(sid, 2)
        raise AssertionError("accept by another counselor must fail")
    except ConsoleError:
        pass
    assert floor.state(1) == "offered" and floor.state(2) == "available"
