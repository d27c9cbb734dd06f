"""The edge agent (`beian edge follow`): keeps an edge node's in-memory table
equal to the gate's allow-list by following the change feed (registry.feed).

It runs on the edge node with only the feed's address and the node's local
socket, and needs no database:

- at start, when it fell behind the stream's trimmed head, when the feed
  says "reset", or when the node lost its table (restarted), it loads the
  current full table from the feed, replaces the node's table in one step,
  and continues from the position the table was taken at;
- otherwise it reads the deltas as they come (XREAD BLOCK) and applies them:
  HAProxy through its runtime API (`set map`/`add map`/`del map` on the admin
  socket; a full table with `prepare map` / `add map @v` / `commit map`, which
  swaps it atomically), nginx through a Lua location that writes a
  `lua_shared_dict` (deploy/nginx/nginx-gate-lua.conf). Neither reloads.
- when it cannot reach the feed it keeps the node's last table, retries, and
  says so in its status (a Prometheus text file, `beian_edge_feed_up 0`).
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import redis

logger = logging.getLogger("beian.registry.edge")

# Names per command batch sent to a node.
BATCH = 5000


def _id(entry_id: str) -> tuple[int, int]:
    """A stream entry ID ("1700000000000-3") as a pair that sorts like the stream."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


entry_order = _id  # for the other followers of the feed (registry.live)


def trimmed_up_to(conn: redis.Redis, stream: str) -> str:
    """The last entry the stream has forgotten (trimmed), "0-0" for none."""
    try:
        return conn.xinfo_stream(stream).get("max-deleted-entry-id", "0-0")
    except redis.ResponseError:  # no stream yet: no change since the first table
        return "0-0"


def _coalesce(entries: Iterable[dict]) -> tuple[list[str], list[str]]:
    """Deltas in stream order → (names to add, names to delete): the last wins."""
    last: dict[str, bool] = {}
    for fields in entries:
        name = fields.get("name")
        if name:
            last[name] = fields.get("op") == "add"
    return [n for n, on in last.items() if on], [n for n, on in last.items() if not on]


# --- nodes -----------------------------------------------------------------


class NodeError(Exception):
    """The node refused or could not be reached."""


def _connect(address: str, timeout: float = 10.0) -> socket.socket:
    """A unix socket path, or host:port."""
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def _send_all(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except OSError:  # the reader sees the connection end and reports it
        pass


class HAProxyRuntime:
    """An HAProxy node: its admin socket (stats socket ... level admin) and the
    map file its configuration looks up (deploy/haproxy/haproxy-gate.cfg)."""

    def __init__(self, socket_address: str, map_path: str, *, write_file: bool = True) -> None:
        self.address, self.map = socket_address, map_path
        self.write_file = write_file
        self.label = f"haproxy {socket_address}"

    def _session(self, commands: list[str]) -> list[str]:
        """Send the commands on one connection in interactive mode; one answer each."""
        try:
            with _connect(self.address) as sock:
                # "quit" ends the session after the last answer (a half-closed
                # socket instead made HAProxy reset the connection at times).
                script = "prompt\n" + "".join(c + "\n" for c in commands) + "quit\n"
                # Sent from a thread while this one reads: HAProxy answers each
                # payload line with a small write, and with no reader those
                # fill the socket, HAProxy stops reading, and both would wait.
                sender = threading.Thread(target=_send_all, args=(sock, script.encode()))
                sender.start()
                data = b""
                while chunk := sock.recv(1 << 16):
                    data += chunk
                sender.join()
        except OSError as exc:
            raise NodeError(f"{self.label}: {exc}") from exc
        answers = data.decode("utf-8", "replace").split("\n> ")
        # "prompt" answers with the first prompt; each command ends with another.
        # A payload's lines are each answered with a continuation prompt ("+ ").
        answers = [a.lstrip("+ ").strip() for a in answers[1:]]
        return answers[: len(commands)]

    def identity(self) -> str:
        """The process id: a new one (restart, reload) has the file's table."""
        for line in self._session(["show info"])[0].splitlines():
            if line.startswith("Pid:"):
                return line.split(":", 1)[1].strip()
        raise NodeError(f"{self.label}: no Pid in show info")

    def apply(self, adds: list[str], dels: list[str]) -> None:
        for start in range(0, len(dels), BATCH):
            part = dels[start : start + BATCH]
            for answer in self._session([f"del map {self.map} {n}" for n in part]):
                if answer and "not found" not in answer.lower():
                    raise NodeError(f"{self.label}: del map: {answer}")
        for start in range(0, len(adds), BATCH):
            part = adds[start : start + BATCH]
            answers = self._session([f"set map {self.map} {n} 1" for n in part])
            missing = [n for n, a in zip(part, answers, strict=False) if "not found" in a.lower()]
            if len(answers) < len(part):
                raise NodeError(f"{self.label}: set map: {len(answers)} answers to {len(part)}")
            if missing:
                for answer in self._session([f"add map {self.map} {n} 1" for n in missing]):
                    if answer:
                        raise NodeError(f"{self.label}: add map: {answer}")

    def load(self, chunks: Iterable[list[str]]) -> int:
        (answer,) = self._session([f"prepare map {self.map}"])
        if "version created" not in answer.lower():
            raise NodeError(f"{self.label}: prepare map: {answer}")
        version = answer.rsplit(":", 1)[1].strip()
        count = 0
        copy = _MapFile(self.map) if self.write_file else None
        try:
            for names in chunks:
                if not names:
                    continue
                commands = [
                    f"add map @{version} {self.map} <<\n{payload}" for payload in _payloads(names)
                ]
                for answer in self._session(commands):
                    if answer:
                        raise NodeError(f"{self.label}: add map @{version}: {answer}")
                if copy:
                    copy.write("".join(f"{n} 1\n" for n in names))
                count += len(names)
            (answer,) = self._session([f"commit map @{version} {self.map}"])
            if answer:
                raise NodeError(f"{self.label}: commit map: {answer}")
        except BaseException:
            if copy:
                copy.abort()
            raise
        if copy:
            copy.commit()
        return count

    def names(self) -> set[str]:
        """The node's table now (for checks; `show map` lists every entry)."""
        (answer,) = self._session([f"show map {self.map}"])
        return {line.split()[1] for line in answer.splitlines() if len(line.split()) == 3}


# A CLI command with its payload must fit HAProxy's buffer (tune.bufsize,
# 16 384 bytes by default): a longer one makes HAProxy drop the connection.
PAYLOAD_BYTES = 12_000


def _payloads(names: list[str]) -> Iterator[str]:
    """`name 1` lines in payloads of at most PAYLOAD_BYTES."""
    lines, size = [], 0
    for name in names:
        line = f"{name} 1\n"
        if size + len(line) > PAYLOAD_BYTES and lines:
            yield "".join(lines)
            lines, size = [], 0
        lines.append(line)
        size += len(line)
    if lines:
        yield "".join(lines)


class _MapFile:
    """A copy of the full table beside the node's map file, renamed over it at
    the end, so a restarted HAProxy starts from the last full table."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        try:
            fd, self.tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            self.handle = os.fdopen(fd, "w", encoding="utf-8")
        except OSError as exc:
            logger.warning("edge: cannot write %s (%s); HAProxy keeps the old file", path, exc)
            self.handle = None

    def write(self, text: str) -> None:
        if self.handle:
            self.handle.write(text)

    def commit(self) -> None:
        if self.handle:
            self.handle.close()
            os.chmod(self.tmp, 0o644)
            os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self.handle:
            self.handle.close()
            os.unlink(self.tmp)


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float = 30.0) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = _connect(self.path, self.timeout)


class NginxLua:
    """An nginx node with the gate's Lua locations on a local socket
    (deploy/nginx/nginx-gate-lua.conf): a unix socket path or host:port.

    The table is a lua_shared_dict of name → generation; a name is allowed
    when its generation is at least the current one. A full load writes every
    name with a new generation, then makes that generation current in one
    step (`commit`): the names missing from the new table are blocked from then
    on, and the node never serves a half-loaded table. A HUP keeps the dict; a
    restart empties it (generation 0), which the agent sees and reloads."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.label = f"nginx {address}"
        self.generation = 0

    def _request(self, method: str, path: str, body: str = "") -> str:
        if self.address.startswith("/"):
            conn: http.client.HTTPConnection = _UnixHTTPConnection(self.address)
        else:
            host, _, port = self.address.rpartition(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request(method, path, body=body.encode(), headers={"Host": "beian-gate"})
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError as exc:
            raise NodeError(f"{self.label}: {exc}") from exc
        finally:
            conn.close()
        if response.status != 200:
            raise NodeError(f"{self.label}: {path} answered {response.status}: {text.strip()}")
        return text

    def identity(self) -> str:
        status = dict(
            line.split("=", 1)
            for line in self._request("GET", "/beian-gate/status").splitlines()
            if "=" in line
        )
        return status.get("generation", "0")

    def apply(self, adds: list[str], dels: list[str]) -> None:
        lines = [f"+{n}" for n in adds] + [f"-{n}" for n in dels]
        for start in range(0, len(lines), BATCH):
            self._request("POST", "/beian-gate/apply", "\n".join(lines[start : start + BATCH]))

    def load(self, chunks: Iterable[list[str]]) -> int:
        generation = max(int(time.time() * 1000), self.generation + 1)
        count = 0
        for names in chunks:
            if names:
                self._request("POST", f"/beian-gate/load?generation={generation}", "\n".join(names))
                count += len(names)
        self._request("POST", f"/beian-gate/commit?generation={generation}")
        self.generation = generation
        return count

    def names(self) -> set[str]:
        return set(self._request("GET", "/beian-gate/dump").split())


# --- the follower ------------------------------------------------------------


class Follower:
    """Follow the feed at `url` (keys under `prefix`) onto `nodes`."""

    def __init__(
        self,
        url: str,
        nodes: list,
        *,
        prefix: str = "beian:gate",
        status_path: str | None = None,
        block_ms: int = 1000,
        check_seconds: float = 5.0,
        retry_seconds: float = 1.0,
        connect: Callable[[str], redis.Redis] | None = None,
    ) -> None:
        self.url, self.nodes, self.status_path = url, nodes, status_path
        self.stream, self.full = f"{prefix}:stream", f"{prefix}:full"
        self.block_ms, self.check_seconds, self.retry_seconds = (
            block_ms,
            check_seconds,
            retry_seconds,
        )
        self._connect = connect or (
            lambda u: redis.Redis.from_url(u, socket_timeout=10, decode_responses=True)
        )
        self.redis: redis.Redis | None = None
        self.position: str | None = None  # None: a full load is due
        self.full_key = ""
        self.identities: dict[int, str] = {}
        self.up = False
        self.applied = 0
        self.full_loads = 0
        self.table_names = 0
        self.last_contact = 0.0
        self.last_error = ""
        self._checked = 0.0
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        while not self._stop.is_set():
            self.run_once()

    def run_once(self) -> None:
        """One round; a feed or node failure is reported and waited out."""
        try:
            self.step()
        except (redis.RedisError, OSError) as exc:
            self._down(f"feed: {exc}")
            self._stop.wait(self.retry_seconds)
        except NodeError as exc:
            # The node refused or is unreachable: load it whole when it is back.
            logger.error("edge: %s", exc)
            self.last_error = str(exc)
            self.position = None
            self._write_status()
            self._stop.wait(self.retry_seconds)

    def _down(self, error: str) -> None:
        if self.up or not self.last_error:
            logger.warning("edge: cannot reach the feed (%s); keeping the last table", error)
        self.up = False
        self.last_error = error
        self.redis = None
        self._write_status()

    def step(self) -> None:
        """One round: load the full table if due, else read and apply deltas."""
        if self.redis is None:
            self.redis = self._connect(self.url)
        if self.position is None:
            self.load_full()
            return
        now = time.monotonic()
        if now - self._checked >= self.check_seconds:
            self._checked = now
            for index, node in enumerate(self.nodes):
                if node.identity() != self.identities.get(index):
                    logger.warning("edge: %s lost its table; loading it whole", node.label)
                    self.position = None
                    return
        answer = self.redis.xread({self.stream: self.position}, count=BATCH, block=self.block_ms)
        self._contact()
        if not answer:
            return
        entries = answer[0][1]
        if self._behind():
            logger.warning("edge: behind the feed's trimmed head; loading the full table")
            self.position = None
            return
        deltas = []
        for entry_id, fields in entries:
            if fields.get("op") == "reset" and fields.get("full") != self.full_key:
                self.apply(deltas)
                self.position = None  # the full table replaces everything so far
                return
            deltas.append(fields)
            last = entry_id
        self.apply(deltas)
        self.position = last
        self._write_status()

    def _contact(self) -> None:
        if not self.up:
            logger.info("edge: feed reachable at %s", redact(self.url))
        self.up, self.last_error, self.last_contact = True, "", time.time()

    def _trimmed_up_to(self) -> str:
        return trimmed_up_to(self.redis, self.stream)

    def _behind(self) -> bool:
        return _id(self._trimmed_up_to()) > _id(self.position)

    def apply(self, deltas: list[dict]) -> None:
        if not deltas:
            return
        adds, dels = _coalesce(deltas)
        for node in self.nodes:
            node.apply(adds, dels)
        self.applied += len(deltas)

    def _chunks(self, key: str) -> Iterator[list[str]]:
        start = 0
        while True:
            part = self.redis.lrange(key, start, start + 9)
            if not part:
                return
            for blob in part:
                yield [n for n in blob.split("\n") if n]
            start += len(part)

    def load_full(self) -> None:
        full = self.redis.hgetall(self.full)
        self._contact()
        if not full:
            self.last_error = "no full table on the feed yet"
            self._write_status()
            self._stop.wait(self.retry_seconds)
            return
        if _id(self._trimmed_up_to()) > _id(full["position"]):
            self.last_error = "the full table is older than the stream; waiting for a new one"
            self._write_status()
            self._stop.wait(self.retry_seconds)
            return
        started = time.monotonic()
        for index, node in enumerate(self.nodes):
            self.table_names = node.load(self._chunks(full["key"]))
            self.identities[index] = node.identity()
        self.position, self.full_key = full["position"], full["key"]
        self.full_loads += 1
        self._checked = time.monotonic()
        logger.info(
            "edge: full table of %d names at %s loaded in %.2fs",
            self.table_names,
            self.position,
            time.monotonic() - started,
        )
        self._write_status()

    def status(self) -> dict[str, float]:
        position_ms = _id(self.position)[0] / 1000 if self.position else 0.0
        return {
            "beian_edge_feed_up": 1 if self.up else 0,
            "beian_edge_last_contact_timestamp_seconds": self.last_contact,
            "beian_edge_position_timestamp_seconds": position_ms,
            "beian_edge_deltas_applied_total": self.applied,
            "beian_edge_full_loads_total": self.full_loads,
            "beian_edge_full_table_names": self.table_names,
        }

    def _write_status(self) -> None:
        if not self.status_path:
            return
        lines = [f"{name} {value}" for name, value in self.status().items()]
        if self.last_error:
            lines.insert(0, "# " + self.last_error.replace("\n", " "))
        path = Path(self.status_path)
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_text("\n".join(lines) + "\n")
            os.replace(tmp, path)
        except OSError as exc:
            logger.warning("edge: cannot write status %s (%s)", path, exc)


def redact(url: str) -> str:
    """The feed address without its password, for logs."""
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(parts.password, "***")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url
