"""The gate's allow-list as a file of name hashes, memory-mapped and shared by
every process of a machine (issue 19, decision 0025).

A `frozenset` of 7 million names costs ~770 MB in each process that answers
`/gate/check`, and twice that while a new one loads. Here the allow-list of
one version is written once per machine, next to the exports
(`GATE_SNAPSHOT_DIR`, default `var/gate/`), as `snapshot-<key>.bin`:

    header   4096 bytes: magic line, then JSON (version, feed position,
             count, byte order, hash, checksum), padded with spaces
    index    65 537 × uint64: where the hashes with each top 16 bits begin
    hi       count × uint64: the first 64 bits of each name's hash, sorted
    lo       count × uint64: the last 64 bits, in the same order

A name's hash is BLAKE2b with a 128-bit digest of its UTF-8 bytes; the pairs
(hi, lo) are sorted together. A look-up hashes the name, finds its bucket in
the index and bisects the few hashes inside it (`bisect` over a memoryview of
the `mmap`: no copy, no numpy). Every process maps the same pages of the
page cache: the table costs 16 bytes a name once per machine (112 MB at 7 M),
and a process only touches the pages it reads.

Why 128 bits, not 64 (decision 0025): a hash collision between an unfiled
name and a filed one lets the unfiled name through. With 64 bits and 7 M
names a random name collides with probability 7e6 / 2^64 ≈ 4e-13, but the
hash is public, so someone wanting an unfiled domain served could search
offline for a name that collides with any of the 7 M: about 2^64 / 7e6 ≈
2.6e12 hashes, hours on one GPU. With 128 bits that search is ~5e31 hashes.
The price is 8 bytes a name (56 MB at 7 M) and one more comparison.

The file answers only "is this exact name on the allow-list"; which names a
host asks about is the coverage rule of `beian.rules.hosts.covered`, as for
the in-memory set. `HashedNames` also holds the change feed's deltas applied
since the file was taken (`overlay`: name → on the list or not), which win
over the file until the next build.

A file is written to a temporary file in the same folder, fsynced and renamed
into place: a process that maps the old file keeps reading it (the inode
lives while it is mapped), a new one sees the new file. A file that is
truncated, corrupt or of another layout is refused on opening (its checksum
and size are checked) and built again.
"""

from __future__ import annotations

import bisect
import fcntl
import hashlib
import json
import logging
import mmap
import os
import struct
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger("beian.registry.gate")

MAGIC = b"beian-gate-snapshot 1\n"
HEADER_SIZE = 4096
HASH = "blake2b-128"
BUCKET_BITS = 16
BUCKETS = 1 << BUCKET_BITS
_SHIFT = 64 - BUCKET_BITS
_PAIR = struct.Struct("<QQ")
_unpack = _PAIR.unpack
_blake2b = hashlib.blake2b
# Files of older versions kept beside the current one (a process may still be
# about to open one); readers that already map a deleted file are unaffected.
KEEP = 2

# The stable code of a refused file, in the log (no person reads it).
CORRUPT = "registry.gate_snapshot_corrupt"


class SnapshotFileError(Exception):
    """A snapshot file that cannot be used: truncated, corrupt, another layout."""

    code = CORRUPT


def name_hash(name: str) -> tuple[int, int]:
    """(hi, lo): the 128-bit BLAKE2b of the name's UTF-8 bytes as two uint64."""
    return _unpack(_blake2b(name.encode("utf-8", "surrogatepass"), digest_size=16).digest())


def file_name(version: str) -> str:
    """The file of a version: the version itself is free text (a timestamp and
    a count), so the name carries a digest of it; the header carries it whole."""
    return f"snapshot-{hashlib.sha256(version.encode()).hexdigest()[:24]}.bin"


def build(names: Iterable[str], path: Path, *, version: str, feed_at: str | None = None) -> int:
    """Write the hashes of `names` (any order, duplicates allowed) to `path`
    atomically. Returns the number of distinct hashes written.

    The hashes are first spread over 256 byte arrays by their top byte (16
    bytes a name), then each is sorted on its own: the builder's memory is
    about 16 bytes a name plus one part, not a list of 7 million integers.
    """
    path = Path(path)
    parts = [bytearray() for _ in range(256)]
    for name in names:
        digest = _blake2b(name.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        parts[digest[7]].extend(digest)  # little-endian hi: byte 7 is its top byte
    hi, lo = array("Q"), array("Q")
    previous = None
    for index in range(256):
        pairs = sorted(struct.iter_unpack("<QQ", parts[index]))
        parts[index] = None  # freed part by part
        for pair in pairs:
            if pair != previous:
                hi.append(pair[0])
                lo.append(pair[1])
                previous = pair
    count = len(hi)
    offsets = array("Q", (bisect.bisect_left(hi, b << _SHIFT) for b in range(BUCKETS)))
    offsets.append(count)
    checksum = hashlib.blake2b(digest_size=32)
    for part in (offsets, hi, lo):
        checksum.update(part)
    header = _header(
        {
            "version": version,
            "feed": feed_at,
            "count": count,
            "byteorder": sys.byteorder,
            "hash": HASH,
            "buckets": BUCKETS,
            "checksum": checksum.hexdigest(),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(header)
            for part in (offsets, hi, lo):
                part.tofile(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)
    return count


def _header(meta: dict) -> bytes:
    text = MAGIC + json.dumps(meta, sort_keys=True).encode() + b"\n"
    if len(text) > HEADER_SIZE:
        raise ValueError("snapshot header too long (version or feed position)")
    return text.ljust(HEADER_SIZE, b" ")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class HashedNames:
    """A mapped snapshot file: `name in table` for exact names, plus `overlay`
    (the feed's deltas since the file: name → True on the list / False off)."""

    is_name_table = True  # gate.Snapshot takes it as it is
    __slots__ = ("path", "version", "feed_at", "count", "overlay", "_map", "_index", "_hi", "_lo")

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with open(self.path, "rb") as handle:
            meta = _read_header(handle.read(HEADER_SIZE), self.path)
            count = meta["count"]
            size = os.fstat(handle.fileno()).st_size
            expected = HEADER_SIZE + 8 * (BUCKETS + 1 + 2 * count)
            if size != expected:
                raise SnapshotFileError(f"{self.path}: {size} bytes, expected {expected}")
            # The checksum is read through the file, not the mapping, so this
            # process's memory does not take in pages it will never look at.
            checksum = hashlib.blake2b(digest_size=32)
            while chunk := handle.read(1 << 20):
                checksum.update(chunk)
            if checksum.hexdigest() != meta["checksum"]:
                raise SnapshotFileError(f"{self.path}: checksum mismatch")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        words = memoryview(self._map)[HEADER_SIZE:].cast("Q")
        self._index = words[: BUCKETS + 1]
        self._hi = words[BUCKETS + 1 : BUCKETS + 1 + count]
        self._lo = words[BUCKETS + 1 + count :]
        self.version = meta["version"]
        self.feed_at = meta.get("feed")
        self.count = count
        self.overlay: dict[str, bool] = {}

    def __len__(self) -> int:
        return self.count

    def in_file(self, name: str) -> bool:
        """Whether the file (not the overlay) holds `name`."""
        hi, lo = _unpack(_blake2b(name.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        bucket = hi >> _SHIFT
        index = self._index
        end = index[bucket + 1]
        his = self._hi
        at = bisect.bisect_left(his, hi, index[bucket], end)
        los = self._lo
        while at < end and his[at] == hi:
            if los[at] == lo:
                return True
            at += 1
        return False

    def __contains__(self, name: str) -> bool:
        # in_file, inlined: this is the gate's hot path (a call saved per name).
        on = self.overlay.get(name)
        if on is not None:
            return on
        hi, lo = _unpack(_blake2b(name.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        bucket = hi >> _SHIFT
        index = self._index
        end = index[bucket + 1]
        his = self._hi
        at = bisect.bisect_left(his, hi, index[bucket], end)
        while at < end and his[at] == hi:
            if self._lo[at] == lo:
                return True
            at += 1
        return False


def _read_header(raw: bytes, path: Path) -> dict:
    if len(raw) < HEADER_SIZE or not raw.startswith(MAGIC):
        raise SnapshotFileError(f"{path}: not a gate snapshot (or truncated)")
    try:
        meta = json.loads(raw[len(MAGIC) :].decode())
    except ValueError as exc:
        raise SnapshotFileError(f"{path}: unreadable header") from exc
    if (
        meta.get("hash") != HASH
        or meta.get("byteorder") != sys.byteorder
        or meta.get("buckets") != BUCKETS
        or not isinstance(meta.get("count"), int)
    ):
        raise SnapshotFileError(
            f"{path}: another layout ({meta.get('hash')}, {meta.get('byteorder')})"
        )
    return meta


def open_file(path: Path) -> HashedNames | None:
    """The mapped file, or None when it does not exist or is refused (logged)."""
    try:
        return HashedNames(path)
    except FileNotFoundError:
        return None
    except SnapshotFileError as exc:
        logger.error("%s: gate snapshot refused, building it again: %s", CORRUPT, exc)
        return None


@contextmanager
def _build_lock(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".build.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # one builder per machine; the others wait
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def obtain(
    directory: Path,
    version: str,
    names: Callable[[], Iterable[str]],
    feed_position: Callable[[], str | None] = lambda: None,
    *,
    stale: Callable[[HashedNames], bool] = lambda table: False,
) -> HashedNames:
    """The snapshot file of `version` in `directory`, built first if no valid
    one exists (or the one there is `stale`: its feed position can no longer
    be replayed from). Processes of one machine build it once: the first takes
    a file lock and builds, the others wait on the lock and then map its file.
    `feed_position` is read before `names`, so replaying the feed's entries
    after it onto the file gives the current state."""
    directory = Path(directory)
    path = directory / file_name(version)

    def usable() -> HashedNames | None:
        table = open_file(path)
        if table is None or table.version != version or stale(table):
            return None
        return table

    table = usable()
    if table is not None:
        return table
    with _build_lock(directory):
        table = usable()  # another process built it while this one waited
        if table is not None:
            return table
        feed_at = feed_position()
        count = build(names(), path, version=version, feed_at=feed_at)
        logger.info("gate snapshot %s: %d names written to %s", version, count, path)
        prune(directory, keep=path)
        return HashedNames(path)


def prune(directory: Path, keep: Path) -> None:
    """Remove all but the KEEP newest snapshot files (and `keep`)."""
    files = sorted(
        (p for p in Path(directory).glob("snapshot-*.bin") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in files[KEEP - 1 :]:
        try:
            old.unlink()
        except FileNotFoundError:
            pass
