"""The gate's change feed: each access change, once committed, as deltas on a
Redis stream that every edge node follows (`beian edge follow`, registry.edge).

Keys, under settings.BEIAN["GATE_FEED_KEY"] (default "beian:gate"):

- `<key>:stream` — the deltas, in commit order: `op` = "add" (the name is now
  filed and accessed here) or "del" (it no longer is), `name` (a registrable
  domain, punycode), `v` (the gate version read with it); and `op` = "reset",
  `full` = a full table's key, when a delta may have been lost (below): every
  node reloads. Trimmed to about GATE_FEED_MAXLEN entries.
- `<key>:full` — a hash naming the current full table: `key` (a list of
  chunks of newline-separated names), `position` (the stream ID it was taken
  at: replaying the entries after it onto the table gives the current state),
  `version`, `count`, `added` (the stream's entries-added counter then).
- `<key>:published` — the gate version of the last delta published.

Deltas are states, not differences: after each commit the listener reads, for
each domain of the websites whose access changed, whether it is on the
allow-list now, and publishes that. Reading and publishing happen under one
Redis lock, so the stream's order is the order of the reads, and the last
entry for a name was read after the last commit that touched it: a node that
applies the entries in order ends equal to the database.

A commit whose publication fails (Redis unreachable) is logged and repaired by
the `registry.gate_feed` job: when the published version stays behind the
database's, it writes a new full table and a "reset" entry. The same job
writes the first full table and a new one before the stream is trimmed past
the current one's position.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

import redis
from django.conf import settings

from beian.filings.models import Domain
from beian.registry import selectors

logger = logging.getLogger("beian.registry.feed")

# Names per chunk of a full table (one RPUSH, one LRANGE element).
CHUNK = 10_000
# How long a replaced full table stays readable for a node still loading it.
OLD_FULL_SECONDS = 600
_TIMEOUT = 5.0


def _beian(name: str, default=None):
    return getattr(settings, "BEIAN", {}).get(name, default)


def feed_url() -> str:
    return _beian("GATE_FEED_URL", "") or ""


def enabled() -> bool:
    return bool(feed_url())


class Keys:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.stream = f"{prefix}:stream"
        self.full = f"{prefix}:full"
        self.published = f"{prefix}:published"
        self.lock = f"{prefix}:lock"
        self.suspect = f"{prefix}:suspect"

    def table(self) -> str:
        return f"{self.prefix}:full:{uuid.uuid4().hex}"


def keys() -> Keys:
    return Keys(_beian("GATE_FEED_KEY", "beian:gate"))


def client(url: str | None = None) -> redis.Redis:
    return redis.Redis.from_url(
        url or feed_url(),
        socket_timeout=_TIMEOUT,
        socket_connect_timeout=_TIMEOUT,
        decode_responses=True,
    )


def _maxlen() -> int:
    return int(_beian("GATE_FEED_MAXLEN", 1_000_000))


# --- publishing ------------------------------------------------------------


def allowed_among(names: Iterable[str]) -> set[str]:
    """Which of `names` are on the gate's allow-list now (selectors' rule)."""
    return selectors.gate_allowed_among(names)


def publish_websites(website_ids: list[int]) -> int:
    """The listener of filings' access changes (run after the commit): publish
    the current state of every domain of these websites. Returns the number
    of deltas; 0 when the feed is off or unreachable (the job repairs)."""
    if not enabled():
        return 0
    names = sorted(
        set(Domain.objects.filter(website_id__in=website_ids).values_list("name", flat=True))
    )
    if not names:
        return 0
    k = keys()
    try:
        conn = client()
        with conn.lock(k.lock, timeout=60, blocking_timeout=30):
            version = selectors.gate_version()  # first: a later change publishes again
            allowed = allowed_among(names)
            pipe = conn.pipeline(transaction=True)
            for name in names:
                op = "add" if name in allowed else "del"
                pipe.xadd(
                    k.stream,
                    {"op": op, "name": name, "v": version},
                    maxlen=_maxlen(),
                    approximate=True,
                )
            pipe.set(k.published, version)
            pipe.execute()
    except (redis.RedisError, OSError) as exc:
        logger.error(
            "gate feed: could not publish %d names (%s); the feed job will reset the edges",
            len(names),
            exc,
        )
        return 0
    return len(names)


# --- the full table ----------------------------------------------------------


def last_position(conn: redis.Redis, k: Keys) -> str:
    """The ID of the stream's last entry ("0-0" when empty or absent)."""
    last = conn.xrevrange(k.stream, count=1)
    return last[0][0] if last else "0-0"


def _entries_added(conn: redis.Redis, k: Keys) -> int:
    try:
        return int(conn.xinfo_stream(k.stream).get("entries-added", 0))
    except redis.ResponseError:  # no stream yet
        return 0


def write_full(conn: redis.Redis | None = None, *, reset: bool = False) -> dict:
    """Write the allow-list as a new full table, at the feed position read
    before the database (a change during the read is replayed on top), and
    make it current. With `reset`, add a "reset" entry: every node reloads."""
    conn = conn or client()
    k = keys()
    position = last_position(conn, k)
    added = _entries_added(conn, k)
    version = selectors.gate_version()
    table = k.table()
    count, batch = 0, []
    for name in selectors.gate_domains(ordered=True):
        batch.append(name)
        if len(batch) == CHUNK:
            conn.rpush(table, "\n".join(batch))
            count += len(batch)
            batch = []
    if batch:
        conn.rpush(table, "\n".join(batch))
        count += len(batch)
    if not count:
        conn.rpush(table, "")  # an empty table still exists
    info = {"key": table, "position": position, "version": version, "count": count, "added": added}
    old = conn.hget(k.full, "key")
    pipe = conn.pipeline(transaction=True)
    pipe.hset(k.full, mapping=info)
    if reset:
        pipe.xadd(k.stream, {"op": "reset", "full": table}, maxlen=_maxlen(), approximate=True)
    if old:
        pipe.expire(old, OLD_FULL_SECONDS)
    pipe.execute()
    logger.info("gate feed: full table of %d names at %s (reset=%s)", count, position, reset)
    return info


def position() -> str | None:
    """The feed position now, for the header of a file export (None: no feed)."""
    if not enabled():
        return None
    try:
        return last_position(client(), keys())
    except (redis.RedisError, OSError) as exc:
        logger.warning("gate feed: position unknown (%s)", exc)
        return None


def maintain() -> str:
    """The `registry.gate_feed` job: the first full table; a reset when a
    publication was lost; a new full table before the stream is trimmed past
    the current one. Returns what it did."""
    if not enabled():
        return "off"
    conn = client()
    k = keys()
    full = conn.hgetall(k.full)
    if not full or not conn.exists(full.get("key", "")):
        write_full(conn)
        return "full"
    current = selectors.gate_version()
    published = conn.get(k.published)
    if published != current and current != full.get("version"):
        # A publication may still be on its way: only the same gap seen on two
        # runs in a row is taken as lost.
        if conn.get(k.suspect) == current:
            conn.delete(k.suspect)
            write_full(conn, reset=True)
            return "reset"
        conn.set(k.suspect, current, ex=3600)
        return "suspect"
    conn.delete(k.suspect)
    if _entries_added(conn, k) - int(full.get("added", 0)) > _maxlen() // 2:
        write_full(conn)
        return "full"
    return "ok"
