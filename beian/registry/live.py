"""The live gate snapshot of this process, for `/gate/check`.

At most every `GATE_REFRESH_SECONDS` (default 5) a request looks at the
allow-list's version (two index look-ups); only when it changed is the
snapshot rebuilt. A large snapshot is rebuilt in a background thread while the
old one keeps answering, so no request waits for a national-scale load; the
very first load (no snapshot yet) is done in line.

A loaded snapshot is moved out of the garbage collector's reach
(`gc.freeze()`): a full collection walks every slot of a set it tracks, about
600 ms for 7 million names, and would stall every request thread at random.
Each load first collects the rest of the heap, which is cheap because earlier
snapshots are frozen, so no cyclic garbage is frozen with it.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from beian.registry import gate, selectors

logger = logging.getLogger("beian.registry.gate")

# Above this size a reload runs in the background instead of in the request.
BACKGROUND_RELOAD_ABOVE = 50_000


def _refresh_seconds() -> float:
    return float(getattr(settings, "BEIAN", {}).get("GATE_REFRESH_SECONDS", 5))


class LiveGate:
    def __init__(self) -> None:
        self._snapshot: gate.Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._reloading = False

    def reset(self) -> None:
        with self._lock:
            self._snapshot = None
            self._checked_at = 0.0

    def _load(self) -> gate.Snapshot:
        gc.collect()
        snapshot = selectors.gate_snapshot(loaded_at=time.time())
        gc.freeze()  # an old snapshot, once unreferenced, is still freed
        logger.info("gate snapshot %s: %d domains", snapshot.version, len(snapshot))
        return snapshot

    def _reload_in_background(self) -> None:
        def run() -> None:
            try:
                snapshot = self._load()
                with self._lock:
                    self._snapshot = snapshot
            except Exception:  # keep serving the old snapshot
                logger.exception("gate snapshot reload failed")
            finally:
                self._reloading = False
                close_old_connections()
                connection.close()

        self._reloading = True
        threading.Thread(target=run, name="gate-reload", daemon=True).start()

    def snapshot(self) -> gate.Snapshot:
        snapshot = self._snapshot
        now = time.monotonic()
        if snapshot is not None and now - self._checked_at < _refresh_seconds():
            return snapshot
        with self._lock:
            if self._snapshot is None:
                self._snapshot = self._load()
                self._checked_at = time.monotonic()
                return self._snapshot
            if now - self._checked_at < _refresh_seconds():
                return self._snapshot
            self._checked_at = now
            snapshot = self._snapshot
            if self._reloading or selectors.gate_version() == snapshot.version:
                return snapshot
            if len(snapshot) <= BACKGROUND_RELOAD_ABOVE:
                self._snapshot = self._load()
                return self._snapshot
        self._reload_in_background()
        return snapshot

    def allows(self, host: str | None) -> bool:
        return self.snapshot().allows(host)


live_gate = LiveGate()
