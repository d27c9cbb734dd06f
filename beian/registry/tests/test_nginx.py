"""Integration: Debian's nginx on loopback with deploy/nginx/*.conf and the exported maps.

Skipped when /usr/sbin/nginx is absent (`.ci/run` installs nginx-light and
libnginx-mod-stream). nginx runs as a non-daemon child on 127.0.0.1 high ports
with a temporary prefix; a second nginx plays the backends.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from beian.registry import export, selectors

NGINX = "/usr/sbin/nginx"
STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so"
DEPLOY = Path(__file__).resolve().parents[3] / "deploy" / "nginx"

pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(NGINX),
        reason="nginx not installed: apt-get install nginx-light libnginx-mod-stream (.ci/run does)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "backend.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _wait_for(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"nginx exited: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(
        f"nginx did not listen on {port}: {log.read_text() if log.exists() else ''}"
    )


class Nginx:
    """One nginx child: `nginx -p PREFIX -c CONF -e LOG -g 'daemon off;'`."""

    def __init__(self, prefix: Path, conf_text: str, wait_port: int):
        self.prefix = prefix
        self.log = prefix / "error.log"
        conf = prefix / "nginx.conf"
        conf.write_text(conf_text)
        base = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(self.log)]
        test = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
        assert test.returncode == 0, test.stderr
        self.proc = subprocess.Popen(
            [*base, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for(wait_port, self.proc, self.log)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _user_line() -> str:
    # Workers must read files under the test's temporary folder.
    return "user root;" if os.geteuid() == 0 else ""


BACKEND_CONF = """
worker_processes 1;
pid {prefix}/backend.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    server {{
        listen 127.0.0.1:{http_port};
        location / {{ default_type text/plain; return 200 "backend-http $host\\n"; }}
    }}
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{ default_type text/plain; return 200 "backend-tls $ssl_server_name\\n"; }}
    }}
}}
"""


@pytest.fixture
def short_dir():
    # Unix socket paths must stay short (108 bytes).
    path = Path(tempfile.mkdtemp(prefix="bg-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def backends(short_dir):
    prefix = short_dir / "backend"
    prefix.mkdir()
    cert, key = _self_signed(prefix)
    ports = {"http": _free_port(), "tls": _free_port()}
    conf = BACKEND_CONF.format(
        prefix=prefix, http_port=ports["http"], tls_port=ports["tls"], cert=cert, key=key
    )
    server = Nginx(prefix, f"{_user_line()}\n{conf}", ports["http"])
    _wait_for(ports["tls"], server.proc, server.log)
    yield ports
    server.stop()


def _get(port: int, host: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/", headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _tls(port: int, server_name: str | None) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := tls.recv(4096):
                data += chunk
    return data.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [0, 1], ids=["one-map", "a-map-per-name"])
def test_map_mode_http_and_sni(filed, backends, short_dir, chunk):
    filed(["filed.cn"])
    filed(["other.cn"])
    maps = short_dir / "gate"
    chunks = {"GATE_NGINX_HTTP_MAP_CHUNK": chunk, "GATE_NGINX_SNI_MAP_CHUNK": chunk}
    with override_settings(BEIAN={**settings.BEIAN, **chunks}):
        export.export("nginx-http", maps / "http.map")
        export.export("nginx-sni", maps / "sni.map")
    for name in ("http.map", "sni.map"):
        assert (maps / name).read_text().count("map ") == (1 if chunk == 0 else 3)
    if not os.path.exists(STREAM_MODULE):
        pytest.skip("libnginx-mod-stream not installed: TLS by SNI needs it")

    http_port, tls_port = _free_port(), _free_port()
    run = short_dir / "run"
    run.mkdir()
    conf = (DEPLOY / "nginx-gate-map.conf").read_text()
    for old, new in {
        "user www-data;": _user_line(),
        "worker_processes auto;": "worker_processes 1;",
        "listen 80 ": f"listen 127.0.0.1:{http_port} ",
        "listen 443 ": f"listen 127.0.0.1:{tls_port} ",
        "/etc/beian/gate/": f"{maps}/",
        "/usr/share/beian": str(DEPLOY),
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
        _wait_for(tls_port, gate.proc, gate.log)
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
        for host in ("x.filed.cn", "filed.cn.evil.cn", "xfiled.cn", "cn", "other.cn"):
            assert (_get(http_port, host)[0] == 200) == snapshot.allows(host), host
        # HTTPS by SNI.
        assert "backend-tls www.filed.cn" in _tls(tls_port, "www.filed.cn")
        assert "backend-tls filed.cn" in _tls(tls_port, "filed.cn")
        assert "backend-tls www.other.cn" in _tls(tls_port, "www.other.cn")
        assert "backend-tls" in _tls(tls_port, None)  # no SNI: connected by IP
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            _tls(tls_port, "unfiled.cn")
    finally:
        gate.stop()


@pytest.mark.django_db(transaction=True)
def test_auth_request_mode_asks_the_application(filed, backends, short_dir, live_server):
    filed(["filed.cn"])
    http_port = _free_port()
    app = live_server.url.removeprefix("http://")
    conf = (DEPLOY / "nginx-gate-auth-request.conf").read_text()
    for old, new in {
        "user www-data;": _user_line(),
        "worker_processes auto;": "worker_processes 1;",
        "listen 80 ": f"listen 127.0.0.1:{http_port} ",
        "127.0.0.1:8000": app,
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
    finally:
        gate.stop()
