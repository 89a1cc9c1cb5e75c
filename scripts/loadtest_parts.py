"""Pieces of scripts/loadtest.py: counselors over the console HTTP API, dashboards
listening over Socket.IO, probes for event latency, process sampling."""
from __future__ import annotations

import re
import statistics
import threading
import time

import psutil
import requests
import socketio

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


def signed_in_session(base: str, username: str, password: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = _token(session.get(f"{base}/login", timeout=10).text)
    response = session.post(f"{base}/login", data={"username": username, "password": password,
                                                   "csrf_token": token}, allow_redirects=False, timeout=10)
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed for {username}: {response.status_code}")
    return session, _token(session.get(f"{base}/console", timeout=10).text)


def _token(html: str) -> str:
    match = TOKEN.search(html)
    return match.group(1) or match.group(2)


class HttpCounselor(threading.Thread):
    """A counselor working through the console's JSON API, as the browser does."""

    def __init__(self, base: str, username: str, password: str, stop: threading.Event, poll_s: float = 0.5):
        super().__init__(daemon=True)
        self.base, self.stop, self.poll_s = base, stop, poll_s
        self.session, self.csrf = signed_in_session(base, username, password)
        self.accepted: list[str] = []
        self.errors = 0

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return self.session.post(self.base + path, json=body or {}, headers={"X-CSRFToken": self.csrf}, timeout=10)

    def run(self) -> None:
        self.post("/api/console/presence", {"state": "available"})
        while not self.stop.is_set():
            try:
                self.step(self.session.get(self.base + "/api/console/state", timeout=10).json())
            except (requests.RequestException, ValueError):
                self.errors += 1
            self.stop.wait(self.poll_s)
        self.post("/api/console/presence", {"state": "offline"})

    def step(self, state: dict) -> None:
        presence = (state.get("presence") or {}).get("state")
        offer = state.get("offer")
        if presence == "offered" and offer:
            if self.post(f"/api/console/offers/{offer['call']}/accept").status_code == 200:
                self.accepted.append(offer["call"])
        elif presence == "wrap_up":
            self.post("/api/console/ready")


class Dashboard:
    """A supervisor's Socket.IO connection that timestamps probe events."""

    def __init__(self, base: str, username: str, password: str, origin: str | None = None) -> None:
        session, _ = signed_in_session(base, username, password)
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self.latencies_ms: list[float] = []
        self.client = socketio.Client(reconnection=True)
        self.client.on("loadtest.probe", self._probe)
        try:
            self.client.connect(base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
        except socketio.exceptions.ConnectionError as exc:
            raise RuntimeError(f"dashboard socket refused at {base}: {exc.__cause__!r}") from exc

    def _probe(self, payload: dict) -> None:
        self.latencies_ms.append((time.time() - payload["sent"]) * 1000)

    def close(self) -> None:
        self.client.disconnect()


def probe_loop(bus, stop: threading.Event, every_s: float = 0.1) -> None:
    """Publish a timestamped event through the Redis message queue to every supervisor."""
    while not stop.is_set():
        bus.publish("loadtest.probe", {"sent": time.time()}, ["supervisors"])
        stop.wait(every_s)


class Sampler(threading.Thread):
    """CPU % and resident memory of the server processes, sampled every second."""

    def __init__(self, pids: dict[str, int], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.stop = stop
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in pids}
        self._known: dict[int, psutil.Process] = {}   # cpu_percent needs the same object each time

    def run(self) -> None:
        for process in self.processes.values():
            process.cpu_percent(None)
        while not self.stop.wait(1.0):
            for name, process in self.processes.items():
                try:
                    tree = [self._known.setdefault(p.pid, p) for p in [process, *process.children(recursive=True)]]
                    cpu = sum(p.cpu_percent(None) for p in tree)
                    rss = sum(p.memory_info().rss for p in tree) / 2**20
                except psutil.Error:
                    continue
                self.samples[name].append((cpu, rss))

    def summary(self) -> dict[str, dict]:
        return {name: {"cpu_mean_pct": round(statistics.mean(c for c, _ in s), 1) if s else None,
                       "cpu_max_pct": round(max(c for c, _ in s), 1) if s else None,
                       "rss_max_mib": round(max(r for _, r in s), 1) if s else None}
                for name, s in self.samples.items()}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)
