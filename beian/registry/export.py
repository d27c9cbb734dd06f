"""Gate exports: the allow-list as an nginx map, an nginx stream map, a HAProxy
map or plain text, written atomically with a version line.

The first line of every file is `# beian-gate version=<v> count=<n> format=<f>
generated=<t> [feed=<stream ID>]` (the change feed's position when the feed is
configured: a node that loads the file replays the feed from there);
the export job compares it with the current version to know whether a file is
stale without reading the database's whole allow-list.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from beian.core import clock
from beian.registry import feed, selectors

logger = logging.getLogger("beian.registry.export")

FORMATS = ("nginx-http", "nginx-sni", "haproxy", "txt")
HEADER = "# beian-gate"

# IP literals pass at the edge: nginx maps allow them by regular expression
# (tested after the exact and wildcard names, so they cost nothing for names).
_NGINX_IP_PATTERNS = (
    r"~^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$",
    r"~^\[?[0-9a-f.]*:[0-9a-f:.]*\]?$",
)


# Names per nginx map (see _NginxMaps; 0: one map), measured in
# docs/benchmarks.md: each part costs ~1 µs per look-up. For HTTP that is paid
# on every request, so one map; for SNI once per TLS connection, next to a
# handshake, so parts, which cut the 7 M stream map's load from ~50 s to ~7 s.
DEFAULT_MAP_CHUNK = {"nginx-http": 0, "nginx-sni": 250_000}
_CHUNK_SETTING = {
    "nginx-http": "GATE_NGINX_HTTP_MAP_CHUNK",
    "nginx-sni": "GATE_NGINX_SNI_MAP_CHUNK",
}

# The count is known only at the end of the stream; the header reserves room
# for it and is rewritten in place before the file is renamed into place.
_COUNT_WIDTH = 12


def _header(version: str, count: int | None, fmt: str, stamp: str, feed_at: str | None) -> str:
    shown = "" if count is None else str(count)
    at = f" feed={feed_at}" if feed_at else ""
    return (
        f"{HEADER} version={version} count={shown:<{_COUNT_WIDTH}} format={fmt} "
        f"generated={stamp}{at}\n"
    )


class _Layout:
    """How one format lays out the allow-list: a head, one entry per name, a tail."""

    def head(self, chunk: int) -> str:
        return ""

    def entry(self, name: str, index: int, chunk: int) -> str:
        raise NotImplementedError

    def tail(self, count: int, chunk: int) -> str:
        return ""


class _Lines(_Layout):
    def __init__(self, after: str) -> None:
        self.after = after

    def entry(self, name: str, index: int, chunk: int) -> str:
        return name + self.after


class _NginxMaps(_Layout):
    """An nginx `hostnames` map: ".example.com" matches example.com and every
    name under it.

    With `chunk` > 0 the names are split into maps of at most `chunk` names
    (`<part>0`, `<part>1`, …) and one last map sets the target to 1 when any
    part is 1. nginx's duplicate check while loading a map grows with the
    square of its names, so at national scale many small maps load several
    times faster than one, at ~1 µs per part per look-up (docs/gate.md,
    "Sizing the map hash")."""

    def __init__(self, comment: str, source: str, part: str, target: str) -> None:
        self.comment, self.source, self.part, self.target = comment, source, part, target

    def _open(self, variable: str) -> str:
        return f"map {self.source} {variable} {{\n    hostnames;\n    default 0;\n"

    def head(self, chunk: int) -> str:
        first = self._open(f"{self.part}0" if chunk else self.target)
        return self.comment + first + "".join(f'    "{p}" 1;\n' for p in _NGINX_IP_PATTERNS)

    def entry(self, name: str, index: int, chunk: int) -> str:
        line = f"    .{name} 1;\n"
        if chunk and index and index % chunk == 0:
            return "}\n" + self._open(f"{self.part}{index // chunk}") + line
        return line

    def tail(self, count: int, chunk: int) -> str:
        if not chunk:
            return "}\n"
        parts = "".join(f"{self.part}{i}" for i in range(max(1, -(-count // chunk))))
        return f'}}\nmap "{parts}" {self.target} {{\n    default 0;\n    "~1" 1;\n}}\n'


LAYOUTS: dict[str, _Layout] = {
    "nginx-http": _NginxMaps(
        "# include at http{} level; $beian_gate_allowed is 1 for a filed host\n",
        "$host",
        "$beian_gate_part",
        "$beian_gate_allowed",
    ),
    # nginx skips regular expressions for an empty value: a missing SNI is
    # handled where the map is used (deploy/nginx/nginx-gate-map.conf).
    "nginx-sni": _NginxMaps(
        "# include at stream{} level (needs ssl_preread on)\n",
        "$ssl_preread_server_name",
        "$beian_gate_sni_part",
        "$beian_gate_sni_allowed",
    ),
    # Exact keys, looked up exactly (map_str) as the host and as each of its
    # parent names (deploy/haproxy/haproxy-gate.cfg). Never map_dom(): it
    # matches any run of labels, so a filed anan.cc would let anan.cc.evil.com in.
    "haproxy": _Lines(" 1\n"),
    "txt": _Lines("\n"),
}
assert set(LAYOUTS) == set(FORMATS)


def map_chunk(fmt: str) -> int:
    """Names per nginx map of this format (0: one map), settings
    GATE_NGINX_HTTP_MAP_CHUNK and GATE_NGINX_SNI_MAP_CHUNK."""
    if fmt not in _CHUNK_SETTING:
        return 0
    configured = getattr(settings, "BEIAN", {}).get(_CHUNK_SETTING[fmt])
    return int(DEFAULT_MAP_CHUNK[fmt] if configured is None else configured)


def read_version(path: Path) -> str | None:
    """The version recorded in an existing export, or None."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline()
    except OSError:
        return None
    if not first.startswith(HEADER):
        return None
    for part in first.split():
        if part.startswith("version="):
            return part[len("version=") :]
    return None


class _AtomicWriter:
    """One export being written: a temporary file beside the target, then fsync
    and rename over it, so a reader (nginx reload) sees the old file or the new
    one, never half of one."""

    def __init__(self, fmt: str, path: Path, version: str, stamp: str, feed_at: str | None) -> None:
        self.fmt, self.path, self.version, self.stamp = fmt, Path(path), version, stamp
        self.feed_at = feed_at
        self.layout = LAYOUTS[fmt]
        self.chunk = map_chunk(fmt)
        self.count = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self.handle.write(_header(version, None, fmt, stamp, feed_at))
        self.handle.write(self.layout.head(self.chunk))

    def add(self, name: str) -> None:
        self.handle.write(self.layout.entry(name, self.count, self.chunk))
        self.count += 1

    def commit(self) -> None:
        self.handle.write(self.layout.tail(self.count, self.chunk))
        self.handle.seek(0)  # same length as the placeholder: rewritten in place
        self.handle.write(_header(self.version, self.count, self.fmt, self.stamp, self.feed_at))
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.handle.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


@dataclass
class ExportResult:
    path: Path
    fmt: str
    version: str
    count: int
    changed: bool
    reload_returncode: int | None = None


def write_exports(targets: list[tuple[str, Path]]) -> tuple[str, list[int]]:
    """Write every (format, path) in one pass over the allow-list.

    The names stream from the database in order; memory stays flat whatever
    the number of domains. Returns the version written and the count per file.
    On a failure no file is half-written: each is the old one or, if already
    committed, the new one.
    """
    for fmt, _path in targets:
        if fmt not in LAYOUTS:
            raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    # The feed position first, then the version: a change during the read is
    # replayed from the feed on top of the file and shows next time here.
    feed_at = feed.position()
    version = selectors.gate_version()
    stamp = clock.now().isoformat(timespec="seconds")
    writers: list[_AtomicWriter] = []
    try:
        for fmt, path in targets:
            writers.append(_AtomicWriter(fmt, path, version, stamp, feed_at))
        previous = None
        for name in selectors.gate_domains(ordered=True):
            if name == previous:  # defensive: the database keeps filed names unique
                continue
            previous = name
            for writer in writers:
                writer.add(name)
        for writer in writers:
            writer.commit()
    except BaseException:
        for writer in writers:
            writer.abort()  # a file already renamed into place is left alone
        raise
    return version, [writer.count for writer in writers]


def export(
    fmt: str,
    output: Path,
    *,
    reload_command: str | None = None,
    force: bool = True,
) -> ExportResult:
    """Write one export; run `reload_command` when the file changed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    output = Path(output)
    if not force:
        current = selectors.gate_version()
        if read_version(output) == current:
            return ExportResult(output, fmt, current, -1, changed=False)
    version, (count,) = write_exports([(fmt, output)])
    result = ExportResult(output, fmt, version, count, changed=True)
    if reload_command:
        result.reload_returncode = run_reload(reload_command)
    return result


HUP = "hup:"


def run_reload(command: str) -> int:
    """Run a reload: "hup:<pid file>" sends SIGHUP to the process named in the
    file (nginx's or HAProxy's master: it loads the new files itself), else the
    command line. A HUP, not `nginx -s reload`: that starts a second nginx that
    parses the whole configuration, maps included, only to send the same
    signal (12.3 s against 7 s at 1 M names, issue 19). Returns 0 on success."""
    if command.startswith(HUP):
        return _hup(command[len(HUP) :])
    completed = subprocess.run(
        shlex.split(command), capture_output=True, text=True, timeout=600, check=False
    )
    if completed.returncode != 0:
        logger.error(
            "gate reload command %r failed (%d): %s",
            command,
            completed.returncode,
            completed.stderr.strip()[:2000],
        )
    return completed.returncode


def _hup(pid_file: str) -> int:
    try:
        pid = int(Path(pid_file).read_text().split()[0])
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError, IndexError) as exc:
        logger.error("gate reload: cannot send SIGHUP to the process in %s: %s", pid_file, exc)
        return 1
    return 0


def configured_exports() -> list[dict]:
    """settings.BEIAN["GATE_EXPORTS"]: [{"format", "output", "reload"?}, ...]."""
    return list(getattr(settings, "BEIAN", {}).get("GATE_EXPORTS", []))


def refresh_configured() -> list[ExportResult]:
    """Bring every configured export up to date (the periodic job).

    The version check is two index look-ups; the allow-list is read once, in
    one streamed pass that writes every stale export, and only when some export
    is stale.
    """
    exports = configured_exports()
    if not exports:
        return []
    current = selectors.gate_version()
    stale = [e for e in exports if read_version(Path(e["output"])) != current]
    if not stale:
        return []
    version, counts = write_exports([(e["format"], Path(e["output"])) for e in stale])
    results = []
    reloaded: dict[str, int] = {}  # one reload per command, after all files are written
    for entry, count in zip(stale, counts, strict=True):
        result = ExportResult(Path(entry["output"]), entry["format"], version, count, True)
        command = entry.get("reload")
        if command:
            if command not in reloaded:
                reloaded[command] = run_reload(command)
            result.reload_returncode = reloaded[command]
        results.append(result)
    return results
