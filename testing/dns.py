"""A small real DNS server on 127.0.0.1 (UDP, in a thread) for the tests.

The demo's responder (`beian.core.dnsserver.ZoneResponder`) serving every name:
A for the names in `records` (name → IPv4), NXDOMAIN for the rest, and the
questions asked kept in `queries`. Nothing leaves the loopback interface.
"""

from __future__ import annotations

import threading

import dns.message
import dns.rdatatype

from beian.core.dnsserver import ZoneResponder


class LoopbackDns(ZoneResponder):
    def __init__(self, records: dict[str, str] | None = None) -> None:
        super().__init__(records=records)
        self.queries: list[str] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def in_zone(self, name: str) -> bool:
        return True  # every name is ours: unknown ones do not resolve

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        if query.question:
            question = query.question[0]
            name = question.name.to_text().rstrip(".").lower()
            self.queries.append(f"{name}/{dns.rdatatype.to_text(question.rdtype)}")
        return super().answer(query)

    def __enter__(self) -> LoopbackDns:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
