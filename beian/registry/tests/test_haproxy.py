"""Integration: Debian's HAProxy on loopback with deploy/haproxy/haproxy-gate.cfg
and the `haproxy` export.

The map holds exact registrable domains, looked up with map_str as the host and
as its parent names: a filed `anan.cc` covers `www.anan.cc` but not
`anan.cc.evil.com` (map_dom, advised before, let it through). Skipped when
/usr/sbin/haproxy is absent (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import ssl

import pytest

from beian.registry import export, selectors
from testing.edge import DEPLOY, HAPROXY, HAProxy, adapt, free_port, get, tls, wait_for

pytestmark = pytest.mark.skipif(
    not os.path.exists(HAPROXY), reason="HAProxy not installed: apt-get install haproxy"
)

BYPASS = "anan.cc.evil.com"


def haproxy_gate(directory, backends, map_path, http_port, tls_port) -> HAProxy:
    conf = adapt(
        (DEPLOY / "haproxy" / "haproxy-gate.cfg").read_text(),
        {
            "/run/haproxy/": f"{directory}/",
            "/etc/haproxy/beian.map": str(map_path),
            "/usr/share/beian": str(DEPLOY / "nginx"),
            "bind :80": f"bind 127.0.0.1:{http_port}",
            "bind :443": f"bind 127.0.0.1:{tls_port}",
            "127.0.0.1:8080": f"127.0.0.1:{backends['http']}",
            "127.0.0.1:8443": f"127.0.0.1:{backends['tls']}",
        },
    )
    return HAProxy(directory / "haproxy.cfg", conf, http_port)


@pytest.mark.django_db
def test_haproxy_gate_by_host_and_sni(filed, backends, short_dir):
    filed(["filed.cn"])
    filed(["anan.cc"])
    filed(["example.com.cn"])
    map_path = short_dir / "beian.map"
    export.export("haproxy", map_path)
    http_port, tls_port = free_port(), free_port()
    gate = haproxy_gate(short_dir, backends, map_path, http_port, tls_port)
    try:
        wait_for(tls_port, gate.proc, gate.log)
        assert get(http_port, "filed.cn") == (200, "backend-http filed.cn\n")
        assert get(http_port, "WWW.Filed.CN.:80")[0] == 200
        assert get(http_port, "a.b.c.d.example.com.cn")[0] == 200
        status, body = get(http_port, "unfiled.cn")
        assert status == 403 and "网站暂时无法访问" in body and "not filed" in body
        assert get(http_port, BYPASS)[0] == 403
        assert get(http_port, f"127.0.0.1:{http_port}")[0] == 200  # IP literal
        snapshot = selectors.gate_snapshot()
        hosts = ("www.anan.cc", BYPASS, "anan.cc.cn", "xanan.cc", "cc", "com.cn", "x.filed.cn")
        for host in hosts:
            assert (get(http_port, host)[0] == 200) == snapshot.allows(host), host
        # TLS by SNI: filed names pass, the bypass and unfiled names are refused.
        assert "backend-tls www.anan.cc" in tls(tls_port, "www.anan.cc")
        assert "backend-tls" in tls(tls_port, None)  # no SNI: connected by IP
        for refused in (BYPASS, "unfiled.cn"):
            with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
                tls(tls_port, refused)
    finally:
        gate.stop()
