"""Gate exports: the allow-list as an nginx map, an nginx stream map, a HAProxy
map or plain text, written atomically with a version line.

The first line of every file is `# beian-gate version=<v> count=<n> format=<f>`;
the export job compares it with the current version to know whether a file is
stale without reading the database's whole allow-list.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from beian.core import clock
from beian.registry import selectors

logger = logging.getLogger("beian.registry.export")

FORMATS = ("nginx-http", "nginx-sni", "haproxy", "txt")
HEADER = "# beian-gate"

# IP literals pass at the edge: nginx maps allow them by regular expression
# (tested after the exact and wildcard names, so they cost nothing for names).
_NGINX_IP_PATTERNS = (
    r"~^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$",
    r"~^\[?[0-9a-f.]*:[0-9a-f:.]*\]?$",
)


def _header(version: str, count: int, fmt: str) -> str:
    stamp = clock.now().isoformat(timespec="seconds")
    return f"{HEADER} version={version} count={count} format={fmt} generated={stamp}\n"


def _nginx_map(variable: str, target: str, domains: list[str]) -> Iterable[str]:
    yield f"map {variable} {target} {{\n"
    yield "    hostnames;\n"
    yield "    default 0;\n"
    for pattern in _NGINX_IP_PATTERNS:
        yield f'    "{pattern}" 1;\n'
    # ".example.com" matches example.com and every name under it.
    for name in domains:
        yield f"    .{name} 1;\n"
    yield "}\n"


def render(fmt: str, domains: list[str], version: str) -> Iterable[str]:
    """Lines of one export (domains sorted and unique)."""
    yield _header(version, len(domains), fmt)
    if fmt == "nginx-http":
        yield "# include at http{} level; $beian_gate_allowed is 1 for a filed host\n"
        yield from _nginx_map("$host", "$beian_gate_allowed", domains)
    elif fmt == "nginx-sni":
        # nginx skips regular expressions for an empty value: a missing SNI is
        # handled where the map is used (deploy/nginx/nginx-gate-map.conf).
        yield "# include at stream{} level (needs ssl_preread on)\n"
        yield from _nginx_map("$ssl_preread_server_name", "$beian_gate_sni_allowed", domains)
    elif fmt == "haproxy":
        # Exact keys; use map_dom() (or strip to the registrable domain) to match subdomains.
        for name in domains:
            yield f"{name} 1\n"
    elif fmt == "txt":
        for name in domains:
            yield f"{name}\n"
    else:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


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


def write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it:
    a reader (nginx reload) sees the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(lines)
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


@dataclass
class ExportResult:
    path: Path
    fmt: str
    version: str
    count: int
    changed: bool
    reload_returncode: int | None = None


def load_domains() -> tuple[str, list[str]]:
    version = selectors.gate_version()  # first: a change during the read shows next time
    return version, sorted(set(selectors.gate_domains()))


def export(
    fmt: str,
    output: Path,
    *,
    reload_command: str | None = None,
    force: bool = True,
    data: tuple[str, list[str]] | None = None,
) -> ExportResult:
    """Write one export; run `reload_command` when the file changed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    output = Path(output)
    if not force and data is None:
        current = selectors.gate_version()
        if read_version(output) == current:
            return ExportResult(output, fmt, current, -1, changed=False)
    version, domains = data or load_domains()
    if not force and read_version(output) == version:
        return ExportResult(output, fmt, version, len(domains), changed=False)
    write_atomically(output, render(fmt, domains, version))
    result = ExportResult(output, fmt, version, len(domains), changed=True)
    if reload_command:
        result.reload_returncode = run_reload(reload_command)
    return result


def run_reload(command: str) -> int:
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


def configured_exports() -> list[dict]:
    """settings.BEIAN["GATE_EXPORTS"]: [{"format", "output", "reload"?}, ...]."""
    return list(getattr(settings, "BEIAN", {}).get("GATE_EXPORTS", []))


def refresh_configured() -> list[ExportResult]:
    """Bring every configured export up to date (the periodic job).

    The version check is two index look-ups; the allow-list is read once, and
    only when some export is stale.
    """
    exports = configured_exports()
    if not exports:
        return []
    current = selectors.gate_version()
    stale = [e for e in exports if read_version(Path(e["output"])) != current]
    if not stale:
        return []
    data = load_domains()
    results = []
    for entry in stale:
        results.append(
            export(
                entry["format"],
                Path(entry["output"]),
                reload_command=entry.get("reload") or None,
                force=False,
                data=data,
            )
        )
    return results
