"""The review pre-check on the administration's lists (registered in AuthorityConfig.ready()).

A subject on the subject blacklist, or a domain on the website blacklist, the illegal-access
blacklist or the unfiled-site list, is a warning for the reviewer: the administration
refuses such a filing (return codes 1064, 1065), so the reviewer checks before sending it.
A warning, not a block: a list entry can be out of date, and the administration decides.
"""

from __future__ import annotations

from beian.authority.downloads import listed_matches
from beian.authority.models import ListKind
from beian.core.i18n import t
from beian.filings.models import RecordStatus
from beian.review.prechecks import WARN, PreCheck
from beian.rules.hosts import covering_names


def check_listed(app, websites) -> PreCheck:
    check = PreCheck("authority_lists", ("管局名单（黑名单、未备案）", "Administration's lists"))
    subject = app.subject
    if listed_matches(certificate_hash=subject.certificate_hash):
        check.add(
            "subject.certificate_number",
            t(
                "主办者在管局主体黑名单中，管局将拒绝备案（代码 1065），请核实",
                "The subject is on the administration's blacklist; it refuses such a filing "
                "(code 1065): check first",
            ),
            WARN,
        )
    for i, website in enumerate(websites):
        for domain in website.domains.exclude(status=RecordStatus.CANCELLED):
            names = covering_names(domain.name) + [f"www.{domain.name}"]
            for entry in listed_matches(domains=names):
                label = ListKind(entry.kind).label.split(" / ", 1)
                check.add(
                    f"websites.{i}.domains",
                    t(
                        f"{domain.name} 在{label[0]}中，请核实后再提交（代码 1064）",
                        f"{domain.name} is on the {label[1].lower()}: check before sending "
                        "(code 1064)",
                    ),
                    WARN,
                )
    return check
