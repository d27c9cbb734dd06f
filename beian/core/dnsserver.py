"""A small authoritative DNS responder (UDP, dnspython), for the demo's own zone.

`make run` has no Internet: asked through the system's resolver, every demo domain read
as "not resolving", which the resolve check cannot tell from "really stopped". `beian
dns-responder` serves the demo's zone (a JSON file `{"zone": [...], "records": {name:
IPv4}}` that `beian demo` writes) on loopback, and `BEIAN["DNS_RESOLVER"]` points the
check at it. It answers:

- A for a name in `records`;
- NXDOMAIN for any other name inside a zone it serves (the domain really does not resolve);
- REFUSED for names outside its zones: the check then says it *cannot* check
  (`core.dns.Resolution.resolves is None`), never that the name does not resolve.
"""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


def load_zone(path) -> tuple[set[str], dict[str, str]]:
    """(zones, records) from a zone file; an absent file serves nothing (all REFUSED)."""
    path = Path(path)
    if not path.exists():
        return set(), {}
    data = json.loads(path.read_text(encoding="utf-8"))
    zones = {z.lower().rstrip(".") for z in data.get("zone", [])}
    records = {k.lower().rstrip("."): v for k, v in data.get("records", {}).items()}
    return zones, records


def write_zone(path, zones, records: dict[str, str]) -> None:
    Path(path).write_text(
        json.dumps({"zone": sorted(zones), "records": records}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


class ZoneResponder:
    """Answers queries for `zones` from `records`, on `host:port` (port 0: a free one)."""

    def __init__(
        self,
        zones=(),
        records: dict[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        zone_file=None,
    ):
        self.zones = {z.lower().rstrip(".") for z in zones}
        self.records = {k.lower().rstrip("."): v for k, v in (records or {}).items()}
        # A zone file is read again whenever it changes (the demo may write it later).
        self.zone_file = Path(zone_file) if zone_file else None
        self._mtime = None
        self._reload()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.sock.settimeout(0.2)
        self.host, self.port = self.sock.getsockname()[:2]
        self._stop = threading.Event()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _reload(self) -> None:
        if self.zone_file is None:
            return
        mtime = self.zone_file.stat().st_mtime if self.zone_file.exists() else None
        if mtime != self._mtime:
            self._mtime = mtime
            self.zones, self.records = load_zone(self.zone_file)

    def in_zone(self, name: str) -> bool:
        return any(name == z or name.endswith(f".{z}") for z in self.zones)

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        if not query.question:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        if not self.in_zone(name):
            response.set_rcode(dns.rcode.REFUSED)
            return response
        response.flags |= dns.flags.AA
        address = self.records.get(name)
        if address is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.A:
            response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "A", address))
        return response  # other types of a known name: no data (NOERROR, empty)

    def serve_forever(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self._reload()
            try:
                query = dns.message.from_wire(wire)
            except Exception:  # noqa: BLE001 - garbage in: no answer
                continue
            self.sock.sendto(self.answer(query).to_wire(), peer)

    def stop(self) -> None:
        self._stop.set()
        self.sock.close()
