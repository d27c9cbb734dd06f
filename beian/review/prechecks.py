"""Automated pre-checks shown to the reviewer beside the filing (initial review).

Each check answers a `PreCheck`: pass / warn / fail / unknown, with findings
against field paths ("websites.0.name") so the reviewer can return with them.
They reuse the rules of beian.rules; the domain resolution check asks DNS live.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beian.core import clock
from beian.core import dns as dns_adapter
from beian.core.i18n import is_english
from beian.core.i18n import t as _t
from beian.filings.labels import field_label
from beian.filings.models import Application, Domain, ExternalRecord, RecordStatus
from beian.filings.states import TERMINAL_STATES
from beian.filings.validation import validate_application
from beian.materials.requirements import missing_materials
from beian.rules.checks import run_check
from beian.rules.preapproval import preapproval_required
from beian.rules.provinces import rules_for

PASS, WARN, FAIL, UNKNOWN = "pass", "warn", "fail", "unknown"
_RANK = {PASS: 0, UNKNOWN: 1, WARN: 2, FAIL: 3}


@dataclass
class Finding:
    field: str
    text: str
    severity: str = FAIL

    @property
    def field_label(self) -> str:
        """What the reviewer reads for the field (never the path `websites.0.domains`)."""
        return field_label(self.field) if self.field else ""


@dataclass
class PreCheck:
    key: str
    label: tuple[str, str]
    findings: list[Finding] = field(default_factory=list)
    unknown: bool = False

    @property
    def status(self) -> str:
        worst = max((_RANK[f.severity] for f in self.findings), default=0)
        if self.unknown and worst < _RANK[WARN]:
            return UNKNOWN
        return next(k for k, v in _RANK.items() if v == worst)

    def add(self, field_path: str, text: str, severity: str = FAIL) -> None:
        self.findings.append(Finding(field_path, text, severity))

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label[1] if is_english() else self.label[0],
            "status": self.status,
            "findings": [f.__dict__ for f in self.findings],
        }


def _people(app: Application, websites) -> list[tuple[str, object]]:
    """(field prefix, principal) of the subject and each website, each person once."""
    found, seen = [], set()
    for prefix, principal in [("subject.principal", app.subject.principal)] + [
        (f"websites.{i}.principal", w.principal) for i, w in enumerate(websites)
    ]:
        if principal is not None and principal.pk not in seen:
            seen.add(principal.pk)
            found.append((prefix, principal))
    return found


def _from_result(check: PreCheck, field_path: str, result) -> None:
    for e in result.errors:
        check.add(field_path, e["message"], FAIL)
    for w in result.warnings:
        check.add(field_path, w["message"], WARN)


def check_certificates(app, websites, subject_type) -> PreCheck:
    """Checksums, age (from the ID number) and validity of every certificate."""
    check = PreCheck(
        "certificates",
        ("证件校验（校验位、年龄、有效期）", "Certificates (checksum, age, validity)"),
    )
    subject = app.subject
    if subject.certificate_type in ("resident_id", "uscc") and subject.certificate_number:
        kind = "id-card" if subject.certificate_type == "resident_id" else "uscc"
        result = run_check(
            kind, subject.certificate_number, province=app.province, subject_type=subject_type
        )
        _from_result(check, "subject.certificate_number", result)
    rules = rules_for(app.province)
    today = clock.today()
    for prefix, person in _people(app, websites):
        if person.certificate_type == "resident_id" and person.certificate_number:
            result = run_check(
                "id-card",
                person.certificate_number,
                province=app.province,
                subject_type=subject_type,
            )
            _from_result(check, f"{prefix}.certificate_number", result)
        valid_to = person.certificate_valid_to
        if valid_to and valid_to < today:
            check.add(
                f"{prefix}.certificate_valid_to", _t("证件已过期", "The certificate has expired")
            )
        elif (
            valid_to
            and rules.min_id_validity_months
            and (valid_to - today).days < rules.min_id_validity_months * 30
        ):
            check.add(
                f"{prefix}.certificate_valid_to",
                _t(
                    f"证件有效期不足{rules.min_id_validity_months}个月",
                    f"Less than {rules.min_id_validity_months} months of validity left",
                ),
            )
    return check


def check_phones(app, websites) -> PreCheck:
    """Mobile valid and registered in the filing province; distinct per person."""
    check = PreCheck("phones", ("手机号归属地与唯一性", "Phones: province and distinct"))
    mobiles: dict[str, str] = {}
    for prefix, person in _people(app, websites):
        if person.mobile:
            _from_result(
                check, f"{prefix}.mobile", run_check("phone", person.mobile, province=app.province)
            )
            other = mobiles.get(person.mobile_hash)
            if other:
                check.add(
                    f"{prefix}.mobile", _t(f"与{other}的手机号相同", f"Same mobile as {other}")
                )
            mobiles.setdefault(person.mobile_hash, person.name)
    return check


def check_emails(app, websites) -> PreCheck:
    check = PreCheck("emails", ("电子邮箱唯一性", "E-mails distinct per person"))
    emails: dict[str, str] = {}
    for prefix, person in _people(app, websites):
        if person.email_hash:
            other = emails.get(person.email_hash)
            if other:
                check.add(f"{prefix}.email", _t(f"与{other}的邮箱相同", f"Same e-mail as {other}"))
            emails.setdefault(person.email_hash, person.name)
    return check


def check_website_names(app, websites, subject_type) -> PreCheck:
    check = PreCheck("website_names", ("网站名称规则", "Website name rules"))
    for i, website in enumerate(websites):
        if website.name:
            result = run_check(
                "website-name", website.name, province=app.province, subject_type=subject_type
            )
            _from_result(check, f"websites.{i}.name", result)
    return check


def check_preapproval(app, websites, subject_type) -> PreCheck:
    check = PreCheck("preapproval", ("前置审批", "Pre-approval"))
    for i, website in enumerate(websites):
        needed = preapproval_required(website.service_content)
        if not needed:
            continue
        names = "、".join(c.display(is_english()) for c in needed)
        if subject_type == "individual":
            check.add(
                f"websites.{i}.service_content",
                _t(
                    f"个人不能备案需前置审批的内容：{names}",
                    f"Individuals cannot file content needing pre-approval: {names}",
                ),
            )
        elif not website.preapprovals:
            check.add(
                f"websites.{i}.service_content",
                _t(f"需要前置审批文件：{names}", f"Needs a pre-approval: {names}"),
            )
        else:
            check.add(
                f"websites.{i}.service_content",
                _t(f"请核对前置审批文件：{names}", f"Check the pre-approval documents: {names}"),
                WARN,
            )
    return check


def check_tlds(app, websites) -> PreCheck:
    check = PreCheck("tld", ("域名与顶级域", "Domains and TLD"))
    for i, website in enumerate(websites):
        for domain in _domains(website):
            _from_result(check, f"websites.{i}.domains", run_check("domain", domain.name))
    return check


def check_already_filed(app, websites) -> PreCheck:
    """The domain filed here already (by this subject or another), in another open
    order, or filed at another provider (what the administration told us)."""
    check = PreCheck("already_filed", ("域名是否已备案", "Domain already filed"))
    names = {d.name: i for i, w in enumerate(websites) for d in _domains(w)}
    if not names:
        return check
    own = [w.pk for w in websites]
    others = (
        Domain.objects.filter(name__in=names)
        .exclude(website_id__in=own)
        .exclude(status=RecordStatus.CANCELLED)
        .select_related("website__subject")
    )
    for other in others:
        same_subject = other.website.subject_id == app.subject_id
        who = _t("本主体", "this subject") if same_subject else _t("其他主体", "another subject")
        if other.status == RecordStatus.FILED:
            check.add(
                f"websites.{names[other.name]}.domains",
                _t(
                    f"{other.name} 已由{who}在本接入商备案（{other.website.icp_number}）",
                    f"{other.name} is already filed here by {who} ({other.website.icp_number})",
                ),
            )
        else:
            busy = other.website.applications.exclude(state__in=TERMINAL_STATES).exclude(pk=app.pk)
            if busy.exists():
                check.add(
                    f"websites.{names[other.name]}.domains",
                    _t(
                        f"{other.name} 正在{who}的另一个订单中备案",
                        f"{other.name} is in another open order of {who}",
                    ),
                    WARN,
                )
    for record in ExternalRecord.objects.filter(kind="domain", key_hash__in=list(names)):
        check.add(
            f"websites.{names[record.key_hash]}.domains",
            _t(
                f"{record.key_hash} 已在其他接入商备案（{record.icp_number}）",
                f"{record.key_hash} is filed at another provider ({record.icp_number})",
            ),
            WARN,
        )
    return check


def check_province_rules(app, websites, subject_type) -> PreCheck:
    """What validation finds against the province's rules (caps, contacts, materials)."""
    check = PreCheck("province_rules", ("省份规则与完整性", "Province rules and completeness"))
    rules = rules_for(app.province)
    for problem in validate_application(app):
        if problem["code"].startswith(
            ("province_", "material_", "field_required", "domains_required")
        ):
            check.add(problem["field"], problem["message"])
    flagged = {f.field for f in check.findings}
    for item in missing_materials(app):
        if f"materials.{item['kind']}" not in flagged:
            check.add(
                f"materials.{item['kind']}",
                _t(f"缺少材料：{item['label']}", f"Missing: {item['label']}"),
            )
    if rules.fingerprints_on_forms:
        check.add(
            "originals",
            _t(
                f"{rules.province.short}要求在核验单上按手印",
                f"{rules.province.short} requires fingerprints on the forms",
            ),
            WARN,
        )
    return check


def check_resolution(app, websites) -> PreCheck:
    """The domain must not resolve after submission: apex and www, asked live."""
    check = PreCheck("resolution", ("域名是否仍在解析（实时）", "Domain still resolving (live)"))
    for i, website in enumerate(websites):
        for domain in _domains(website):
            for name in (domain.name, f"www.{domain.name}"):
                answer = dns_adapter.resolve(name)
                if answer.resolves:
                    check.add(
                        f"websites.{i}.domains",
                        _t(
                            f"{name} 仍解析到 {', '.join(answer.addresses)}",
                            f"{name} still resolves to {', '.join(answer.addresses)}",
                        ),
                    )
                elif answer.resolves is None:
                    check.unknown = True
                    check.add(
                        f"websites.{i}.domains",
                        _t(f"{name}：DNS 无应答", f"{name}: no answer from DNS"),
                        UNKNOWN,
                    )
    return check


def _domains(website) -> list[Domain]:
    return [d for d in website.domains.all() if d.status != RecordStatus.CANCELLED]


# Checks added by higher apps (in their AppConfig.ready()): `check(app, websites)` ->
# PreCheck. The authority app adds the administration's lists (blacklists, decision 0021).
_EXTRA_CHECKS: list = []


def register_check(check) -> None:
    if check not in _EXTRA_CHECKS:
        _EXTRA_CHECKS.append(check)


def run_prechecks(app: Application, *, resolve: bool = True) -> list[PreCheck]:
    websites = list(app.websites.all().select_related("principal").prefetch_related("domains"))
    subject_type = "individual" if app.subject.is_individual else "organization"
    checks = [
        check_certificates(app, websites, subject_type),
        check_phones(app, websites),
        check_emails(app, websites),
        check_website_names(app, websites, subject_type),
        check_preapproval(app, websites, subject_type),
        check_tlds(app, websites),
        check_already_filed(app, websites),
        check_province_rules(app, websites, subject_type),
    ]
    checks += [check(app, websites) for check in _EXTRA_CHECKS]
    if resolve:
        checks.append(check_resolution(app, websites))
    return checks


def approval_gate(checks: list[PreCheck]) -> dict:
    """What the approve button says about the pre-checks: `blocked` lists the red
    checks (the button is disabled: return the filing instead); `doubtful` the ones
    that warn or could not tell (the button works: the reviewer checks by hand)."""
    english = is_english()

    def label(check: PreCheck) -> str:
        return check.label[1] if english else check.label[0]

    return {
        "blocked": [label(c) for c in checks if c.status == FAIL],
        "doubtful": [label(c) for c in checks if c.status in (WARN, UNKNOWN)],
    }
