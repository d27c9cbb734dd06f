"""`beian gate export`: formats, version line, atomic write, reload on change, the job."""

from __future__ import annotations

import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from beian.filings.models import Access, AccessStatus, Domain
from beian.notify.periodic import registered
from beian.registry import export, jobs, selectors
from beian.rules import hosts

pytestmark = pytest.mark.django_db


def _export(tmp_path, fmt, **kwargs):
    out = tmp_path / f"gate.{fmt}"
    call_command("gate", "export", "--format", fmt, "--output", str(out), **kwargs)
    return out.read_text().splitlines()


def test_nginx_http_map_covers_subdomains_and_ip_literals(filed, tmp_path):
    filed(["b.cn", "a.com.cn"])
    filed(["xn--fsqu00a.xn--fiqs8s"])
    lines = _export(tmp_path, "nginx-http")
    assert lines[0].startswith("# beian-gate version=")
    assert "count=3" in lines[0] and "format=nginx-http" in lines[0]
    assert "map $host $beian_gate_allowed {" in lines  # one map: a part costs per request
    assert "    hostnames;" in lines and "    default 0;" in lines
    entries = [line.strip() for line in lines if line.startswith("    .")]
    assert entries == [".a.com.cn 1;", ".b.cn 1;", ".xn--fsqu00a.xn--fiqs8s 1;"]
    assert any("0-9]+\\.[0-9]+" in line for line in lines)  # IPv4 literals pass
    assert lines[-1] == "}" and lines.count("}") == 1


def _maps(lines):
    """{variable: [names]} of each map in an nginx export."""
    maps, current = {}, None
    for line in lines:
        if line.startswith("map "):
            current = maps.setdefault(line.split()[2], [])
        elif line.startswith("    .") and current is not None:
            current.append(line.strip()[1:-3])
    return maps


def test_nginx_map_is_split_into_parts_of_the_configured_size(filed, tmp_path):
    filed(["a.cn", "b.cn", "c.cn", "d.cn", "e.cn"])
    with override_settings(BEIAN={**settings.BEIAN, "GATE_NGINX_SNI_MAP_CHUNK": 2}):
        lines = _export(tmp_path, "nginx-sni")
    maps = _maps(lines)
    assert maps == {
        "$beian_gate_sni_part0": ["a.cn", "b.cn"],
        "$beian_gate_sni_part1": ["c.cn", "d.cn"],
        "$beian_gate_sni_part2": ["e.cn"],
        "$beian_gate_sni_allowed": [],
    }
    assert 'map "$beian_gate_sni_part0$beian_gate_sni_part1$beian_gate_sni_part2" ' in lines[-4]
    ip_lines = [i for i, line in enumerate(lines) if "0-9]+" in line]
    assert ip_lines and max(ip_lines) < lines.index("    .a.cn 1;")  # IP literals: part 0


def test_nginx_map_in_one_piece_when_chunking_is_off(filed, tmp_path):
    filed(["a.cn", "b.cn", "c.cn"])
    with override_settings(BEIAN={**settings.BEIAN, "GATE_NGINX_SNI_MAP_CHUNK": 0}):
        lines = _export(tmp_path, "nginx-sni")
    assert _maps(lines) == {"$beian_gate_sni_allowed": ["a.cn", "b.cn", "c.cn"]}
    assert lines[-1] == "}" and lines.count("}") == 1


def test_http_map_can_be_split_too(filed, tmp_path):
    filed(["a.cn", "b.cn", "c.cn"])
    with override_settings(BEIAN={**settings.BEIAN, "GATE_NGINX_HTTP_MAP_CHUNK": 2}):
        lines = _export(tmp_path, "nginx-http")
    assert _maps(lines) == {
        "$beian_gate_part0": ["a.cn", "b.cn"],
        "$beian_gate_part1": ["c.cn"],
        "$beian_gate_allowed": [],
    }


def test_nginx_sni_map(filed, tmp_path):
    filed(["b.cn"])
    lines = _export(tmp_path, "nginx-sni")
    assert "map $ssl_preread_server_name $beian_gate_sni_part0 {" in lines
    assert 'map "$beian_gate_sni_part0" $beian_gate_sni_allowed {' in lines
    assert "    .b.cn 1;" in lines


def test_haproxy_and_txt_list_exact_registrable_domains(filed, tmp_path):
    filed(["b.cn", "a.cn"])
    filed(["a.cn"], status="pending")  # not filed: not listed twice or at all
    assert _export(tmp_path, "haproxy")[1:] == ["a.cn 1", "b.cn 1"]
    assert _export(tmp_path, "txt")[1:] == ["a.cn", "b.cn"]


@pytest.mark.parametrize("fmt", ["haproxy", "txt"])
def test_exact_keys_never_cover_a_filed_domains_labels_under_another_domain(filed, tmp_path, fmt):
    # An edge looks the host and its parent names up exactly in these keys
    # (deploy/haproxy/haproxy-gate.cfg: map_str on field(-1,.,N)), never as
    # any run of labels (map_dom): anan.cc.evil.com must find nothing.
    filed(["anan.cc"])
    keys = {line.split()[0] for line in _export(tmp_path, fmt)[1:]}
    assert keys == {"anan.cc"}
    assert keys & set(hosts.covering_names("www.anan.cc"))
    for host in ("anan.cc.evil.com", "www.anan.cc.evil.com", "anan.cc.cn"):
        assert not keys & set(hosts.covering_names(host)), host


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError):
        export.export("apache", tmp_path / "x")


def test_write_is_atomic_and_leaves_no_temporary_file(filed, tmp_path):
    filed(["a.cn"])
    out = tmp_path / "gate.txt"
    out.write_text("old content\n")
    export.export("txt", out)
    assert out.read_text().splitlines()[1:] == ["a.cn"]
    assert [p.name for p in tmp_path.iterdir()] == ["gate.txt"]


def test_failed_write_keeps_the_old_file(filed, tmp_path, monkeypatch):
    filed(["a.cn", "b.cn"])
    out = tmp_path / "gate.txt"
    out.write_text("old content\n")

    def broken(**kwargs):
        yield "a.cn"
        raise DatabaseError("connection lost in the middle of the list")

    monkeypatch.setattr(selectors, "gate_domains", broken)
    with pytest.raises(DatabaseError):
        export.export("txt", out)
    assert out.read_text() == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["gate.txt"]


def test_header_count_is_exact_and_names_come_in_order(filed, tmp_path):
    names = [f"d{i:03d}.cn" for i in range(120)]
    for name in reversed(names):
        filed([name])
    out = tmp_path / "gate.haproxy"
    result = export.export("haproxy", out)
    lines = out.read_text().splitlines()
    fields = dict(part.split("=", 1) for part in lines[0].split()[2:])
    assert fields["count"] == "120" and result.count == 120
    assert fields["version"] == result.version and fields["format"] == "haproxy"
    assert lines[1:] == [f"{name} 1" for name in names]


def test_refresh_reads_the_allow_list_once_for_all_stale_exports(filed, tmp_path, clock):
    clock.set(2026, 3, 2, 10)
    filed(["a.cn"])
    marker = tmp_path / "reloads"
    reload = f"{sys.executable} -c \"open('{marker}', 'a').write('x')\""
    config = [
        {"format": fmt, "output": str(tmp_path / f"gate.{fmt}"), "reload": reload}
        for fmt in export.FORMATS
    ]
    with override_settings(BEIAN={**settings.BEIAN, "GATE_EXPORTS": config}):
        with CaptureQueriesContext(connection) as queries:
            results = export.refresh_configured()
    domain_table = Domain._meta.db_table
    reads = [q["sql"] for q in queries.captured_queries if f'FROM "{domain_table}"' in q["sql"]]
    assert len(reads) == 1
    assert [r.count for r in results] == [1, 1, 1, 1]
    assert marker.read_text() == "x"  # the same reload command runs once
    assert {r.reload_returncode for r in results} == {0}


def test_reload_command_runs_only_after_a_change(filed, tmp_path, clock):
    clock.set(2026, 3, 2, 10)
    website = filed(["a.cn"])
    out = tmp_path / "gate.map"
    marker = tmp_path / "reloads"
    reload = f"{sys.executable} -c \"open('{marker}', 'a').write('x')\""
    first = export.export("nginx-http", out, reload_command=reload, force=False)
    assert first.changed and marker.read_text() == "x"
    again = export.export("nginx-http", out, reload_command=reload, force=False)
    assert not again.changed and marker.read_text() == "x"
    clock.advance(minutes=1)
    Access.objects.filter(website=website).update(
        status=AccessStatus.CLOSED, changed_at=clock.now()
    )
    third = export.export("nginx-http", out, reload_command=reload, force=False)
    assert third.changed and third.count == 0 and marker.read_text() == "xx"


def test_a_hup_reload_with_no_such_process_is_reported(filed, tmp_path):
    filed(["a.cn"])
    (tmp_path / "missing.pid").write_text("999999999\n")
    for pid_file in (tmp_path / "missing.pid", tmp_path / "absent.pid"):
        result = export.export("txt", tmp_path / "g.txt", reload_command=f"hup:{pid_file}")
        assert result.changed and result.reload_returncode == 1


@pytest.mark.django_db(transaction=True)
def test_the_allow_list_is_read_outside_any_transaction_on_sqlite(filed):
    # Beian's SQLite transactions are BEGIN IMMEDIATE: one around the read
    # would hold the write lock for the whole export. One SELECT in autocommit
    # is a WAL snapshot that never blocks a writer.
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL reads in a REPEATABLE READ, READ ONLY transaction")
    filed(["a.cn"])
    filed(["b.cn"])
    names = selectors.gate_domains(ordered=True)
    assert next(names) == "a.cn"
    assert not connection.in_atomic_block and connection.get_autocommit()
    assert list(names) == ["b.cn"]


def test_failing_reload_command_is_reported(filed, tmp_path):
    filed(["a.cn"])
    result = export.export(
        "txt", tmp_path / "g.txt", reload_command=f"{sys.executable} -c 'raise SystemExit(3)'"
    )
    assert result.reload_returncode == 3


def test_job_keeps_configured_exports_current(filed, tmp_path, clock):
    clock.set(2026, 3, 2, 10)
    http, txt = tmp_path / "http.map", tmp_path / "domains.txt"
    config = [
        {"format": "nginx-http", "output": str(http)},
        {"format": "txt", "output": str(txt)},
    ]
    assert "registry.gate_export" in registered()
    with override_settings(BEIAN={**settings.BEIAN, "GATE_EXPORTS": config}):
        website = filed(["a.cn"])
        jobs.gate_export()
        assert txt.read_text().splitlines()[1:] == ["a.cn"]
        assert "    .a.cn 1;" in http.read_text().splitlines()
        assert export.refresh_configured() == []  # nothing changed: nothing written
        clock.advance(seconds=30)
        Access.objects.filter(website=website).update(
            status=AccessStatus.CLOSED, changed_at=clock.now()
        )
        jobs.gate_export()
        assert txt.read_text().splitlines()[1:] == []
        assert "    .a.cn 1;" not in http.read_text().splitlines()


def test_gate_check_command(filed, capsys):
    filed(["a.cn"])
    call_command("gate", "check", "www.a.cn", "b.cn", "10.0.0.1")
    assert capsys.readouterr().out.splitlines() == [
        "www.a.cn\tallow",
        "b.cn\tblock",
        "10.0.0.1\tallow",
    ]
