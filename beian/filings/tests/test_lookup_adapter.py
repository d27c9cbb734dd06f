"""The look-up at the administration is an adapter chosen by settings, so that filings
does not import the authority app above it (docs/decisions/0005)."""

from __future__ import annotations

from beian.filings.adapters import lookup


class Recording:
    def learn_filed(self, names, certificate_type, certificate_number, cert_hash):
        return None

    def check_filing_password(self, record_number, password):
        return False


def test_off_by_default_asks_nobody(settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": False}
    chosen = lookup.get_lookup()
    assert isinstance(chosen, lookup.NoLookup)
    assert chosen.check_filing_password("京ICP备12345678号", "x") is None


def test_on_means_the_miit_interface_of_the_authority_app(settings):
    from beian.authority.lookup import MiitLookup

    for value in (True, "miit"):
        settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": value}
        assert isinstance(lookup.get_lookup(), MiitLookup)


def test_a_dotted_path_names_another_adapter(settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": f"{__name__}.Recording"}
    assert isinstance(lookup.get_lookup(), Recording)
