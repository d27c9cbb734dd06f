"""Message templates (Chinese and English) and their rendering.

Each template has a subject, a text body (e-mail text part and in-portal
message) and a short SMS text, in Django template syntax, so a missing context
key renders as nothing; the `{% if %}` blocks keep the sentence readable when a
key is missing. The e-mail HTML part is the text body, escaped, inside
`notify/email.html`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from beian.core import timefmt

ZH, EN = "zh-hans", "en"

_ORDER_ZH = "{% if order_number %}（订单号 {{ order_number }}）{% endif %}"
_ORDER_EN = "{% if order_number %} (order {{ order_number }}){% endif %}"
_REASONS_ZH = (
    "{% for r in reasons %}\n- {% if r.field_label %}{{ r.field_label }}：{% endif %}"
    "{% if r.text %}{{ r.text }}{% else %}{{ r }}{% endif %}{% endfor %}"
)
_REASONS_EN = (
    "{% for r in reasons %}\n- {% if r.field_label %}{{ r.field_label }}: {% endif %}"
    "{% if r.text %}{{ r.text }}{% else %}{{ r }}{% endif %}{% endfor %}"
)
_NUMBERS = "{% for n in website_numbers %}\n- {{ n }}{% endfor %}"
# Where the originals go (settings.BEIAN ORIGINALS_*, given to every message by originals_to()).
_ORIGINALS_TO_ZH = (
    "\n\n原件邮寄地址：\n收件人：{{ originals_recipient }}\n地址：{{ originals_address }}"
    "\n电话：{{ originals_phone }}\n请在信封上注明订单号{% if order_number %} {{ order_number }}{% endif %}。"
)
_ORIGINALS_TO_EN = (
    "\n\nMail the originals to:\nRecipient: {{ originals_recipient }}"
    "\nAddress: {{ originals_address }}\nPhone: {{ originals_phone }}"
    "\nWrite the order number on the envelope{% if order_number %} ({{ order_number }}){% endif %}."
)
_SMS_ORDER_ZH = "{% if order_number %}订单{{ order_number }}{% endif %}"

# name -> language -> (subject, text body, SMS text)
TEMPLATES: dict[str, dict[str, tuple[str, str, str]]] = {
    "application_received": {
        ZH: (
            "备案申请已提交" + _ORDER_ZH,
            "您好：\n\n您的备案申请" + _ORDER_ZH + "已提交"
            "{% if filing_type_label %}，备案类型：{{ filing_type_label }}{% endif %}。"
            "我们将在 {{ initial_review_days }} 个工作日内完成初审，请留意后续通知。",
            _SMS_ORDER_ZH + "备案申请已提交，我们将在{{ initial_review_days }}个工作日内完成初审。",
        ),
        EN: (
            "Filing application received" + _ORDER_EN,
            "Hello,\n\nYour filing application" + _ORDER_EN + " has been received"
            "{% if filing_type_label %} (type: {{ filing_type_label }}){% endif %}. "
            "We will complete the initial review within {{ initial_review_days }} working day{{ initial_review_days|pluralize }}.",
            "Filing received"
            + _ORDER_EN
            + "; initial review within {{ initial_review_days }} working day{{ initial_review_days|pluralize }}.",
        ),
    },
    "application_returned": {
        ZH: (
            "备案申请被退回，请修改" + _ORDER_ZH,
            "您好：\n\n您的备案申请"
            + _ORDER_ZH
            + "未通过审核，已退回。原因如下："
            + _REASONS_ZH
            + "\n\n请登录系统修改后重新提交。",
            _SMS_ORDER_ZH + "备案申请已退回，请登录系统查看原因并修改后重新提交。",
        ),
        EN: (
            "Filing application returned for changes" + _ORDER_EN,
            "Hello,\n\nYour filing application"
            + _ORDER_EN
            + " was returned. Reasons:"
            + _REASONS_EN
            + "\n\nPlease log in, correct it and submit it again.",
            "Filing returned" + _ORDER_EN + "; log in to see why and resubmit.",
        ),
    },
    "initial_review_passed": {
        ZH: (
            "备案初审已通过" + _ORDER_ZH,
            "您好：\n\n您的备案申请" + _ORDER_ZH + "已通过初审。"
            "请邮寄签字的核验单和信息安全管理协议原件，并完成拍照核验。" + _ORIGINALS_TO_ZH,
            _SMS_ORDER_ZH + "初审已通过，请邮寄原件并完成拍照核验。",
        ),
        EN: (
            "Initial review passed" + _ORDER_EN,
            "Hello,\n\nYour filing application" + _ORDER_EN + " passed the initial review. "
            "Please mail the signed verification form and security agreement, "
            "and complete the photo verification." + _ORIGINALS_TO_EN,
            "Initial review passed" + _ORDER_EN + "; mail the originals and do the photo check.",
        ),
    },
    "backdrop_shipped": {
        ZH: (
            "幕布已寄出" + _ORDER_ZH,
            "您好：\n\n您申请的拍照幕布" + _ORDER_ZH + "已寄出"
            "{% if courier %}，快递公司：{{ courier }}{% endif %}"
            "{% if tracking_number %}，运单号：{{ tracking_number }}{% endif %}。"
            "收到后请在幕布前拍照并上传。",
            "幕布已寄出{% if courier %}，{{ courier }}{% endif %}"
            "{% if tracking_number %}运单号{{ tracking_number }}{% endif %}。",
        ),
        EN: (
            "Backdrop shipped" + _ORDER_EN,
            "Hello,\n\nYour photo backdrop" + _ORDER_EN + " has been shipped"
            "{% if courier %} by {{ courier }}{% endif %}"
            "{% if tracking_number %}, tracking number {{ tracking_number }}{% endif %}. "
            "When it arrives, take your photo in front of it and upload it.",
            "Backdrop shipped{% if courier %} by {{ courier }}{% endif %}"
            "{% if tracking_number %}, tracking {{ tracking_number }}{% endif %}.",
        ),
    },
    "originals_received": {
        ZH: (
            "已收到您邮寄的原件" + _ORDER_ZH,
            "您好：\n\n我们已收到您邮寄的备案材料原件" + _ORDER_ZH + "，核对无误。",
            _SMS_ORDER_ZH + "原件已收到，核对无误。",
        ),
        EN: (
            "Originals received" + _ORDER_EN,
            "Hello,\n\nWe have received your signed originals" + _ORDER_EN + "; they are in order.",
            "Originals received" + _ORDER_EN + " and in order.",
        ),
    },
    "originals_discrepancy": {
        ZH: (
            "原件核对有误" + _ORDER_ZH,
            "您好：\n\n我们已收到您邮寄的原件" + _ORDER_ZH + "，但核对发现问题"
            "{% if discrepancy %}：{{ discrepancy }}{% endif %}。请按要求重新邮寄。",
            _SMS_ORDER_ZH + "原件核对有误，请登录系统查看并重新邮寄。",
        ),
        EN: (
            "Problem with your originals" + _ORDER_EN,
            "Hello,\n\nWe received your originals" + _ORDER_EN + ", but found a problem"
            "{% if discrepancy %}: {{ discrepancy }}{% endif %}. Please mail them again.",
            "Problem with the originals" + _ORDER_EN + "; log in for details.",
        ),
    },
    "photo_verified": {
        ZH: (
            "拍照核验已通过" + _ORDER_ZH,
            "您好：\n\n您的拍照核验" + _ORDER_ZH + "已通过。",
            _SMS_ORDER_ZH + "拍照核验已通过。",
        ),
        EN: (
            "Photo verified" + _ORDER_EN,
            "Hello,\n\nYour verification photo" + _ORDER_EN + " has been accepted.",
            "Photo verified" + _ORDER_EN + ".",
        ),
    },
    "photo_rejected": {
        ZH: (
            "拍照核验未通过" + _ORDER_ZH,
            "您好：\n\n您的拍照核验"
            + _ORDER_ZH
            + "未通过{% if reasons %}，原因：{% endif %}"
            + _REASONS_ZH
            + "\n\n请重新拍照上传。",
            _SMS_ORDER_ZH + "拍照核验未通过，请登录系统查看原因并重新上传。",
        ),
        EN: (
            "Photo rejected" + _ORDER_EN,
            "Hello,\n\nYour verification photo" + _ORDER_EN + " was not accepted"
            "{% if reasons %}. Reasons:{% else %}.{% endif %}"
            + _REASONS_EN
            + "\n\nPlease take and upload a new photo.",
            "Photo rejected" + _ORDER_EN + "; log in to see why and upload a new one.",
        ),
    },
    "submitted_to_authority": {
        ZH: (
            "备案已提交管局审核" + _ORDER_ZH,
            "您好：\n\n您的备案申请" + _ORDER_ZH + "已提交至省通信管理局审核。"
            "稍后您将收到工信部（12381）发送的短信核验码，请在 {{ sms_code_hours }} 小时内完成核验。"
            "管局审核最长 {{ authority_review_days }} 个工作日，期间可能致电核实，请保持电话畅通。",
            _SMS_ORDER_ZH + "已提交管局，请留意12381短信并在{{ sms_code_hours }}小时内完成核验。",
        ),
        EN: (
            "Submitted to the administration" + _ORDER_EN,
            "Hello,\n\nYour filing" + _ORDER_EN + " has been submitted to the provincial "
            "communications administration. MIIT (12381) will text you a verification code; "
            "enter it within {{ sms_code_hours }} hours. The review takes up to {{ authority_review_days }} working days and they may "
            "call you.",
            "Submitted to the administration"
            + _ORDER_EN
            + "; answer the 12381 SMS code within {{ sms_code_hours }} hours.",
        ),
    },
    "sms_code": {
        ZH: (
            "工信部备案短信核验码",
            "您的备案短信核验码为 {{ code }}"
            "{% if order_number %}（订单号 {{ order_number }}）{% endif %}"
            "{% if expires_at %}，请于 {{ expires_at }} 前{% else %}，请在 {{ sms_code_hours }} 小时内{% endif %}"
            "登录工信部备案系统完成核验。",
            "【工信部】您的备案短信核验码为{{ code }}"
            "{% if expires_at %}，{{ expires_at }}前有效{% else %}，{{ sms_code_hours }}小时内有效{% endif %}。",
        ),
        EN: (
            "MIIT filing verification code",
            "Your filing verification code is {{ code }}"
            "{% if order_number %} (order {{ order_number }}){% endif %}. "
            "Enter it on the MIIT filing site "
            "{% if expires_at %}before {{ expires_at }}{% else %}within {{ sms_code_hours }} hours{% endif %}.",
            "[MIIT] Your filing verification code is {{ code }}, valid "
            "{% if expires_at %}until {{ expires_at }}{% else %}for {{ sms_code_hours }} hours{% endif %}.",
        ),
    },
    # Secret: the password itself is only in the e-mail and SMS, and forgotten once
    # they are sent (SECRETS below); the inbox gets "filing_password_sent".
    "filing_password": {
        ZH: (
            "您的备案密码",
            "您好：\n\n主体{% if subject_number %} {{ subject_number }} {% endif %}的备案密码为：{{ password }}\n"
            "{% if reason == 'reset' %}这是重置后的新密码，原密码已失效。{% endif %}"
            "新增网站、新增接入、变更和注销备案时需要填写，请妥善保管，切勿告诉他人。",
            "【工信部】您的备案密码为{{ password }}"
            "{% if subject_number %}（{{ subject_number }}）{% endif %}，请妥善保管，切勿告诉他人。",
        ),
        EN: (
            "Your filing password",
            "Hello,\n\nThe filing password of the subject{% if subject_number %} {{ subject_number }}{% endif %} "
            "is: {{ password }}\n"
            "{% if reason == 'reset' %}This new password replaces the old one. {% endif %}"
            "You need it to add a website or access, and to change or cancel a filing. "
            "Keep it safe and never tell it to anyone.",
            "[MIIT] Your filing password is {{ password }}"
            "{% if subject_number %} ({{ subject_number }}){% endif %}. Keep it safe.",
        ),
    },
    "filing_password_sent": {
        ZH: (
            "备案密码已发送",
            "您好：\n\n管局已将主体{% if subject_number %} {{ subject_number }} {% endif %}的"
            "{% if reason == 'reset' %}新{% endif %}备案密码发送至"
            "{% if phone %}负责人手机 {{ phone }}{% endif %}{% if phone and email %}和{% endif %}"
            "{% if email %}邮箱 {{ email }}{% endif %}。为安全起见，本站不保存也不显示该密码。",
            "备案密码已发送至负责人手机和邮箱。",
        ),
        EN: (
            "Filing password sent",
            "Hello,\n\nThe administration sent the {% if reason == 'reset' %}new {% endif %}"
            "filing password of the subject{% if subject_number %} {{ subject_number }}{% endif %} to "
            "{% if phone %}the phone {{ phone }}{% endif %}{% if phone and email %} and {% endif %}"
            "{% if email %}the e-mail {{ email }}{% endif %}. "
            "For your safety this site neither keeps nor shows it.",
            "The filing password was sent to the phone and e-mail of the person in charge.",
        ),
    },
    "application_approved": {
        ZH: (
            "备案已通过" + _ORDER_ZH,
            "您好：\n\n恭喜，您的备案" + _ORDER_ZH + "已通过管局审核。"
            "{% if subject_number %}\n主体备案号：{{ subject_number }}{% endif %}"
            "{% if website_numbers %}\n网站备案号：" + _NUMBERS + "{% endif %}"
            "\n\n请在网站首页底部展示备案号并链接至 https://beian.miit.gov.cn ，"
            "并在网站开通后 30 日内办理公安联网备案。",
            "备案已通过{% if subject_number %}，主体备案号{{ subject_number }}{% endif %}"
            "{% if website_numbers %}，网站备案号{{ website_numbers|join:'、' }}{% endif %}。",
        ),
        EN: (
            "Filing approved" + _ORDER_EN,
            "Hello,\n\nYour filing" + _ORDER_EN + " has been approved."
            "{% if subject_number %}\nSubject ICP number: {{ subject_number }}{% endif %}"
            "{% if website_numbers %}\nWebsite ICP numbers:" + _NUMBERS + "{% endif %}"
            "\n\nShow the number at the bottom of your home page, linked to "
            "https://beian.miit.gov.cn, and complete the public-security filing within 30 days "
            "of opening the site.",
            "Filing approved{% if subject_number %}: {{ subject_number }}{% endif %}"
            "{% if website_numbers %}; sites {{ website_numbers|join:', ' }}{% endif %}.",
        ),
    },
    "application_rejected": {
        ZH: (
            "备案未通过管局审核" + _ORDER_ZH,
            "您好：\n\n很遗憾，您的备案" + _ORDER_ZH + "未通过管局审核"
            "{% if reasons %}，原因：{% else %}。{% endif %}" + _REASONS_ZH,
            _SMS_ORDER_ZH + "备案未通过管局审核，请登录系统查看原因。",
        ),
        EN: (
            "Filing rejected" + _ORDER_EN,
            "Hello,\n\nYour filing" + _ORDER_EN + " was rejected by the administration"
            "{% if reasons %}. Reasons:{% else %}.{% endif %}" + _REASONS_EN,
            "Filing rejected" + _ORDER_EN + "; log in to see why.",
        ),
    },
    "order_expiring": {
        ZH: (
            "备案订单即将过期" + _ORDER_ZH,
            "您好：\n\n您的备案订单" + _ORDER_ZH + "即将过期"
            "{% if expires_at %}（{{ expires_at }}）{% endif %}，过期后需重新提交。"
            "请尽快完成待办事项。",
            "备案订单{% if order_number %}{{ order_number }}{% endif %}即将过期"
            "{% if expires_at %}（{{ expires_at }}）{% endif %}，"
            "请尽快完成备案。",
        ),
        EN: (
            "Your filing order is about to expire" + _ORDER_EN,
            "Hello,\n\nYour filing order" + _ORDER_EN + " expires soon"
            "{% if expires_at %} ({{ expires_at }}){% endif %}; after that you must start again. "
            "Please complete the outstanding steps.",
            "Filing order"
            + _ORDER_EN
            + " expires soon{% if expires_at %} ({{ expires_at }}){% endif %}.",
        ),
    },
    "public_security_reminder": {
        ZH: (
            "请办理公安联网备案" + _ORDER_ZH,
            "您好：\n\n您的网站" + _ORDER_ZH + "已取得备案号"
            "{% if website_numbers %}：" + _NUMBERS + "\n{% else %}，{% endif %}"
            "请在网站开通后 30 日内登录 https://beian.mps.gov.cn 办理公安联网备案。",
            "提醒：请在网站开通后30日内办理公安联网备案（beian.mps.gov.cn）。",
        ),
        EN: (
            "Reminder: public-security filing" + _ORDER_EN,
            "Hello,\n\nYour website" + _ORDER_EN + " has its ICP number"
            "{% if website_numbers %}:" + _NUMBERS + "\n{% else %}. {% endif %}"
            "Please complete the public-security filing at https://beian.mps.gov.cn "
            "within 30 days of opening the site.",
            "Reminder: complete the public-security filing (beian.mps.gov.cn) within 30 days.",
        ),
    },
    "staff_digest": {
        ZH: (
            "今日待办：到期与超期事项",
            "您好：\n\n您负责范围内今日到期和已超期的事项："
            "{% for row in rows %}\n- {{ row.stage }}：今日到期 {{ row.due_today|default:0 }}，"
            "已超期 {{ row.overdue|default:0 }}{% empty %}\n无。{% endfor %}",
            "今日待办：{% for row in rows %}{{ row.stage }}到期{{ row.due_today|default:0 }}"
            "超期{{ row.overdue|default:0 }}{% if not forloop.last %}；{% endif %}{% endfor %}",
        ),
        EN: (
            "Today's work: items due and overdue",
            "Hello,\n\nItems in your scope due today and overdue:"
            "{% for row in rows %}\n- {{ row.stage }}: due today {{ row.due_today|default:0 }}, "
            "overdue {{ row.overdue|default:0 }}{% empty %}\nNone.{% endfor %}",
            "Due today: {% for row in rows %}{{ row.stage }} {{ row.due_today|default:0 }} due, "
            "{{ row.overdue|default:0 }} overdue{% if not forloop.last %}; {% endif %}{% endfor %}",
        ),
    },
}

# Secret context keys, per template (decision 0017-secret-messages):
# their values are rendered only into the copy handed to the transport (the
# SMTP server, the SMS gateway); every stored copy (context, subject, body,
# html) shows REDACTED in their place. Templates add theirs with `add(...,
# secrets=...)`.
SECRETS: dict[str, tuple[str, ...]] = {"sms_code": ("code",), "filing_password": ("password",)}
REDACTED = "******"


def add(name: str, texts: dict[str, tuple[str, str, str]], *, secrets: tuple[str, ...] = ()):
    """Add an app's template to the catalogue; `secrets` names its context keys
    that must never be readable after sending (links with tokens, codes, passwords)."""
    TEMPLATES.setdefault(name, texts)
    if secrets:
        SECRETS[name] = tuple(secrets)


def secret_keys(template: str) -> tuple[str, ...]:
    return SECRETS.get(template, ())


def split_secrets(template: str, context: dict | None) -> tuple[dict, dict]:
    """(the context to store, with REDACTED for each secret key present; the secrets)."""
    stored = dict(context or {})
    secrets = {}
    for key in secret_keys(template):
        if stored.get(key) not in (None, ""):
            secrets[key] = str(stored[key])
            stored[key] = REDACTED
    return stored, secrets


# Context keys that hold lists; a single value is wrapped so templates can loop.
_LIST_KEYS = ("reasons", "website_numbers", "rows")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def normalise_language(language: str | None) -> str:
    language = (language or settings.LANGUAGE_CODE or ZH).lower()
    return EN if language.startswith("en") else ZH


def _display(value):
    """Datetimes (objects or ISO strings) as China local time to the minute;
    lists and dicts recursively."""
    if isinstance(value, str) and len(value) >= 16 and value[10:11] in ("T", " "):
        try:
            value = parse_datetime(value) or value
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        return timefmt.datetime_text(value)
    if isinstance(value, dt.date):
        return timefmt.date_text(value)
    if isinstance(value, dict):
        return {k: _display(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_display(v) for v in value]
    return value


def durations() -> dict:
    """The durations messages tell, from the same settings as the deadlines
    (a message never writes "24 小时" itself); a context key of the same name wins."""
    knobs = settings.BEIAN
    return {
        "initial_review_days": knobs["INITIAL_REVIEW_WORKING_DAYS"],
        "sms_code_hours": knobs["SMS_CODE_HOURS"],
        "authority_review_days": knobs["AUTHORITY_REVIEW_WORKING_DAYS"],
    }


def originals_to() -> dict:
    """Where applicants mail their signed originals, from settings (one home for the
    materials page, the verification form and the messages)."""
    knobs = settings.BEIAN
    return {
        "originals_recipient": knobs["ORIGINALS_RECIPIENT"],
        "originals_address": knobs["ORIGINALS_ADDRESS"],
        "originals_phone": knobs["ORIGINALS_PHONE"],
    }


def display_context(context: dict) -> dict:
    shown = {
        **durations(),
        **originals_to(),
        **{k: _display(v) for k, v in (context or {}).items()},
    }
    for key in _LIST_KEYS:
        value = shown.get(key)
        if value not in (None, "") and not isinstance(value, list):
            shown[key] = [value]
    return shown


def _render(source: str, context: dict, *, autoescape: bool) -> str:
    template = Engine.get_default().from_string(source)
    return template.render(Context(context, autoescape=autoescape)).strip()


def render(template: str, context: dict, language: str | None) -> Rendered:
    if template not in TEMPLATES:
        raise KeyError(f"unknown message template {template!r}")
    language = normalise_language(language)
    subject_src, text_src, sms_src = TEMPLATES[template][language]
    shown = display_context(context)
    with translation.override(language):
        subject = " ".join(_render(subject_src, shown, autoescape=False).split())
        text = _render(text_src, shown, autoescape=False)
        # The text was escaped while rendering, so wrapping it in <p> is safe.
        body_html = mark_safe(  # noqa: S308
            linebreaks(_render(text_src, shown, autoescape=True), autoescape=False)
        )
        html = render_to_string(
            "notify/email.html",
            {"subject": subject, "body_html": body_html, "language": language},
        )
        signature = getattr(settings, "BEIAN", {}).get(
            "SMS_SIGNATURE", "【ICP备案】" if language == ZH else "[ICP Filing] "
        )
        sms = _render(sms_src, shown, autoescape=False)
        if not sms.startswith(("【", "[")):
            sms = signature + sms
    return Rendered(subject=subject, text=text, html=html, sms=sms)
