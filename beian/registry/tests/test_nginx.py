"""Integration: Debian's nginx on loopback with deploy/nginx/*.conf and the exported maps.

Skipped when /usr/sbin/nginx is absent (`.ci/run` installs nginx-light and
libnginx-mod-stream). nginx runs as a non-daemon child on 127.0.0.1 high ports
with a temporary prefix; a second nginx plays the backends.
"""

from __future__ import annotations

import os
import ssl

import pytest
from django.conf import settings
from django.test import override_settings

from beian.registry import export, selectors
from testing.edge import (
    DEPLOY,
    NGINX,
    STREAM_MODULE,
    Nginx,
    wait_for,
)
from testing.edge import free_port as _free_port
from testing.edge import get as _get
from testing.edge import tls as _tls
from testing.edge import user_line as _user_line

pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(NGINX),
        reason="nginx not installed: apt-get install nginx-light libnginx-mod-stream (.ci/run does)",
    ),
]

# A filed domain's labels followed by another registrable domain: never covered.
BYPASS = "anan.cc.evil.com"


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [0, 1], ids=["one-map", "a-map-per-name"])
def test_map_mode_http_and_sni(filed, backends, short_dir, chunk):
    filed(["filed.cn"])
    filed(["other.cn"])
    filed(["anan.cc"])
    maps = short_dir / "gate"
    chunks = {"GATE_NGINX_HTTP_MAP_CHUNK": chunk, "GATE_NGINX_SNI_MAP_CHUNK": chunk}
    with override_settings(BEIAN={**settings.BEIAN, **chunks}):
        export.export("nginx-http", maps / "http.map")
        export.export("nginx-sni", maps / "sni.map")
    for name in ("http.map", "sni.map"):
        assert (maps / name).read_text().count("map ") == (1 if chunk == 0 else 4)  # 3 parts + 1
    if not os.path.exists(STREAM_MODULE):
        pytest.skip("libnginx-mod-stream not installed: TLS by SNI needs it")

    http_port, tls_port = _free_port(), _free_port()
    run = short_dir / "run"
    run.mkdir()
    conf = (DEPLOY / "nginx" / "nginx-gate-map.conf").read_text()
    for old, new in {
        "user www-data;": _user_line(),
        "worker_processes auto;": "worker_processes 1;",
        "listen 80 ": f"listen 127.0.0.1:{http_port} ",
        "listen 443 ": f"listen 127.0.0.1:{tls_port} ",
        "/etc/beian/gate/": f"{maps}/",
        "/usr/share/beian": str(DEPLOY / "nginx"),
        "127.0.0.1:8080": f"127.0.0.1:{backends['http']}",
        "127.0.0.1:8443": f"127.0.0.1:{backends['tls']}",
        "/run/beian/": f"{run}/",
        "/var/log/nginx/": f"{short_dir}/",
        "map_hash_max_size 4194304;": "map_hash_max_size 4096;",
        "map_hash_max_size 262144;": "map_hash_max_size 4096;",
    }.items():
        assert old in conf, old
        conf = conf.replace(old, new)
    gate = Nginx(short_dir, conf, http_port)
    try:
        wait_for(tls_port, gate.proc, gate.log)
        # HTTP by Host.
        assert _get(http_port, "filed.cn") == (200, "backend-http filed.cn\n")
        assert _get(http_port, "WWW.Filed.CN.") == (200, "backend-http www.filed.cn\n")
        assert _get(http_port, "a.b.other.cn") == (200, "backend-http a.b.other.cn\n")
        status, body = _get(http_port, "unfiled.cn")
        assert status == 403 and "网站暂时无法访问" in body and "not filed" in body
        assert _get(http_port, "notfiled.cn")[0] == 403
        assert _get(http_port, f"127.0.0.1:{http_port}")[0] == 200  # IP literal
        # The edge's `.name` entries apply the gate's coverage rule (rules.hosts).
        snapshot = selectors.gate_snapshot()
        for host in ("x.filed.cn", "filed.cn.evil.cn", "xfiled.cn", "cn", "other.cn", BYPASS):
            assert (_get(http_port, host)[0] == 200) == snapshot.allows(host), host
        assert _get(http_port, "www.anan.cc")[0] == 200
        assert _get(http_port, BYPASS)[0] == 403
        # HTTPS by SNI.
        assert "backend-tls www.filed.cn" in _tls(tls_port, "www.filed.cn")
        assert "backend-tls filed.cn" in _tls(tls_port, "filed.cn")
        assert "backend-tls www.other.cn" in _tls(tls_port, "www.other.cn")
        assert "backend-tls" in _tls(tls_port, None)  # no SNI: connected by IP
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            _tls(tls_port, "unfiled.cn")
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            _tls(tls_port, BYPASS)
        # A new export reaches the running nginx by SIGHUP to its master, not
        # by `nginx -s reload` (a second nginx parsing every map to send it).
        filed(["late.cn"])
        old_workers = gate.workers()
        with override_settings(BEIAN={**settings.BEIAN, **chunks}):
            result = export.export(
                "nginx-http", maps / "http.map", reload_command=f"hup:{run}/nginx-gate.pid"
            )
        assert result.reload_returncode == 0
        gate.wait_reloaded(old_workers)
        assert _get(http_port, "late.cn") == (200, "backend-http late.cn\n")
    finally:
        gate.stop()


@pytest.fixture
def gate_server(transactional_db):
    """The gate server's WSGI application (`beian gate serve`: /gate/check and
    /gate/blocked without Django's middleware) on a real HTTP server on loopback,
    in this process so it reads the test database."""
    import threading

    import waitress

    from beian.registry.gate_wsgi import gate_only_app

    server = waitress.create_server(gate_only_app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.mark.django_db(transaction=True)
def test_auth_request_mode_asks_the_gate_server(filed, backends, short_dir, gate_server):
    filed(["filed.cn"])
    http_port = _free_port()
    conf = (DEPLOY / "nginx" / "nginx-gate-auth-request.conf").read_text()
    for old, new in {
        "user www-data;": _user_line(),
        "worker_processes auto;": "worker_processes 1;",
        "listen 80 ": f"listen 127.0.0.1:{http_port} ",
        "127.0.0.1:8001": gate_server,
        "127.0.0.1:8080": f"127.0.0.1:{backends['http']}",
        "/run/beian/": f"{short_dir}/",
        "/var/log/nginx/": f"{short_dir}/",
        "/var/cache/beian-gate": f"{short_dir}/cache",
    }.items():
        assert old in conf, old
        conf = conf.replace(old, new)
    gate = Nginx(short_dir, conf, http_port)
    try:
        assert _get(http_port, "shop.filed.cn") == (200, "backend-http shop.filed.cn\n")
        status, body = _get(http_port, "unfiled.cn")
        assert status == 403 and "unfiled.cn" in body and "This site is not available" in body
        assert _get(http_port, "127.0.0.1")[0] == 200
        # a filed domain's labels under another registrable domain: blocked
        assert _get(http_port, "filed.cn.evil.com")[0] == 403
    finally:
        gate.stop()
