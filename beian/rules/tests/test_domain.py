import pytest

from beian.rules.checks import check_domain
from beian.rules.checks.domain import approved_tlds


def test_plain_domain():
    result = check_domain("example.com")
    assert result.ok and not result.warnings
    assert result.normalized == "example.com"
    assert result.facts == {
        "tld": "com",
        "registrable_domain": "example.com",
        "punycode": "example.com",
        "public_suffix": "com",
    }


def test_case_and_trailing_dot_and_subdomain():
    result = check_domain(" WWW.Example.COM.cn. ")
    assert result.ok
    assert result.normalized == "example.com.cn"
    assert result.warning_codes == ["domain_subdomain_normalized"]


@pytest.mark.parametrize("value", ["例子.中国", "xn--fsqu00a.xn--fiqs8s", "WWW.例子.中国"])
def test_idn_is_normalized_to_punycode(value):
    result = check_domain(value)
    assert result.ok
    assert result.normalized == "xn--fsqu00a.xn--fiqs8s"
    assert result.facts["registrable_domain"] == "例子.中国"
    assert result.facts["tld"] == "中国"


def test_url_is_reduced_to_its_domain():
    result = check_domain("https://www.example.cn:8443/path?q=1")
    assert result.normalized == "example.cn"
    assert result.warning_codes == ["domain_url_stripped", "domain_subdomain_normalized"]


@pytest.mark.parametrize("value", ["1.2.3.4", "::1", "[2001:db8::1]"])
def test_ip_literals_are_refused(value):
    assert check_domain(value).error_codes == ["domain_ip_literal"]


@pytest.mark.parametrize("value", ["foo.io", "foo.me", "foo.co", "foo.ai"])
def test_unapproved_tlds(value):
    assert check_domain(value).error_codes == ["domain_tld_not_approved"]


def test_unknown_tld():
    assert check_domain("example.notatld").error_codes == ["domain_tld_unknown"]


@pytest.mark.parametrize("value", ["com.cn", "cn", "中国", "gov.cn"])
def test_bare_public_suffix(value):
    assert check_domain(value).error_codes == ["domain_is_public_suffix"]


@pytest.mark.parametrize("value", ["a_b.com", "-a.com", "a..com", "xn--zz.com", "", "localhost"])
def test_invalid_labels(value):
    assert check_domain(value).error_codes == ["domain_invalid"]


def test_approved_list_contains_chinese_tlds_in_punycode():
    assert {"cn", "com", "xn--fiqs8s", "xn--55qx5d", "xn--io0a7i", "top"} <= approved_tlds()
    assert not {"io", "me", "co"} & approved_tlds()
