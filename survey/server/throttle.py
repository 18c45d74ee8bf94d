"""Per-client limits on guessing: login attempts, resume codes and invitation tokens.

Counted in this process's memory, under the client's address, and forgotten when the window
has passed: the address is never written anywhere, so anonymous surveys stay anonymous. Each
instance of a multi-instance server counts for itself; the account lock in the store
(survey.store.users.log_in) is shared by all of them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_CLIENTS = 100_000
"""Addresses remembered at most; past that the oldest are forgotten first."""


class Throttle:
    """At most `limit` events per `window` seconds per client."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds until `client` may try again (0: now), without counting anything."""
        with self._lock:
            events = self._recent(client)
            if events is None or len(events) < self.limit:
                return 0
            return max(1, math.ceil(events[0] + self.window - self.clock()))

    def count(self, client: str) -> None:
        """Count one event (a failed guess, or any attempt where every attempt counts)."""
        with self._lock:
            events = self._recent(client)
            if events is None:
                if len(self._events) >= MAX_CLIENTS:
                    del self._events[next(iter(self._events))]
                events = self._events[client] = deque(maxlen=self.limit)
            events.append(self.clock())

    def _recent(self, client: str) -> deque[float] | None:
        events = self._events.get(client)
        if events is None:
            return None
        cutoff = self.clock() - self.window
        while events and events[0] <= cutoff:
            events.popleft()
        if not events:
            del self._events[client]
            return None
        return events


def client_address() -> str:
    """The address the current request came from (the client's, behind --behind-proxy)."""
    from flask import request

    return request.remote_addr or ""


def app_throttle(name: str, limit: int, window: float) -> Throttle:
    """The application's throttle called `name`, made on first use."""
    from flask import current_app

    found = current_app.extensions.get(f"survey.throttle.{name}")
    if not isinstance(found, Throttle):
        found = current_app.extensions[f"survey.throttle.{name}"] = Throttle(limit, window)
    return found
