"""Saving a filing refuses names, addresses, home page URLs and domains that a
person cannot have typed on purpose (issue 14, finding 8), on the page's
service and the API alike, on the field concerned."""

from __future__ import annotations

import json

import pytest

from beian.accounts.models import ApiToken
from beian.core.errors import Refusal
from beian.filings import services
from beian.filings.models import Subject
from testing import fill_seed_filing, make_code, seed_principal, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(applicant, hosting_owner):
    return fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)


def _refusal(callable_, *args, **kwargs) -> Refusal:
    with pytest.raises(Refusal) as info:
        callable_(*args, **kwargs)
    return info.value


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"name": "张伟\u202e"}, "text_bidi_control", "name"),
        ({"mailing_address": "苏州市\u200b人民路1号"}, "text_zero_width", "mailing_address"),
        ({"certificate_address": "苏州市人民路1号🏠"}, "text_emoji", "certificate_address"),
        ({"name": "张\x1b[31m伟"}, "text_control_character", "name"),
    ],
)
def test_subject_names_and_addresses(draft, applicant, values, code, field):
    before = Subject.objects.get(pk=draft.subject_id).name
    refusal = _refusal(services.save_subject, draft, actor=applicant, values=values)
    assert (refusal.code, refusal.field) == (code, field)
    assert Subject.objects.get(pk=draft.subject_id).name == before


def test_the_name_of_a_person_in_charge(draft, applicant):
    principal = seed_principal(name="张伟😀")
    refusal = _refusal(
        services.save_subject, draft, actor=applicant, values={"principal": principal}
    )
    assert (refusal.code, refusal.field) == ("text_emoji", "principal.name")


def test_a_javascript_home_url_and_a_homoglyph_domain(draft, applicant):
    website = draft.websites.first()
    refusal = _refusal(
        services.save_website,
        draft,
        actor=applicant,
        website_id=website.pk,
        values={"home_url": "javascript:alert(document.cookie)"},
    )
    assert (refusal.code, refusal.field) == ("url_scheme_not_allowed", "home_url")
    refusal = _refusal(
        services.save_website,
        draft,
        actor=applicant,
        website_id=website.pk,
        values={"domains": ["аpple.cn"]},
    )
    assert (refusal.code, refusal.field) == ("domain_mixed_script", "domains")
    website.refresh_from_db()
    assert website.home_url.startswith("http")


def test_the_api_answers_the_refusal_as_json(client, draft, applicant):
    _, key = ApiToken.issue(applicant, "test")
    website = draft.websites.first()
    response = client.put(
        f"/api/v1/filings/applications/{draft.number}/websites/{website.pk}",
        data=json.dumps({"values": {"home_url": "javascript:alert(1)"}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "url_scheme_not_allowed" and body["field"] == "home_url"
    assert "http://" in body["message"]
