"""The gate's decision: normalisation, IP literals, subdomains, filed-and-accessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian.filings.models import Access, AccessStatus
from beian.registry import gate, selectors
from beian.rules import hosts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("WWW.Example.COM", "www.example.com"),
        ("www.example.com:8080", "www.example.com"),
        ("www.example.com.", "www.example.com"),
        ("www.example.com.:443", "www.example.com"),
        ("  example.cn  ", "example.cn"),
        ("例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("WWW.例子.中国:80", "www.xn--fsqu00a.xn--fiqs8s"),
        ("[::1]:443", "::1"),
        ("[2001:DB8::1]", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("203.0.113.5:80", "203.0.113.5"),
        ("", ""),
        (None, ""),
        ("bad..名字", ""),
    ],
)
def test_normalise(raw, expected):
    assert hosts.normalise(raw) == expected


SNAPSHOT = gate.Snapshot({"example.com", "xn--fsqu00a.xn--fiqs8s", "example.com.cn"})


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "www.example.com",
        "a.b.c.example.com",
        "WWW.EXAMPLE.COM:8443",
        "www.example.com.",
        "例子.中国",
        "www.例子.中国",
        "shop.example.com.cn",
        "203.0.113.5",
        "203.0.113.5:8080",
        "[2001:db8::1]:443",
        "::1",
    ],
)
def test_allows(host):
    assert SNAPSHOT.allows(host)


@pytest.mark.parametrize(
    "host",
    [
        "",
        None,
        "example.org",
        "notexample.com",  # a suffix that is not at a label boundary
        "example.com.evil.cn",
        "com",
        "com.cn",  # the public suffix of a filed domain is not filed
        "other.com.cn",
        "999.999.999.999",  # looks numeric, is no address
        "bad.cafe",  # hex letters only: no IPv6
        "xn--zz",
        "例子.公司",
    ],
)
def test_blocks(host):
    assert not SNAPSHOT.allows(host)


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@given(st.lists(labels, min_size=0, max_size=4), st.sampled_from(["Example.COM", "example.com"]))
def test_every_subdomain_of_a_filed_domain_passes(prefix, domain):
    assert SNAPSHOT.allows(".".join([*prefix, domain]))


@given(st.lists(labels, min_size=1, max_size=4))
def test_unfiled_names_are_blocked(parts):
    host = ".".join([*parts, "example.org"])
    assert not SNAPSHOT.allows(host)


@pytest.mark.django_db
def test_only_filed_and_accessed_domains_are_in_the_allow_list(filed):
    filed(["open.cn"])
    filed(["pending-access.cn"], access=AccessStatus.PENDING)
    filed(["closed-access.cn"], access=AccessStatus.CLOSED)
    filed(["no-access.cn"], access=None)
    filed(["not-filed-yet.cn"], status="pending")
    snapshot = selectors.gate_snapshot()
    assert snapshot.domains == {"open.cn"}
    assert snapshot.allows("www.open.cn")
    assert not snapshot.allows("www.closed-access.cn")


@pytest.mark.django_db
def test_version_changes_with_every_access_change(filed, clock):
    clock.set(2026, 3, 2, 10)
    empty = selectors.gate_version()
    website = filed(["a.cn"])
    first = selectors.gate_version()
    assert first != empty
    # A second change in the same instant still changes the version.
    filed(["b.cn"])
    second = selectors.gate_version()
    assert second != first
    clock.advance(minutes=1)
    Access.objects.filter(website=website).update(
        status=AccessStatus.CLOSED, changed_at=clock.now()
    )
    assert selectors.gate_version() != second


@pytest.mark.django_db
def test_the_gate_and_the_public_query_apply_one_coverage_rule(filed):
    # Both ask beian.rules.hosts: a host the gate lets through under a filed
    # domain is a host the public query finds that filing for, and no other.
    filed(["filed.cn", "filed.com.cn"])
    snapshot = selectors.gate_snapshot()
    for host in (
        "filed.cn",
        "WWW.Filed.CN.",
        "a.b.filed.com.cn:8080",
        "notfiled.cn",
        "filed.cn.evil.cn",
        "com.cn",
        "cn",
    ):
        assert bool(selectors.find_by_domain(host)) == snapshot.allows(host), host
