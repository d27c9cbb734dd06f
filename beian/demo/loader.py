"""Demo data: a user for every role and applications at every stage,
including the seed's (an individual in Suzhou, waiting for initial review)."""

from __future__ import annotations

import datetime as dt

from beian.accounts.models import Role, User
from beian.authority.existing import file_in_simulator_process
from beian.core import clock
from beian.demo.seed import (
    fill_seed_filing,
    id_number,
    make_code,
    make_user,
    photo_upload,
    seed_principal,
    start_seed_filing,
)
from beian.filings import services, workflow
from beian.filings.models import Application, Domain, RecordStatus
from beian.filings.states import ApplicationState

PASSWORD = "beian-demo-2026"

USERS = [
    ("admin", Role.ADMIN, "管理员 / admin"),
    ("reviewer", Role.REVIEWER, "初审员 / reviewer"),
    ("mailroom", Role.MAILROOM, "收件员 / mailroom clerk"),
    ("photo", Role.PHOTO_VERIFIER, "拍照核验员 / photo verifier"),
    ("operator", Role.OPERATOR, "接入商操作员 / operator"),
    ("authority", Role.AUTHORITY, "管局 / administration (simulator)"),
    ("cloud", Role.HOSTING_OWNER, "云服务器用户 / hosting owner"),
    ("zhangwei", Role.APPLICANT, "备案申请人（种子故事）/ applicant (the seed's story)"),
    ("applicant2", Role.APPLICANT, "备案申请人 / applicant with filings at every stage"),
]

# Mobiles from Suzhou, Jiangsu (each person in charge needs their own).
MOBILES = [
    "15190000000",
    "15190000001",
    "15190000002",
    "15190000003",
    "15190000004",
    "15190000005",
    "15190000006",
    "15190000007",
    "15190000008",
    "15190000009",
    "15190000010",
    "15190000011",
]


def demo_exists() -> bool:
    return User.objects.filter(username="reviewer").exists()


def _filing(applicant, owner, n: int):
    code = make_code(owner, ip=f"203.0.113.{20 + n}")
    app = start_seed_filing(
        applicant, code, domain=f"demo-site-{n}.cn", certificate_number=id_number(100 + n)
    )
    subject = app.subject
    fill_seed_filing(app, applicant, website_name=f"读书笔记第{n}号")
    services.save_subject(
        app,
        actor=applicant,
        values={
            "name": subject.name,
            "principal": seed_principal(
                certificate_number=subject.certificate_number,
                mobile=MOBILES[n % len(MOBILES)],
                email=f"demo{n}@example.cn",
            ),
        },
    )
    return app


STAGES = [
    "draft",
    "submitted",
    "returned",
    "verifying",
    "ready",
    "authority_submitted",
    "sms_verification",
    "authority_review",
    "authority_returned",
    "approved",
    "rejected",
    "withdrawn",
    "expired",
]


def _advance(app, target: str, users: dict):
    applicant = app.account
    fire = workflow.fire
    if target == "draft":
        return app
    if target == "expired":
        return fire(app, "expire")  # opened 46 days ago (create_demo)
    app = fire(app, "submit", actor=applicant)
    if target == "submitted":
        return app
    if target == "withdrawn":
        return fire(app, "withdraw", actor=applicant)
    if target == "returned":
        return fire(
            app,
            "return_to_applicant",
            actor=users["reviewer"],
            data={
                "reasons": [{"field": "subject.mailing_address", "text": "通信地址须详细到门牌号"}]
            },
        )
    app = fire(app, "approve_initial_review", actor=users["reviewer"])
    app = fire(
        app,
        "request_backdrop",
        actor=applicant,
        data={"shipping_address": "江苏省苏州市姑苏区人民路100号"},
    )
    if target == "verifying":
        return app
    app = fire(
        app,
        "ship_backdrop",
        actor=users["mailroom"],
        data={"courier": "顺丰", "tracking_number": "SF100200300"},
    )
    app = fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})
    app = fire(app, "verify_photo", actor=users["photo"])
    app = fire(
        app,
        "receive_originals",
        actor=users["mailroom"],
        data={"documents": {"verification_form": 3, "security_agreement": 3}},
    )
    if target == "ready":
        return app
    app = fire(app, "submit_to_authority", actor=users["operator"])
    if target == "authority_submitted":
        return app
    app = fire(app, "authority_received", actor=users["authority"])
    if target == "sms_verification":
        return app
    if target == "authority_returned":
        return fire(
            app, "sms_failed", reason="工信部短信核验超时 / MIIT SMS verification timed out"
        )
    app = fire(app, "sms_verified", actor=users["authority"])
    if target in ("authority_review", "approved"):
        return app  # approved ones get their numbers from the administration, in create_demo
    if target == "rejected":
        return fire(
            app,
            "authority_reject",
            actor=users["authority"],
            data={"reasons": [{"field": "websites.0.name", "text": "网站名称与内容不符"}]},
        )
    raise ValueError(f"no demo stage {target}")


def create_demo(stdout=None, *, file_existing=file_in_simulator_process) -> dict:
    """The demo data. The approved filings get their numbers from the administration:
    `file_existing` files them there first (the simulator's own database by default,
    `beian.authority.existing`), so that the simulator never issues those numbers again."""
    users = {name: make_user(name, role, password=PASSWORD) for name, role, _ in USERS}
    owner = users["cloud"]
    # The seed's story: Zhang Wei in Suzhou, one website, waiting for initial review.
    seed_code = make_code(owner, ip="203.0.113.10")
    seed = start_seed_filing(users["zhangwei"], seed_code, domain="zhangwei-notes.cn")
    fill_seed_filing(seed, users["zhangwei"])
    workflow.fire(seed, "submit", actor=users["zhangwei"])
    # A spare code for trying the portal.
    spare = make_code(owner, ip="203.0.113.11")
    approving = []
    for n, stage in enumerate(STAGES, start=1):
        if stage == "expired":
            # Opened 46 days ago and expired now: nothing is stamped in the future,
            # where the gate's fingerprint (the latest access change) would hide
            # every real change until that day.
            clock.set(clock.now() - dt.timedelta(days=46))
            app = _filing(users["applicant2"], owner, n)
            clock.reset()
        else:
            app = _filing(users["applicant2"], owner, n)
        app = _advance(app, stage, users)
        if stage == "approved":
            approving.append(app)
    numbers = file_existing(approving)
    for app in approving:
        workflow.fire(app, "authority_approve", actor=users["authority"], data=numbers[app.pk])
    return {"users": users, "seed": seed, "spare_code": spare}


# A demo filing under review whose www name still resolves (the applicant forgot to stop
# it), so that the reviewer's live resolve check shows a red line.
STILL_RESOLVING_STAGE = ApplicationState.VERIFYING


def demo_zone() -> tuple[set[str], dict[str, str]]:
    """The DNS zone of the demo's domains for `beian dns-responder`: filed domains (apex and
    www) resolve to their server; the one at STILL_RESOLVING_STAGE keeps its www; every
    other demo domain does not resolve (as the filing requires while under review)."""
    zones: set[str] = set()
    records: dict[str, str] = {}
    for domain in Domain.objects.select_related("website").order_by("pk"):
        zones.add(domain.name)
        access = domain.website.accesses.select_related("server").first()
        ip = access.server.public_ip if access and access.server.public_ip else "203.0.113.1"
        if domain.status == RecordStatus.FILED:
            records[domain.name] = records[f"www.{domain.name}"] = ip
    for app in Application.objects.filter(state=STILL_RESOLVING_STAGE):
        for domain in Domain.objects.filter(website__applications=app):
            records[f"www.{domain.name}"] = "203.0.113.99"
    return zones, records
