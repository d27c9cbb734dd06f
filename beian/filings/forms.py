"""Forms of the applicant portal.

Each input that has a rule carries `data-check="<kind>"`; `checks.js` posts
its value to /api/v1/checks/<kind> when the field is left and shows the
message next to it. The same `run_check` runs again here when the form is
posted, so the page never depends on the script.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from beian.core.errors import Refusal, message_for
from beian.core.i18n import lazy_t as bi
from beian.core.i18n import t
from beian.filings.models import CancelReason, CertificateType, Language, SubjectNature
from beian.filings.services import check_start
from beian.rules import areas
from beian.rules.checks import run_check
from beian.rules.preapproval import categories
from beian.rules.provinces import all_provinces

PRINCIPAL_PREFIX = "p_"


def _label_choices(choices) -> list[tuple[str, object]]:
    """Bilingual choice labels "中文 / English" → the active language's side, lazily."""
    result = []
    for value, label in choices:
        zh, _, en = str(label).partition(" / ")
        result.append((value, bi(zh, en or zh)))
    return result


def province_choices():
    return [("", bi("— 请选择 —", "— choose —"))] + [
        (p.code, bi(p.name, p.name_en)) for p in all_provinces()
    ]


def city_choices(province: str):
    """The province's cities in force today (GB/T 2260)."""
    return [("", bi("— 请选择 —", "— choose —"))] + areas.cities(province)


def county_choices(province: str):
    """Every county of the province, grouped by city (an <optgroup> each): without a
    script the person picks within the chosen city's group; `areas.js` leaves only
    that group. The server checks the pair either way (`areas.place_problem`)."""
    return [("", bi("— 请选择 —", "— choose —"))] + [
        (name, areas.counties(code))
        for code, name in areas.cities(province)
        if areas.counties(code)
    ]


def check_value(kind: str, value: str, *, province=None, subject_type=None) -> str:
    """Runs the same check as the API; raises the first error as a form error."""
    result = run_check(kind, value, province=province, subject_type=subject_type)
    if not result.ok:
        raise forms.ValidationError(result.errors[0]["message"], code=result.errors[0]["code"])
    return result.normalized or value


def _checked(kind: str, **attrs):
    return forms.TextInput(attrs={"data-check": kind, **attrs})


# ---- start: filing service code, subject, domains ---------------------------------


class CodeForm(forms.Form):
    service_code = forms.CharField(
        label=bi("备案服务号", "Filing service code"),
        max_length=40,
        help_text=bi(
            "在云服务器控制台申请，每台服务器最多 5 个。",
            "Issued for your server in the cloud console; at most 5 per server.",
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class StartForm(forms.Form):
    service_code = forms.CharField(widget=forms.HiddenInput)

    def show_code_field(self) -> None:
        """The code as a field to type again (it was refused at this step)."""
        code = CodeForm.base_fields["service_code"]
        self.fields["service_code"] = forms.CharField(
            label=code.label, max_length=code.max_length, widget=code.widget
        )
        self._bound_fields_cache.pop("service_code", None)  # built by a clean before

    province = forms.ChoiceField(label=bi("备案省份（主体所在地）", "Filing province (subject's)"))
    nature = forms.ChoiceField(label=bi("主体性质", "Subject nature"))
    subject_name = forms.CharField(
        label=bi("主体名称（与证件一致）", "Subject name (as on the certificate)"), max_length=100
    )
    certificate_type = forms.ChoiceField(label=bi("证件类型", "Certificate type"))
    certificate_number = forms.CharField(
        label=bi("证件号码", "Certificate number"),
        max_length=40,
        widget=_checked("certificate", autocomplete="off"),
    )
    domains = forms.CharField(
        label=bi("网站域名（每行一个）", "Website domains (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2, "data-check": "domain"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()
        self.fields["nature"].choices = _label_choices(SubjectNature.choices)
        self.fields["certificate_type"].choices = _label_choices(CertificateType.choices)

    def clean(self):
        """The same checks as the API's start, from their one home (check_start)."""
        data = super().clean()
        domains = [d.strip() for d in (data.get("domains") or "").split() if d.strip()]
        data["domain_list"] = domains
        try:
            values = check_start(
                province=data.get("province", ""),
                nature=data.get("nature", ""),
                certificate_type=data.get("certificate_type", ""),
                certificate_number=data.get("certificate_number", ""),
                domains=domains,
                subject_name=data.get("subject_name", ""),
            )
        except Refusal as refusal:
            own = set(self.errors)  # a field's own error (required, choice) comes first
            for problem in refusal.details or []:
                if problem["field"] not in own:
                    self.add_error(problem["field"], problem["message"])
        else:
            data["certificate_number"] = values["certificate_number"]
        return data


# ---- the filling-in steps -------------------------------------------------------------


class PrincipalFields(forms.Form):
    """The person in charge, prefixed p_ inside the subject and website forms."""

    p_name = forms.CharField(label=bi("负责人姓名", "Name of the person in charge"), max_length=50)
    p_certificate_type = forms.ChoiceField(label=bi("负责人证件类型", "Their certificate type"))
    p_certificate_number = forms.CharField(
        label=bi("负责人证件号码", "Their certificate number"),
        max_length=40,
        widget=_checked("id-card", autocomplete="off"),
    )
    p_certificate_valid_from = forms.DateField(
        label=bi("证件有效期起", "Certificate valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    p_certificate_valid_to = forms.DateField(
        label=bi("证件有效期至（长期可不填）", "Valid to (empty = long-term)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    p_mobile = forms.CharField(
        label=bi("手机号码", "Mobile"),
        max_length=20,
        widget=_checked("phone", inputmode="tel", autocomplete="tel"),
    )
    p_emergency_phone = forms.CharField(
        label=bi("应急联系电话", "Emergency contact phone"), max_length=20, required=False
    )
    p_office_phone = forms.RegexField(
        label=bi("办公室电话（单位必填，如 0512-65001234）", "Office phone (organisations)"),
        regex=r"^[0-9-]{11,128}$",
        max_length=128,
        required=False,
        error_messages={
            "invalid": bi("办公室电话只含数字和“-”，至少11位。", "Digits and “-” only, 11 or more.")
        },
    )
    p_email = forms.EmailField(label=bi("电子邮箱", "E-mail"))

    def init_principal(self, province: str, required: bool = True):
        self.province = province
        self.fields["p_certificate_type"].choices = _label_choices(CertificateType.choices)
        for name in [n for n in self.fields if n.startswith(PRINCIPAL_PREFIX)]:
            if not required:
                self.fields[name].required = False
            self.fields[name].widget.attrs.setdefault("data-province", province)

    def clean_p_certificate_number(self):
        value = self.cleaned_data.get("p_certificate_number", "")
        if value and self.cleaned_data.get("p_certificate_type", "resident_id") == "resident_id":
            return check_value("id-card", value, province=self.province)
        return value

    def clean_p_mobile(self):
        value = self.cleaned_data.get("p_mobile", "")
        return check_value("phone", value, province=self.province) if value else value

    def principal_values(self) -> dict:
        return {
            name[len(PRINCIPAL_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(PRINCIPAL_PREFIX)
        }

    @staticmethod
    def initial_for_subject(subject) -> dict:
        """The subject's person in charge; for an individual not yet named, the
        individual themself (same name and certificate as the subject)."""
        if subject.principal is None and subject.is_individual:
            return {
                "p_name": subject.name,
                "p_certificate_type": subject.certificate_type,
                "p_certificate_number": subject.certificate_number,
            }
        return PrincipalFields.initial_from(subject.principal)

    @staticmethod
    def initial_from(principal) -> dict:
        if principal is None:
            return {}
        return {
            "p_name": principal.name,
            "p_certificate_type": principal.certificate_type,
            "p_certificate_number": principal.certificate_number,
            "p_certificate_valid_from": principal.certificate_valid_from,
            "p_certificate_valid_to": principal.certificate_valid_to,
            "p_mobile": principal.mobile,
            "p_emergency_phone": principal.emergency_phone,
            "p_office_phone": principal.office_phone,
            "p_email": principal.email,
        }


class SubjectForm(PrincipalFields):
    name = forms.CharField(label=bi("主体名称", "Subject name"), max_length=100)
    certificate_address = forms.CharField(
        label=bi("证件住所", "Address on the certificate"), max_length=200
    )
    city = forms.ChoiceField(label=bi("所在城市", "City"))
    county = forms.ChoiceField(
        label=bi("所在区县", "District / county"),
        required=False,
        widget=forms.Select(attrs={"data-follows": "city"}),
    )
    mailing_address = forms.CharField(
        label=bi("通信地址（详细到门牌号）", "Mailing address (down to the house number)"),
        max_length=200,
    )
    investor = forms.CharField(
        label=bi("投资人或主管单位", "Investor or supervising body"), max_length=100, required=False
    )

    field_order = ["name", "certificate_address", "city", "county", "mailing_address", "investor"]

    def __init__(self, *args, province: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_principal(province)
        self.fields["city"].choices = city_choices(province)
        self.fields["county"].choices = county_choices(province)

    def clean(self):
        data = super().clean()
        problem = areas.place_problem(
            self.province, data.get("city") or "", data.get("county") or "", complete=True
        )
        if problem and problem[0] not in self.errors:
            field, code, params = problem
            self.add_error(field, message_for(code, **params))
        return data

    def subject_values(self) -> dict:
        values = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith(PRINCIPAL_PREFIX) and v is not None
        }
        values["principal"] = self.principal_values()
        return values


class WebsiteForm(PrincipalFields):
    name = forms.CharField(
        label=bi("网站名称", "Website name"), max_length=100, widget=_checked("website-name")
    )
    domains = forms.CharField(
        label=bi("网站域名（每行一个）", "Domains (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2, "data-check": "domain"}),
    )
    home_url = forms.CharField(
        label=bi("首页网址", "Home page URL"),
        max_length=255,
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )
    service_content = forms.ChoiceField(label=bi("服务内容", "Service content"))
    languages = forms.MultipleChoiceField(
        label=bi("网站语言", "Language(s) of the website"),
        choices=_label_choices(Language.choices),
        initial=[Language.ZH_HANS],
        widget=forms.CheckboxSelectMultiple,
    )
    preapproval_type = forms.ChoiceField(
        label=bi("前置审批类型", "Pre-approval type"), required=False
    )
    preapproval_number = forms.CharField(
        label=bi("前置审批文号", "Pre-approval number"), max_length=60, required=False
    )
    same_as_subject = forms.BooleanField(
        label=bi("网站负责人与主体负责人相同", "The website's person in charge is the subject's"),
        required=False,
    )

    SERVICE_CONTENT = [
        ("blog", ("博客 / 个人空间", "Blog / personal space")),
        ("company", ("企业官网", "Company site")),
        ("ecommerce", ("网上商城", "Online shop")),
        ("other", ("其他", "Other")),
    ]

    field_order = [
        "name",
        "domains",
        "home_url",
        "service_content",
        "languages",
        "preapproval_type",
        "preapproval_number",
        "same_as_subject",
    ]

    def __init__(self, *args, province: str, subject_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_type = subject_type
        same = (
            self.data.get("same_as_subject")
            if self.is_bound
            else self.initial.get("same_as_subject")
        )
        self.init_principal(province, required=not same)
        self.fields["name"].widget.attrs.update(
            {"data-province": province, "data-subject-type": subject_type}
        )
        self.fields["service_content"].choices = [
            (code, bi(zh, en)) for code, (zh, en) in self.SERVICE_CONTENT
        ]
        self.fields["preapproval_type"].choices = [("", bi("无", "None"))] + [
            (c.code, bi(c.name, c.name_en)) for c in categories()
        ]

    def clean_name(self):
        return check_value(
            "website-name",
            self.cleaned_data["name"],
            province=self.province,
            subject_type=self.subject_type,
        )

    def clean_domains(self):
        domains = [d.strip() for d in self.cleaned_data["domains"].split() if d.strip()]
        errors = []
        for domain in domains:
            try:
                check_value("domain", domain)
            except forms.ValidationError as exc:
                errors.append(f"{domain}: {exc.messages[0]}")
        if errors:
            raise forms.ValidationError(errors)
        return domains

    def clean(self):
        data = super().clean()
        if data.get("preapproval_type") and not data.get("preapproval_number"):
            self.add_error(
                "preapproval_number",
                t("请填写前置审批文号。", "Enter the pre-approval number."),
            )
        if data.get("preapproval_type") and self.subject_type == "individual":
            self.add_error(
                "preapproval_type",
                t(
                    "个人不能办理需要前置审批的网站。",
                    "An individual cannot file a site that needs a pre-approval.",
                ),
            )
        return data

    def website_values(self) -> dict:
        data = self.cleaned_data
        values = {
            "name": data["name"],
            "domains": data["domains"],
            "home_url": data["home_url"],
            "service_content": data["service_content"],
            "languages": list(data["languages"]),
            "preapprovals": (
                [{"type": data["preapproval_type"], "number": data["preapproval_number"]}]
                if data.get("preapproval_type")
                else []
            ),
        }
        values["principal"] = (
            "same_as_subject" if data.get("same_as_subject") else self.principal_values()
        )
        return values


FILING_PASSWORD_LABEL = bi("备案密码", "Filing password")
FILING_PASSWORD_HELP = bi(
    "备案成功时管局通过邮件和短信发给主体负责人的备案密码，用于新增网站、新增接入、变更和注销。",
    "The password the administration sent to the person in charge by e-mail and SMS when "
    "the filing was approved; needed to add, change or cancel.",
)


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label=bi("备注（网站内容简介）", "Remarks (what the site is about)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=bi(
            "部分省份要求不少于 20–30 个字的说明。",
            "Some provinces want a description of at least 20–30 characters.",
        ),
    )
    filing_password = forms.CharField(
        label=FILING_PASSWORD_LABEL,
        required=False,
        max_length=64,
        help_text=FILING_PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )

    def __init__(self, *args, needs_filing_password: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_filing_password:
            del self.fields["filing_password"]


# ---- photo verification ------------------------------------------------------------------


class PointForm(forms.Form):
    verification_point = forms.ChoiceField(
        label=bi("核验点", "Verification point"), widget=forms.RadioSelect
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verification_point"].choices = [(p["name"], p["name"]) for p in points]


class BackdropForm(forms.Form):
    shipping_address = forms.CharField(
        label=bi(
            "幕布邮寄地址（收件人、电话、详细地址）", "Ship the backdrop to (name, phone, address)"
        ),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=bi("幕布前拍摄的照片", "Photo in front of the backdrop"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The size the photo check enforces, from the same settings.
        width, height = settings.BEIAN["MIN_PHOTO_WIDTH"], settings.BEIAN["MIN_PHOTO_HEIGHT"]
        self.fields["photo"].label = bi(
            f"幕布前拍摄的照片（JPG/PNG，至少 {width}×{height}）",
            f"Photo in front of the backdrop (JPG/PNG, ≥ {width}×{height})",
        )


# ---- later filings ---------------------------------------------------------------------------

LATER_TYPES = [
    ("change_subject", ("变更主体", "Change subject")),
    ("change_website", ("变更网站", "Change website")),
    ("cancel_website", ("注销网站", "Cancel website")),
    ("cancel_subject", ("注销主体", "Cancel subject")),
    ("cancel_access", ("取消接入", "Cancel access")),
]


class LaterFilingForm(forms.Form):
    filing_type = forms.ChoiceField(label=bi("办理业务", "What to do"), widget=forms.RadioSelect)
    websites = forms.MultipleChoiceField(
        label=bi("涉及的网站", "Websites concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mailing_address = forms.CharField(
        label=bi("新的通信地址（变更主体）", "New mailing address (change subject)"),
        max_length=200,
        required=False,
    )
    website_name = forms.CharField(
        label=bi("新的网站名称（变更网站）", "New website name (change website)"),
        max_length=100,
        required=False,
    )
    cancel_reason = forms.ChoiceField(
        label=bi("注销理由（注销、取消接入）", "Why cancel (cancellations)"),
        choices=[("", "—")] + _label_choices(CancelReason.choices),
        required=False,
    )
    cancel_note = forms.CharField(
        label=bi("注销理由说明（可选）", "About the reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    filing_password = forms.CharField(
        label=FILING_PASSWORD_LABEL,
        max_length=64,
        help_text=FILING_PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label=bi(
            "我已了解：注销不可撤销，取消接入后网站将无法在本接入商访问。",
            "I understand: a cancellation is irrevocable; without access the site is not served here.",
        ),
        required=False,
    )

    def __init__(self, *args, websites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing_type"].choices = [(v, bi(zh, en)) for v, (zh, en) in LATER_TYPES]
        self.fields["websites"].choices = [
            (str(w.pk), f"{w.name} {w.icp_number or ''}") for w in websites
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("filing_type", "")
        if kind.startswith("cancel") and not data.get("confirm"):
            self.add_error("confirm", t("请确认后再办理注销。", "Confirm before cancelling."))
        if kind.startswith("cancel") and not data.get("cancel_reason"):
            self.add_error("cancel_reason", message_for("cancel_reason_required"))
        if kind in ("change_website", "cancel_website", "cancel_access") and not (
            data.get("websites")
        ):
            self.add_error("websites", t("请选择网站。", "Choose the website(s)."))
        if kind == "change_subject" and not data.get("mailing_address"):
            self.add_error("mailing_address", t("请填写变更内容。", "Enter what changes."))
        if kind == "change_website" and not data.get("website_name"):
            self.add_error("website_name", t("请填写变更内容。", "Enter what changes."))
        return data
