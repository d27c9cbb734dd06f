"""The back office's "miit" submission adapter is the authority app's, named by its path
(the authority app sits above review: docs/decisions/0005)."""

from __future__ import annotations

from beian.authority.adapter import MiitAdapter
from beian.review.adapters.submission import LocalAdapter, get_adapter


def test_miit_loads_the_authority_adapter(settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_ADAPTER": "miit"}
    assert isinstance(get_adapter(), MiitAdapter)


def test_local_stays_the_default(settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_ADAPTER": ""}
    assert isinstance(get_adapter(), LocalAdapter)
