"""The live gate snapshot of this process, for `/gate/check`.

The allow-list is the machine's memory-mapped snapshot file of the current
version (`registry.snapshot`, in `GATE_SNAPSHOT_DIR`): the first process that
needs a version builds its file, every other process of the machine maps the
same file, so the table is in memory once per machine (16 bytes a name).
With `GATE_SNAPSHOT_DIR` empty, or when the folder cannot be written, each
process holds the names in a set, as before.

How it stays current:

- With the change feed (`GATE_FEED_URL`) and a file taken at a feed position,
  at most every `GATE_FEED_POLL_SECONDS` (default 1) a request reads the
  stream's new entries (one non-blocking XREAD) and applies them to the
  table's overlay (a small dict: name → on the list or not), which wins over
  the file. A new file is built when the overlay grows past
  `GATE_SNAPSHOT_OVERLAY_MAX` names, on a "reset" entry, or when the stream
  was trimmed past the position; until it is loaded the old table answers.
- Without the feed (or while it cannot be reached: logged), at most every
  `GATE_REFRESH_SECONDS` (default 5) a request looks at the allow-list's
  version (two index look-ups); only when it changed is a new file built.

A large snapshot is loaded in a background thread while the old one keeps
answering, so no request waits for a national-scale build; the very first
load (no snapshot yet) is done in line.

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
from pathlib import Path

import redis
from django.conf import settings
from django.db import close_old_connections, connection

from beian.registry import edge, feed, gate, selectors, snapshot

logger = logging.getLogger("beian.registry.gate")

# Above this size a reload runs in the background instead of in the request.
BACKGROUND_RELOAD_ABOVE = 50_000
# Stream entries read per poll at most (rounds × edge.BATCH); further behind: rebuild.
_POLL_ROUNDS = 20
_FEED_TIMEOUT = 0.5


def _beian(name: str, default):
    return getattr(settings, "BEIAN", {}).get(name, default)


def _refresh_seconds() -> float:
    return float(_beian("GATE_REFRESH_SECONDS", 5))


def _poll_seconds() -> float:
    return float(_beian("GATE_FEED_POLL_SECONDS", 1))


def _overlay_max() -> int:
    return int(_beian("GATE_SNAPSHOT_OVERLAY_MAX", 100_000))


def snapshot_dir() -> Path | None:
    """GATE_SNAPSHOT_DIR (default DATA_DIR/gate); None when empty: a set per process."""
    value = _beian("GATE_SNAPSHOT_DIR", "")
    return Path(value) if value else None


class LiveGate:
    def __init__(self) -> None:
        self._snapshot: gate.Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._reloading = False
        self._position: str | None = None  # the feed entry the overlay is at
        self._stale_feed_at: str | None = None  # a file position that cannot be replayed
        self._feed: redis.Redis | None = None
        self._feed_url = ""
        self._feed_down = False

    def reset(self) -> None:
        with self._lock:
            self._snapshot = None
            self._checked_at = 0.0
            self._position = None
            self._stale_feed_at = None
            self._feed = None

    # --- loading ------------------------------------------------------------

    def _load(self) -> gate.Snapshot:
        gc.collect()
        loaded = None
        directory = snapshot_dir()
        if directory is not None:
            version = selectors.gate_version()  # first: a change during the build shows next time
            stale_at = self._stale_feed_at
            try:
                table = snapshot.obtain(
                    directory,
                    version,
                    selectors.gate_domains,
                    feed.position,
                    stale=lambda t: stale_at is not None and t.feed_at == stale_at,
                )
                loaded = gate.Snapshot(table, version=version, loaded_at=time.time())
            except OSError as exc:
                logger.error(
                    "gate snapshot folder %s unusable (%s); this process holds the names itself",
                    directory,
                    exc,
                )
        if loaded is None:
            loaded = selectors.gate_snapshot(loaded_at=time.time())
        gc.freeze()  # an old snapshot, once unreferenced, is still freed
        logger.info("gate snapshot %s: %d domains", loaded.version, len(loaded))
        return loaded

    def _install(self, loaded: gate.Snapshot) -> None:
        """Make `loaded` current (the caller holds the lock)."""
        self._snapshot = loaded
        self._position = getattr(loaded.domains, "feed_at", None)
        self._stale_feed_at = None

    def _reload_in_background(self) -> None:
        def run() -> None:
            try:
                loaded = self._load()
                with self._lock:
                    self._install(loaded)
            except Exception:  # keep serving the old snapshot
                logger.exception("gate snapshot reload failed")
            finally:
                self._reloading = False
                close_old_connections()
                connection.close()

        self._reloading = True
        threading.Thread(target=run, name="gate-reload", daemon=True).start()

    # --- following the change feed ------------------------------------------

    def _follow(self, current: gate.Snapshot) -> bool | None:
        """Apply the feed's new entries to the table's overlay (the caller
        holds the lock). True: the table is current; False: a new file is due;
        None: not following (no feed, no position, or the feed is unreachable)."""
        table = current.domains
        position = self._position
        if position is None or not feed.enabled() or not hasattr(table, "overlay"):
            return None
        stream = feed.keys().stream
        try:
            url = feed.feed_url()
            if self._feed is None or self._feed_url != url:
                self._feed_url = url
                self._feed = redis.Redis.from_url(
                    url,
                    socket_timeout=_FEED_TIMEOUT,
                    socket_connect_timeout=_FEED_TIMEOUT,
                    decode_responses=True,
                )
            conn = self._feed
            start = position
            for _ in range(_POLL_ROUNDS):
                answer = conn.xread({stream: position}, count=edge.BATCH)
                entries = answer[0][1] if answer else []
                for entry_id, fields in entries:
                    op = fields.get("op")
                    if op == "reset":  # a delta may have been lost: the database decides
                        return self._due(table, "a reset on the feed")
                    name = fields.get("name")
                    if name:
                        table.overlay[name] = op == "add"
                    position = entry_id
                self._position = position
                if len(entries) < edge.BATCH:
                    break
            else:
                return self._due(table, "far behind the feed")
            # After reading: entries trimmed before they were read are lost to this table.
            if edge.entry_order(edge.trimmed_up_to(conn, stream)) > edge.entry_order(start):
                return self._due(table, "the feed was trimmed past its position")
        except (redis.RedisError, OSError) as exc:
            if not self._feed_down:
                logger.warning("gate: cannot read the change feed (%s); checking versions", exc)
            self._feed_down, self._feed = True, None
            return None
        if self._feed_down:
            logger.info("gate: change feed readable again")
            self._feed_down = False
        if len(table.overlay) > _overlay_max():
            return self._due(table, f"{len(table.overlay)} names changed since the file")
        return True

    def _due(self, table, why: str) -> bool:
        logger.info("gate snapshot %s: a new file is due (%s)", table.version, why)
        self._stale_feed_at = table.feed_at
        self._position = None  # stop replaying onto this table
        return False

    # --- answering --------------------------------------------------------------

    def snapshot(self) -> gate.Snapshot:
        current = self._snapshot
        now = time.monotonic()
        interval = _poll_seconds() if self._position is not None else _refresh_seconds()
        if current is not None and now - self._checked_at < interval:
            return current
        with self._lock:
            if self._snapshot is None:
                self._install(self._load())
                self._checked_at = time.monotonic()
                return self._snapshot
            if now - self._checked_at < interval:
                return self._snapshot
            self._checked_at = now
            current = self._snapshot
            if self._reloading:
                return current
            followed = self._follow(current)
            if followed:
                return current
            if (
                followed is None
                and self._stale_feed_at is None
                and selectors.gate_version() == current.version
            ):
                return current
            if len(current) <= BACKGROUND_RELOAD_ABOVE:
                self._install(self._load())
                return self._snapshot
        self._reload_in_background()
        return current

    def allows(self, host: str | None) -> bool:
        return self.snapshot().allows(host)


live_gate = LiveGate()
