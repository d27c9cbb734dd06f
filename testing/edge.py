"""Edge servers on loopback for the gate's tests: Debian's nginx and HAProxy as
non-daemon children on free 127.0.0.1 ports, a TLS client, an HTTP client.

The deploy configurations (deploy/nginx/, deploy/haproxy/) are run as they
are shipped, with their paths and ports replaced (`adapt`).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import socket
import ssl
import subprocess
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
HAPROXY = "/usr/sbin/haproxy"
STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so"
LUA_MODULE = "/usr/lib/nginx/modules/ngx_http_lua_module.so"
DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def adapt(text: str, replacements: dict[str, str]) -> str:
    """The shipped configuration with each value replaced; every value must occur."""
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def user_line() -> str:
    # nginx workers must read files under the test's temporary folder.
    return "user root;" if os.geteuid() == 0 else ""


def self_signed(directory: Path) -> tuple[Path, Path]:
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


def wait_for(
    port: int, proc: subprocess.Popen, log: Path | None = None, seconds: float = 15
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {_read(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"server did not listen on {port}: {_read(log)}")


def _read(log: Path | None) -> str:
    return log.read_text() if log is not None and log.exists() else ""


class _Child:
    proc: subprocess.Popen

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Nginx(_Child):
    """One nginx child: `nginx -p PREFIX -c CONF -e LOG -g 'daemon off;'`."""

    def __init__(self, prefix: Path, conf_text: str, wait_port: int, wait_seconds: float = 15):
        # wait_seconds: a benchmark's maps of a million names take longer to load.
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
        wait_for(wait_port, self.proc, self.log, wait_seconds)

    def workers(self) -> set[int]:
        """The master's worker processes (Linux: /proc/PID/task/PID/children)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return {int(pid) for pid in path.read_text().split()}

    def wait_reloaded(self, old_workers: set[int], timeout: float = 15) -> None:
        """After a SIGHUP: until every worker of the old configuration has
        exited. Until then the old and the new workers both accept, so one
        request may see the new table and the next the old one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.workers()
            if current and not current & old_workers:
                return
            time.sleep(0.02)
        raise AssertionError(f"nginx did not reload: workers {self.workers()}: {_read(self.log)}")


class HAProxy(_Child):
    """One HAProxy child in the foreground (`haproxy -db -f CONF`)."""

    def __init__(self, conf_path: Path, conf_text: str, wait_port: int):
        conf_path.write_text(conf_text)
        check = subprocess.run(
            [HAPROXY, "-c", "-q", "-f", str(conf_path)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
        self.log = conf_path.with_suffix(".log")
        self._log_handle = open(self.log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(conf_path)],
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
        )
        wait_for(wait_port, self.proc, self.log)

    def stop(self) -> None:
        super().stop()
        self._log_handle.close()


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


def start_backends(prefix: Path) -> tuple[Nginx, dict[str, int]]:
    """An nginx playing the HTTP and TLS backends, answering with the host it saw."""
    prefix.mkdir()
    cert, key = self_signed(prefix)
    ports = {"http": free_port(), "tls": free_port()}
    conf = BACKEND_CONF.format(
        prefix=prefix, http_port=ports["http"], tls_port=ports["tls"], cert=cert, key=key
    )
    server = Nginx(prefix, f"{user_line()}\n{conf}", ports["http"])
    wait_for(ports["tls"], server.proc, server.log)
    return server, ports


def get(port: int, host: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/", headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def tls(port: int, server_name: str | None) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := conn.recv(4096):
                data += chunk
    return data.decode("utf-8", "replace")
