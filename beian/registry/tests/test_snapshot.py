"""The machine's gate snapshot file (registry.snapshot): exact look-ups of
name hashes in a memory-mapped file, the coverage rule on top of it, the
feed's deltas before a rebuild, refused files rebuilt, and a file replaced
while a reader still maps the old one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from beian.filings.models import Access
from beian.registry import feed, gate, snapshot
from beian.registry.live import live_gate, snapshot_dir

NAMES = ["a.cn", "example.com.cn", "anan.cc", "xn--fiqs8s.cn", "b.example.org"]


def _built(folder: Path, names, version="v1", feed_at=None) -> snapshot.HashedNames:
    path = folder / snapshot.file_name(version)
    snapshot.build(names, path, version=version, feed_at=feed_at)
    return snapshot.HashedNames(path)


def test_exact_names_are_found_and_nothing_else(tmp_path):
    many = [f"site{i}.example{i % 97}.cn" for i in range(20_000)]
    table = _built(tmp_path, NAMES + many + ["a.cn"], feed_at="1-0")  # a duplicate
    assert len(table) == len(NAMES) + len(many)
    assert all(name in table for name in NAMES + many)
    for absent in ("www.a.cn", "cn", "a.c", "A.CN", "", "site20000.example0.cn", "ａ.cn"):
        assert absent not in table, absent
    assert table.version == "v1" and table.feed_at == "1-0"
    assert "anything" not in _built(tmp_path, [], version="empty")


def test_the_coverage_rule_is_the_shared_one(tmp_path):
    # The file answers exact names only; gate.Snapshot asks it what
    # rules.hosts.covered asks a set, so both decide every host alike.
    hashed = gate.Snapshot(_built(tmp_path, NAMES))
    in_memory = gate.Snapshot(frozenset(NAMES))
    hosts = [
        "a.cn", "www.a.cn", "x.y.a.cn", "A.CN:443", "a.cn.", "ba.cn", "a.cn.evil.com",
        "anan.cc.evil.com", "www.anan.cc.evil.com", "anan.cc.cn", "xanan.cc", "www.anan.cc",
        "中国.cn", "www.中国.cn", "example.com.cn", "com.cn", "cn", "203.0.113.9", "[::1]:80",
        "", "b.example.org", "example.org",
    ]  # fmt: skip
    assert {h: hashed.allows(h) for h in hosts} == {h: in_memory.allows(h) for h in hosts}
    assert hashed.allows("www.anan.cc") and not hashed.allows("anan.cc.evil.com")
    assert hashed.allows("www.中国.cn") and not hashed.allows("com.cn")


def test_a_truncated_or_corrupt_file_is_refused_and_built_again(tmp_path, caplog):
    path = tmp_path / snapshot.file_name("v1")
    snapshot.build(NAMES, path, version="v1")
    good = path.read_bytes()
    builds = []

    def names():
        builds.append(1)
        return iter(NAMES)

    damaged = {
        "truncated": good[:-8],
        "a flipped bit": good[:5000] + bytes([good[5000] ^ 1]) + good[5001:],
        "not a snapshot": b"# beian-gate version=v1\n" + good[24:],
        "empty": b"",
    }
    for what, content in damaged.items():
        path.write_bytes(content)
        with pytest.raises(snapshot.SnapshotFileError):
            snapshot.HashedNames(path)
        table = snapshot.obtain(tmp_path, "v1", names)
        assert all(n in table for n in NAMES) and "b.cn" not in table, what
        assert path.read_bytes() == good, what
    assert len(builds) == len(damaged)
    assert snapshot.CORRUPT in caplog.text
    # A valid file is used as it is: no build.
    assert "a.cn" in snapshot.obtain(tmp_path, "v1", lambda: pytest.fail("built again"))


def test_a_reader_keeps_the_file_it_mapped_while_it_is_replaced(tmp_path):
    old = _built(tmp_path, ["old.cn"], version="v1")
    # The same path rewritten (a stale file built again) and old versions pruned.
    snapshot.obtain(tmp_path, "v1", lambda: iter(["new.cn"]), stale=lambda t: True)
    for version in ("v2", "v3", "v4"):
        snapshot.obtain(tmp_path, version, lambda: iter(["new.cn"]))
    assert len(list(tmp_path.glob("snapshot-*.bin"))) == snapshot.KEEP
    assert not (tmp_path / snapshot.file_name("v1")).exists()
    assert "old.cn" in old and "new.cn" not in old  # the old mapping still answers
    new = snapshot.HashedNames(tmp_path / snapshot.file_name("v4"))
    assert "new.cn" in new and "old.cn" not in new
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_processes_of_a_machine_build_a_version_once(tmp_path):
    builds = []

    def names():
        builds.append(1)
        time.sleep(0.3)  # the others wait on the build lock meanwhile
        return iter(NAMES)

    tables = []
    threads = [
        threading.Thread(target=lambda: tables.append(snapshot.obtain(tmp_path, "v1", names)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and len(tables) == 4
    assert all("anan.cc" in t for t in tables)
    # Another process maps the same file and builds nothing.
    code = (
        "import sys; from pathlib import Path; from beian.registry import snapshot;"
        "t = snapshot.obtain(Path(sys.argv[1]), 'v1', lambda: sys.exit('built again'));"
        "print('anan.cc' in t, 'b.cn' in t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    assert out.stdout.split() == ["True", "False"]


@pytest.mark.django_db
def test_the_gate_check_uses_the_machine_file(client, filed):
    filed(["a.cn"])
    assert client.get("/gate/check", {"host": "www.a.cn"}).status_code == 204
    table = live_gate.snapshot().domains
    assert isinstance(table, snapshot.HashedNames)
    assert table.path.parent == snapshot_dir() and table.path.exists()
    assert client.get("/gate/check", {"host": "a.cn.evil.com"}).status_code == 403


@pytest.mark.django_db
def test_without_a_snapshot_folder_each_process_holds_a_set(client, filed):
    filed(["a.cn"])
    with override_settings(BEIAN={**settings.BEIAN, "GATE_SNAPSHOT_DIR": ""}):
        assert client.get("/gate/check", {"host": "www.a.cn"}).status_code == 204
        assert isinstance(live_gate.snapshot().domains, frozenset)


@pytest.mark.django_db(transaction=True)
def test_a_change_from_the_feed_applies_before_the_next_build(client, filed, feed_on):
    conn, prefix = feed_on
    kept, cancelled = filed(["kept.cn"]), filed(["gone.cn"])
    beian = {**settings.BEIAN, "GATE_FEED_POLL_SECONDS": 0, "GATE_REFRESH_SECONDS": 3600}
    with override_settings(BEIAN=beian):
        assert client.get("/gate/check", {"host": "www.gone.cn"}).status_code == 204
        table = live_gate.snapshot().domains
        assert table.feed_at is not None
        Access.objects.filter(website=cancelled).close()  # committed: published
        new = filed(["new.cn"])  # created open: not through the feed, seen at a rebuild
        Access.objects.filter(website=new).touch()  # now published
        assert client.get("/gate/check", {"host": "www.gone.cn"}).status_code == 403
        assert client.get("/gate/check", {"host": "new.cn"}).status_code == 204
        assert client.get("/gate/check", {"host": "kept.cn"}).status_code == 204
        assert live_gate.snapshot().domains is table  # no rebuild: the overlay answered
        assert table.overlay == {"gone.cn": False, "new.cn": True}
        assert table.in_file("gone.cn")  # the file itself is unchanged
        assert len(list(snapshot_dir().glob("snapshot-*.bin"))) == 1
        # A reset on the feed (a publication may have been lost): a new file.
        feed.write_full(reset=True)
        client.get("/gate/check", {"host": "kept.cn"})
        rebuilt = live_gate.snapshot().domains
        assert rebuilt is not table and rebuilt.overlay == {}
        assert not rebuilt.in_file("gone.cn") and "new.cn" in rebuilt
        assert client.get("/gate/check", {"host": "www.gone.cn"}).status_code == 403
    assert kept


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_feed_falls_back_to_the_version(client, filed, feed_on, clock):
    clock.set(2026, 3, 2, 10)
    site = filed(["a.cn"])
    beian = {**settings.BEIAN, "GATE_FEED_POLL_SECONDS": 0, "GATE_REFRESH_SECONDS": 0}
    with override_settings(BEIAN=beian):
        assert client.get("/gate/check", {"host": "a.cn"}).status_code == 204
    dead = {**beian, "GATE_FEED_URL": "redis://127.0.0.1:9/0"}  # nothing listens there
    with override_settings(BEIAN=dead):
        clock.advance(minutes=1)
        Access.objects.filter(website=site).close()  # not published: the feed is down
        assert client.get("/gate/check", {"host": "a.cn"}).status_code == 403
