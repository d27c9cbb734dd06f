"""The one coverage rule: a filed domain covers itself and every name under it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian.rules import hosts

FILED = frozenset({"example.com", "example.com.cn", "xn--fsqu00a.xn--fiqs8s"})


@pytest.mark.parametrize(
    ("host", "names"),
    [
        ("a.b.example.cn", ["a.b.example.cn", "b.example.cn", "example.cn"]),
        ("example.cn", ["example.cn"]),
        ("www.example.com.cn", ["www.example.com.cn", "example.com.cn", "com.cn"]),
        ("cn", ["cn"]),  # the host itself is always asked about
    ],
)
def test_covering_names(host, names):
    assert hosts.covering_names(host) == names


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("example.com", True),
        ("a.b.c.example.com", True),
        ("shop.example.com.cn", True),
        ("www.xn--fsqu00a.xn--fiqs8s", True),
        ("notexample.com", False),
        ("example.com.evil.cn", False),
        ("com", False),
        ("com.cn", False),
    ],
)
def test_covered(host, expected):
    assert hosts.covered(host, FILED) is expected


label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?", fullmatch=True)
host_names = st.lists(label, min_size=1, max_size=6).map(".".join)


@given(host_names, st.sets(host_names, max_size=5))
def test_the_query_names_and_the_gate_decision_agree(host, filed):
    assert hosts.covered(host, filed) == any(n in filed for n in hosts.covering_names(host))


@given(st.lists(label, min_size=0, max_size=4), st.sampled_from(sorted(FILED)))
def test_every_name_under_a_filed_domain_is_covered(prefix, domain):
    host = ".".join([*prefix, domain])
    assert hosts.covered(host, FILED)
    assert domain in hosts.covering_names(host)
