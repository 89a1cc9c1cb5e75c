"""How one simulated caller behaves: patience, talk time, keys pressed, speech length.

Each call gets its own seeded RNG, so a run with --seed replays the same callers
doing the same things whatever the interleaving of concurrent calls.
"""
from __future__ import annotations

import math
import random

from hotline.devtools.simulator.config import Timing

RANDOM = "random"
NO_INPUT = "-"


def parse_digit_script(text: str | None) -> tuple[str, ...]:
    """'1', 'random', '1,-,2': one entry per <Gather> in order; '-' or '' = no input."""
    entries = [e.strip() for e in (text or "").split(",")]
    return tuple(NO_INPUT if e in ("", NO_INPUT, "none") else e for e in entries)


class Behaviour:
    def __init__(self, rng: random.Random, timing: Timing, script: tuple[str, ...]) -> None:
        self.rng = rng
        self.timing = timing
        self._script = list(script)

    def digits(self, num_digits: int | None) -> str:
        """Keys for the next <Gather>: scripted, random, or '' (no input, Gather times out)."""
        entry = self._script.pop(0) if self._script else NO_INPUT
        if entry == NO_INPUT:
            return ""
        if entry == RANDOM:
            return "".join(self.rng.choice("0123456789") for _ in range(num_digits or 1))
        return entry[:num_digits] if num_digits else entry

    def patience(self) -> float | None:
        """Real seconds a caller will wait in queues before hanging up; None = forever."""
        mean = self.timing.patience_mean
        if mean <= 0:
            return None
        if self.timing.patience_dist == "lognormal":
            sigma = 0.8
            return self.timing.real(self.rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))
        return self.timing.real(self.rng.expovariate(1.0 / mean))

    def talk(self) -> float:
        mean = max(self.timing.talk_mean, 0.0)
        return self.timing.real(self.rng.expovariate(1.0 / mean)) if mean else 0.0

    def say(self, text: str, loops: int = 1) -> float:
        one = min(len(text) * self.timing.say_per_char, self.timing.say_cap)
        return self.timing.real(one * max(loops, 1))

    def play(self, loops: int = 1) -> float:
        return self.timing.real(self.timing.play_s * max(loops, 1))

    def seconds(self, simulated: float) -> float:
        return self.timing.real(simulated)

    def think(self) -> float:
        return self.timing.real(self.timing.think_s)

    def ring(self, limit: float) -> float:
        return self.timing.real(min(self.rng.uniform(*self.timing.ring_s), limit))

    def message(self, max_length: float) -> float:
        return self.timing.real(min(self.rng.uniform(*self.timing.message_s), max_length))

    def chance(self, probability: float) -> bool:
        return probability > 0 and self.rng.random() < probability
