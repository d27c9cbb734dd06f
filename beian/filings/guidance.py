"""What the applicant is told: guidance, not views (domain.md §1–4).

The applicant portal's views (views.py) render these; each function answers
one question for the applicant in their language: do I need a filing, what
does my province ask of me, what must I do now, what happened so far, what
goes at the foot of my home page, where may I take my photo. Durations come
from `settings.BEIAN` (the same knobs as the deadlines), never written in text.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings

from beian.accounts.models import Role
from beian.core.clock import CHINA
from beian.core.i18n import is_english, one_side, t
from beian.core.models import AuditEvent
from beian.filings import services
from beian.filings.states import ApplicationState as S
from beian.filings.states import PhotoState as P
from beian.filings.states import profile
from beian.filings.transitions import TABLE
from beian.rules.provinces import rules_for

POINTS_FILE = Path(__file__).parent / "static" / "filings" / "data" / "verification_points.json"


def _setting(name: str) -> int:
    return settings.BEIAN[name]


def china_time(moment):
    return moment.astimezone(CHINA) if moment else None


# ---- before filing -------------------------------------------------------------------------


def need_filing_answer(asked: dict) -> tuple[str, str] | None:
    """Do I need a filing? ("yes"|"no", why) from domain.md §1: by domain, over
    HTTP(S), from a mainland host; None until reach, protocol and location are given."""
    answer = None
    if all(asked[k] for k in ("reach", "protocol", "location")):
        if asked["location"] == "abroad":
            answer = (
                "no",
                t(
                    "服务器在中国内地以外，无需备案。",
                    "The server is outside mainland China: no filing is needed.",
                ),
            )
        elif asked["reach"] == "ip":
            answer = (
                "no",
                t(
                    "网站只通过 IP 地址访问，无需备案。",
                    "Reached only by IP address: no filing is needed.",
                ),
            )
        elif asked["protocol"] == "other":
            answer = (
                "no",
                t(
                    "FTP、SSH 等非 HTTP(S) 服务无需备案。",
                    "FTP, SSH and other non-HTTP(S) services need no filing.",
                ),
            )
        elif asked["commercial"] == "yes":
            answer = (
                "yes",
                t(
                    "需要备案；经营性网站还须先取得 ICP 经营许可证。",
                    "A filing is needed; a commercial site also needs an ICP licence first.",
                ),
            )
        else:
            answer = (
                "yes",
                t(
                    "需要备案：通过域名、以 HTTP(S) 从中国内地服务器提供服务的网站必须备案。",
                    "A filing is needed: a site reached by domain over HTTP(S) from a mainland server must be filed.",
                ),
            )
    return answer


# ---- while filling in ----------------------------------------------------------------------


@cache
def _all_points() -> list[dict]:
    return json.loads(POINTS_FILE.read_text(encoding="utf-8"))["points"]


def verification_points(province: str) -> list[dict]:
    """The points of the filing province first, then the others."""
    points = _all_points()
    return [p for p in points if p["province"] == province] + [
        p for p in points if p["province"] != province
    ]


def subject_type(app) -> str:
    return "individual" if app.subject.is_individual else "organization"


def province_notes(province: str, subject_type: str) -> list[str]:
    """The province's rules that apply while filling in, as sentences."""
    rules = rules_for(province)
    name = rules.province.name_en if is_english() else rules.province.short
    notes = []
    if rules.phone_must_be_local:
        notes.append(
            t(
                f"{name}：负责人手机号码须为本省号码。",
                f"{name}: the mobile must be registered in {name}.",
            )
        )
    if rules.fingerprints_on_forms:
        notes.append(
            t(f"{name}：核验单上须按手印。", f"{name}: fingerprints are required on the forms.")
        )
    if rules.local_id_only and subject_type == "individual":
        notes.append(
            t(f"{name}：仅接受本省身份证。", f"{name}: only IDs issued in {name} are accepted.")
        )
    if rules.residence_permit_for_non_locals and subject_type == "individual":
        notes.append(
            t(
                f"{name}：外省身份证须提供本省居住证。",
                f"{name}: an ID from another province needs a residence permit here.",
            )
        )
    if rules.needs_emergency_contact(subject_type):
        notes.append(
            t(f"{name}：须填写应急联系电话。", f"{name}: an emergency contact is required.")
        )
    if rules.domain_certificate_from_domains == 1:
        notes.append(
            t(
                f"{name}：每个域名都须上传域名证书。",
                f"{name}: a domain certificate is needed for every domain.",
            )
        )
    if rules.min_age and rules.min_age != 18:
        notes.append(
            t(
                f"{name}：负责人须年满 {rules.min_age} 周岁。",
                f"{name}: persons in charge must be {rules.min_age} or older.",
            )
        )
    notes.append(
        t(
            f"{name}：核验单 {rules.verification_form_copies} 份、信息安全管理协议 "
            f"{rules.security_agreement_copies} 份原件需邮寄。",
            f"{name}: mail {rules.verification_form_copies} signed verification forms and "
            f"{rules.security_agreement_copies} security agreements.",
        )
    )
    return notes


def explanation(app) -> str:
    website = app.websites.first()
    facts = {
        "subject_number": app.subject.icp_number or "",
        "website_number": (website.icp_number if website else "") or "",
    }
    return services.explain(app.filing_type, facts) or app.get_filing_type_display()


# ---- along the way -------------------------------------------------------------------------


EVENT_LABELS = {row.event: row.label for row in TABLE}
EVENT_LABELS["created"] = ("创建备案订单", "Order created")


def reason_text(event) -> str:
    """An audit event's reason for a reader: the system's own are written "中文 / English"
    and show the reader's half; what a person typed shows as typed."""
    return one_side(event.reason) if event.actor_id is None else event.reason


def timeline(app) -> list[dict]:
    """The application's steps so far, from its audit events: when, what, who."""
    rows = []
    events = AuditEvent.objects.filter(object_type="application", object_id=str(app.pk))
    for event in events.select_related("actor"):
        if event.verb not in EVENT_LABELS:
            continue  # draft saves and the like are not steps
        if event.actor_id is None:
            who = t("系统", "System")
        elif event.actor_id == app.account_id:
            who = t("您", "You")
        else:
            label = dict(Role.choices).get(event.actor_role or event.actor.role, "")
            zh, _, en = str(label).partition(" / ")
            who = t(zh, en or zh)
        zh, en = EVENT_LABELS[event.verb]
        rows.append(
            {
                "at": china_time(event.at),
                "what": t(zh, en),
                "who": who,
                "reason": reason_text(event),
            }
        )
    return rows


def next_step(app) -> str:
    """What the applicant must do now, in one or two sentences."""
    s = app.state
    if s == S.DRAFT:
        return t("请完成各步骤的填写，然后提交初审。", "Fill in every step, then submit.")
    if s == S.SUBMITTED:
        return t(
            "等待接入商初审。请确保域名（主域名和 www）不再解析。",
            "Wait for the initial review. Make sure the domain (apex and www) no longer resolves.",
        )
    if s == S.RETURNED:
        return t(
            "备案被退回：请按各字段旁的原因修改后重新提交。",
            "Returned: fix each field next to its reason, then resubmit.",
        )
    if s == S.VERIFYING:
        parts = []
        if app.originals_state in ("awaiting", "discrepancy"):
            parts.append(
                t(
                    "打印并签署核验单和信息安全管理协议，邮寄原件。",
                    "Print and sign the verification form and the security agreement; mail the originals.",
                )
            )
        photo = {
            P.NOT_STARTED: t(
                "选择拍照方式：核验点或邮寄幕布。",
                "Choose how the photo is taken: a verification point or a backdrop by post.",
            ),
            P.POINT_CHOSEN: t(
                "携带身份证原件和订单号前往核验点拍照。",
                "Visit the verification point with your ID and the order number.",
            ),
            P.BACKDROP_REQUESTED: t("等待幕布寄出。", "Wait for the backdrop to be shipped."),
            P.BACKDROP_SHIPPED: t(
                "收到幕布后在幕布前拍照并上传。",
                "Take the photo in front of the backdrop and upload it.",
            ),
            P.PHOTO_UPLOADED: t("照片审核中。", "The photo is being checked."),
            P.REJECTED: t(
                "照片未通过，请按原因重新拍照上传。",
                "The photo was rejected; take and upload a new one.",
            ),
        }.get(app.photo_state)
        if photo:
            parts.append(photo)
        return " ".join(parts) or t("等待核验完成。", "Wait for the checks to finish.")
    if s in (S.READY, S.AUTHORITY_SUBMITTED):
        return t(
            "接入商正在向管局提交。管局收到后工信部将发送短信验证码。",
            "The provider is submitting to the administration; MIIT will then send an SMS code.",
        )
    if s == S.SMS_VERIFICATION:
        hours = _setting("SMS_CODE_HOURS")
        return t(
            f"请在 {hours} 小时内到工信部核验页面输入短信验证码、手机号码和证件号码后 6 位。",
            f"Within {hours} hours, enter the SMS code, the phone and the last 6 characters of the certificate number on MIIT's page.",
        )
    if s == S.AUTHORITY_REVIEW:
        days = _setting("AUTHORITY_REVIEW_WORKING_DAYS")
        return t(
            f"管局审核中（最长 {days} 个工作日），请保持电话畅通。",
            f"The administration is reviewing (up to {days} working days); answer its calls.",
        )
    if s == S.AUTHORITY_RETURNED:
        return t(
            "管局退回接入商，接入商正在处理。",
            "Returned by the administration; the provider is handling it.",
        )
    if s == S.APPROVED:
        return t(
            "备案成功：在网站首页底部展示备案号，并在开通后 30 日内办理公安备案。",
            "Approved: show the number at the foot of the home page and file with public security within 30 days.",
        )
    if s == S.REJECTED:
        return t(
            "管局驳回：可按原因修改后重新发起。",
            "Rejected: fix the reasons and reopen the application.",
        )
    return t("此订单已结束。", "This order is closed.")


def withdraw_consequences(app) -> list[str]:
    """What withdrawing this order does, said before the applicant confirms."""
    said = [
        t(
            f"订单 {app.number} 将立即结束，不再初审，也不会提交管局；撤回后不能恢复。",
            f"Order {app.number} ends at once: no review, no submission to the "
            "administration. A withdrawal cannot be undone.",
        ),
        t(
            "订单中尚未备案的主体、网站和域名信息将作废；已备案的记录不受影响。",
            "The subject, websites and domains not yet filed in it are dropped; "
            "records already filed stay as they are.",
        ),
    ]
    if profile(app.filing_type).opens_access_on_review and app.state in (S.VERIFYING, S.READY):
        said.append(
            t(
                "初审通过后为它开通的接入将关闭，网站将无法在本接入商访问。",
                "The access opened when it passed the initial review is closed: "
                "the site is no longer served here.",
            )
        )
    if app.service_code_id:
        said.append(
            t(
                "备案服务号仍归您使用，可以用它重新发起备案。",
                "The filing service code stays yours: you can start a new filing with it.",
            )
        )
    return said


def withdrawn_note(app) -> str:
    """What happened, said once the order is withdrawn."""
    note = t(
        f"订单 {app.number} 已撤回：不会再审核或提交管局，尚未备案的信息已作废。",
        f"Order {app.number} is withdrawn: it will not be reviewed or submitted, "
        "and what was not filed yet is dropped.",
    )
    if app.service_code_id:
        note += t(
            "如需备案，请用同一备案服务号重新发起。",
            " To file, start again with the same filing service code.",
        )
    return note


def footer_snippets(app) -> list[dict]:
    """What to paste at the foot of the home page: the website number linked to
    MIIT's site (the subject number in provinces that ask for it)."""
    rules = rules_for(app.province)
    snippets = []
    for website in app.websites.all():
        number = app.subject.icp_number if rules.footer_number == "subject" else website.icp_number
        if not number:
            continue
        html = f'<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">{number}</a>'
        if rules.footer_copyright_required:
            html = f"版权所有 © {app.subject.name} " + html
        snippets.append({"website": website, "number": number, "html": html})
    return snippets


def photo_rules() -> list[str]:
    """What the verification photo must show, said where it is taken or uploaded
    (the upload's size limits from the same settings as `photos.check_photo`)."""
    width, height = _setting("MIN_PHOTO_WIDTH"), _setting("MIN_PHOTO_HEIGHT")
    megabytes = _setting("MAX_UPLOAD_BYTES") // (1024 * 1024)
    return [
        t(
            "背景：站在幕布前，幕布居中铺满身后，照片背景只见幕布，不露出墙面或其他物品。",
            "Background: stand in front of the backdrop; it fills the whole background, "
            "with no wall or other objects showing.",
        ),
        t(
            "本人正面、胸部以上半身照，五官和双耳清晰可见，光线均匀。",
            "You yourself, facing the camera, chest up; face and both ears clearly visible, "
            "evenly lit.",
        ),
        t(
            "不戴帽子、不戴眼镜（包括墨镜），刘海不遮挡眉眼。",
            "No hat and no glasses (sunglasses included); hair off the eyes and eyebrows.",
        ),
        t(
            "着装整洁、符合季节，衣服颜色不要与幕布相同，不穿红色或蓝色上衣。",
            "Neat clothes for the season, not the colour of the backdrop, no red or blue top.",
        ),
        t(
            "照片不得经过美颜或修图处理。",
            "No beautifying filters or retouching.",
        ),
        t(
            f"JPG 或 PNG，至少 {width}×{height} 像素，不超过 {megabytes} MB。",
            f"JPG or PNG, at least {width}×{height} pixels, at most {megabytes} MB.",
        ),
    ]


def backdrop_note() -> str:
    """While the backdrop waits to be shipped: within the delivery deadline."""
    days = _setting("BACKDROP_DELIVERY_WORKING_DAYS")
    return t(
        f"幕布将在 {days} 个工作日内寄出，寄出后这里会显示快递单号。",
        f"The backdrop ships within {days} working days; the tracking number appears here then.",
    )
