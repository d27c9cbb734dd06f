"""Which materials an application needs, from its filing type and its province's rules.

Everything province-specific comes from beian.rules.provinces.rules_for (data);
whose certificates are needed follows the filing type's profile: the parties
that answer the MIIT SMS are the parties whose certificates are checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from beian.core.errors import message_for
from beian.core.i18n import is_english, t
from beian.filings.models import Application, CertificateType, Principal, SubjectNature
from beian.filings.states import FilingType, profile
from beian.materials import errors  # noqa: F401 - registers refusal codes
from beian.materials.models import Material, MaterialKind
from beian.rules.provinces import rules_for

# Certificates with information on both sides: the back is needed too.
TWO_SIDED = {CertificateType.RESIDENT_ID, CertificateType.HK_MO_PERMIT, CertificateType.TW_PERMIT}
# Kinds whose images follow the photo rules (minimum size), and kinds that must be images.
PHOTO_RULE_KINDS = {MaterialKind.CERT_FRONT, MaterialKind.CERT_BACK, MaterialKind.RESIDENCE_PERMIT}
IMAGE_ONLY_KINDS = PHOTO_RULE_KINDS
# Kinds the applicant may still upload while the originals and the photo are checked.
SIGNED_FORM_KINDS = {MaterialKind.VERIFICATION_FORM_SIGNED, MaterialKind.SECURITY_AGREEMENT_SIGNED}


@dataclass(frozen=True)
class Requirement:
    kind: str
    zh: str
    en: str
    principal_id: int | None = None
    website_id: int | None = None
    domain: str = ""

    @property
    def label(self) -> str:
        return t(self.zh, self.en)

    @property
    def key(self) -> str:
        """A stable id for the slot (used in form ids)."""
        return f"{self.kind}-{self.principal_id or 0}-{self.website_id or 0}-{self.domain}"

    def matches(self, material: Material) -> bool:
        return (
            material.kind == self.kind
            and material.principal_id == self.principal_id
            and material.website_id == self.website_id
            and material.domain == self.domain
        )


def _kind_label(kind: str) -> tuple[str, str]:
    zh, en = MaterialKind(kind).label.split(" / ", 1)
    return zh, en


def _certificate(kind: str, whose_zh: str, whose_en: str, **ref) -> Requirement:
    zh, en = _kind_label(kind)
    return Requirement(kind, f"{zh}：{whose_zh}", f"{en}: {whose_en}", **ref)


def _certificate_pair(certificate_type: str, whose_zh: str, whose_en: str, **ref):
    yield _certificate(MaterialKind.CERT_FRONT, whose_zh, whose_en, **ref)
    if certificate_type in TWO_SIDED:
        yield _certificate(MaterialKind.CERT_BACK, whose_zh, whose_en, **ref)


def _website_principals(app: Application) -> list[Principal]:
    return [
        w.principal for w in app.websites.select_related("principal").order_by("pk") if w.principal
    ]


def _is_non_local_individual(app: Application) -> bool:
    subject = app.subject
    return (
        subject.nature == SubjectNature.INDIVIDUAL
        and subject.certificate_type == CertificateType.RESIDENT_ID
        and str(subject.certificate_number)[:2] != app.province[:2]
    )


def _with_website_data(app: Application) -> bool:
    """Filings that carry websites' data (domains, pre-approvals) for the administration."""
    return profile(app.filing_type).verification or app.filing_type == FilingType.CHANGE_WEBSITE


def required_materials(app: Application) -> list[Requirement]:
    parties = profile(app.filing_type).sms
    rules = rules_for(app.province)
    subject = app.subject
    required: list[Requirement] = []

    if "subject" in parties:
        required += _certificate_pair(
            subject.certificate_type, f"主体 {subject.name}", f"subject {subject.name}"
        )
    # Persons in charge, once each; an individual's own certificate is the subject's.
    seen = {subject.certificate_hash}
    people: list[tuple[Principal, str, str]] = []
    if "subject" in parties and subject.principal:
        people.append((subject.principal, "主体负责人", "subject's person in charge"))
    if "website" in parties:
        people += [
            (p, "网站负责人", "website's person in charge") for p in _website_principals(app)
        ]
    for person, role_zh, role_en in people:
        if person.certificate_hash in seen:
            continue
        seen.add(person.certificate_hash)
        required += _certificate_pair(
            person.certificate_type,
            f"{role_zh} {person.name}",
            f"{role_en} {person.name}",
            principal_id=person.pk,
        )

    if "subject" in parties and rules.residence_permit_for_non_locals:
        if _is_non_local_individual(app):
            zh, en = _kind_label(MaterialKind.RESIDENCE_PERMIT)
            name = rules.province.name
            required.append(
                Requirement(
                    MaterialKind.RESIDENCE_PERMIT,
                    f"{zh}（{name}，证件非本省签发）",
                    f"{en} ({rules.province.name_en}; the ID was issued elsewhere)",
                )
            )
    if (
        "subject" in parties
        and rules.subject_principal == "authorisation_letter"
        and subject.nature != SubjectNature.INDIVIDUAL
    ):
        zh, en = _kind_label(MaterialKind.AUTHORISATION_LETTER)
        required.append(
            Requirement(
                MaterialKind.AUTHORISATION_LETTER,
                f"{zh}（法定代表人授权主体负责人）",
                f"{en} (legal representative authorises the person in charge)",
            )
        )

    if _with_website_data(app):
        required += _website_requirements(app, rules)

    if profile(app.filing_type).verification:
        for kind in (MaterialKind.VERIFICATION_FORM_SIGNED, MaterialKind.SECURITY_AGREEMENT_SIGNED):
            zh, en = _kind_label(kind)
            required.append(Requirement(kind, zh, en))
    return required


def _website_requirements(app: Application, rules) -> list[Requirement]:
    required: list[Requirement] = []
    websites = list(app.websites.prefetch_related("domains").order_by("pk"))
    position = 0
    for website in websites:
        site_zh = website.name or "网站"
        site_en = website.name or "website"
        for domain in sorted(website.domains.all(), key=lambda d: d.pk):
            position += 1
            # "from the Nth domain on": 1 = every domain.
            threshold = rules.domain_certificate_from_domains
            if threshold is not None and position >= threshold:
                zh, en = _kind_label(MaterialKind.DOMAIN_CERTIFICATE)
                shown = domain.unicode_name or domain.name
                required.append(
                    Requirement(
                        MaterialKind.DOMAIN_CERTIFICATE,
                        f"{zh}：{shown}",
                        f"{en}: {shown}",
                        website_id=website.pk,
                        domain=domain.name,
                    )
                )
        for item in website.preapprovals or []:
            if str(item.get("type", "")).strip() not in ("", "none"):
                zh, en = _kind_label(MaterialKind.PREAPPROVAL)
                required.append(
                    Requirement(
                        MaterialKind.PREAPPROVAL,
                        f"{zh}：{site_zh}（{item.get('type')}）",
                        f"{en}: {site_en} ({item.get('type')})",
                        website_id=website.pk,
                    )
                )
                break
        if rules.party_building_letter and profile(app.filing_type).verification:
            zh, en = _kind_label(MaterialKind.PARTY_BUILDING_LETTER)
            required.append(
                Requirement(
                    MaterialKind.PARTY_BUILDING_LETTER,
                    f"{zh}：{site_zh}",
                    f"{en}: {site_en}",
                    website_id=website.pk,
                )
            )
    return required


def active_materials(app: Application) -> list[Material]:
    return list(app.materials.filter(active=True).order_by("kind", "pk"))


def missing_materials(app: Application, *, include_signed_forms: bool = True) -> list[dict]:
    """[{kind, label, principal_id, website_id, domain}] of required materials not yet uploaded.

    For the submit guard; pass include_signed_forms=False if the signed forms may
    follow during verification."""
    uploaded = active_materials(app)
    missing = []
    for requirement in required_materials(app):
        if not include_signed_forms and requirement.kind in SIGNED_FORM_KINDS:
            continue
        if not any(requirement.matches(m) for m in uploaded):
            missing.append(
                {
                    "kind": requirement.kind,
                    "label": requirement.label,
                    "principal_id": requirement.principal_id,
                    "website_id": requirement.website_id,
                    "domain": requirement.domain,
                }
            )
    return missing


def kind_label(kind: str) -> str:
    """A material kind's label in the active language ("" for an unknown kind); the
    label of the field path "materials.<kind>" (registered with filings.labels)."""
    if kind not in MaterialKind.values:
        return ""
    zh, en = _kind_label(kind)
    return en if is_english() else zh


def upload_url(app: Application, requirement: Requirement | None = None) -> str:
    """The uploads page, at the slot of `requirement` when given."""
    url = f"/materials/{app.number}/"
    return f"{url}#slot-{requirement.key}" if requirement else url


def material_problems(app: Application) -> list[dict]:
    """The missing uploads as problems of the application's validation (registered
    with beian.filings.validation in MaterialsConfig.ready()): each names the slot by
    its label and links to its upload form."""
    uploaded = active_materials(app)
    return [
        {
            "field": f"materials.{requirement.kind}",
            "code": "material_missing",
            "message": message_for("material_missing", material=requirement.label),
            "label": requirement.label,
            "url": upload_url(app, requirement),
        }
        for requirement in required_materials(app)
        if not any(requirement.matches(m) for m in uploaded)
    ]
