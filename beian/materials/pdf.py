"""The two forms the applicant prints, signs and mails: the verification form
(网站备案信息真实性核验单) and the information security agreement (信息安全管理协议).

Both are pre-filled from the order and carry its number as text, as a QR code and
as a Code 128 barcode for the mailroom. Chinese is set in a real CJK TrueType
font embedded as a subset, so any viewer draws it; without one we fall back to
reportlab's STSong-Light CID font (not embedded: text extracts, but poppler on a
machine without CJK fonts draws boxes) and log a warning.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.graphics.barcode import code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from beian.core.errors import Refusal
from beian.filings.labels import preapprovals_text, service_content_label
from beian.filings.models import Application, Principal, Subject
from beian.materials import errors  # noqa: F401 - registers refusal codes
from beian.notify.catalog import originals_to
from beian.rules.provinces import rules_for

log = logging.getLogger(__name__)

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    # Noto CJK ships CFF outlines, which reportlab cannot embed; tried last and skipped if so.
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
FONT_NAME = "BeianCJK"
FALLBACK_FONT = "STSong-Light"


@dataclass(frozen=True)
class FontChoice:
    name: str
    path: str | None  # None: the non-embedded CID fallback

    @property
    def embedded(self) -> bool:
        return self.path is not None


def _candidates() -> list[str]:
    configured = getattr(settings, "BEIAN", {}).get("CJK_FONT")
    return ([str(configured)] if configured else []) + list(FONT_CANDIDATES)


@functools.cache
def cjk_font() -> FontChoice:
    """Registers the first usable CJK TrueType font (once per process)."""
    for candidate in _candidates():
        path = Path(candidate)
        if not path.is_file():
            continue
        try:
            font = TTFont(FONT_NAME, str(path), subfontIndex=0)
        except (TTFError, OSError, ValueError) as exc:
            log.info("CJK font %s not usable by reportlab: %s", path, exc)
            continue
        pdfmetrics.registerFont(font)
        return FontChoice(FONT_NAME, str(path))
    log.warning(
        "No CJK TrueType font found (set BEIAN['CJK_FONT'] or install fonts-wqy-microhei); "
        "forms use the non-embedded %s font and may show boxes in some viewers.",
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FontChoice(FALLBACK_FONT, None)


def provider_name() -> str:
    return getattr(settings, "BEIAN", {}).get("PROVIDER_NAME") or "接入服务商"


# ---- building blocks ---------------------------------------------------------------


class _Styles:
    def __init__(self, font: str):
        base = {"fontName": font, "wordWrap": "CJK"}
        self.title = ParagraphStyle("title", fontSize=17, leading=22, alignment=1, **base)
        self.subtitle = ParagraphStyle("subtitle", fontSize=9, leading=12, alignment=1, **base)
        self.heading = ParagraphStyle("heading", fontSize=11.5, leading=16, spaceBefore=6, **base)
        self.cell = ParagraphStyle("cell", fontSize=9.5, leading=13, **base)
        self.label = ParagraphStyle(
            "label", fontSize=9.5, leading=13, textColor=colors.HexColor("#333333"), **base
        )
        self.text = ParagraphStyle("text", fontSize=10, leading=15, **base)
        self.small = ParagraphStyle("small", fontSize=8.5, leading=11, **base)


def _p(text, style) -> Paragraph:
    # Paragraph parses markup: every value from the filing is escaped.
    return Paragraph(escape(str(text if text not in (None, "") else "—")), style)


def _grid(rows, styles: _Styles, widths=(40 * mm, 130 * mm)) -> Table:
    table = Table(
        [[_p(label, styles.label), _p(value, styles.cell)] for label, value in rows],
        colWidths=widths,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _qr(value: str, size: float = 28 * mm) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _number_header(app: Application, title: str, subtitle: str, styles: _Styles) -> Table:
    barcode = code128.Code128(app.number, barHeight=9 * mm, barWidth=0.3 * mm, humanReadable=False)
    left = [
        _p(title, styles.title),
        _p(subtitle, styles.subtitle),
        Spacer(1, 3 * mm),
        _p(f"订单号 Order No.：{app.number}", styles.text),
        barcode,
    ]
    table = Table([[left, _qr(app.number)]], colWidths=(140 * mm, 30 * mm))
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    )
    return table


def _fingerprint_box(styles: _Styles) -> Table:
    box = Table(
        [[_p("按手印处\nFingerprint", styles.small)]], colWidths=(24 * mm,), rowHeights=(24 * mm,)
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    return box


def _signature_block(signers: list[tuple[str, bool]], styles: _Styles) -> Table:
    """A signature and date line per signer, with a fingerprint box where required."""
    rows = []
    for label, fingerprint in signers:
        line = _p(f"{label}签字：________________　　日期：______年____月____日", styles.text)
        rows.append([line, _fingerprint_box(styles) if fingerprint else ""])
    table = Table(rows, colWidths=(140 * mm, 30 * mm))
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 8)])
    )
    return table


def _build(story, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=provider_name(),
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()


# ---- the filing's data -------------------------------------------------------------


def _label(choice_label: str) -> str:
    return str(choice_label).split(" / ", 1)[0]


def _principal_rows(principal: Principal | None) -> list[tuple[str, str]]:
    if principal is None:
        return [("负责人姓名", "")]
    valid_to = (
        principal.certificate_valid_to.isoformat() if principal.certificate_valid_to else "长期"
    )
    valid_from = (
        principal.certificate_valid_from.isoformat() if principal.certificate_valid_from else ""
    )
    return [
        ("负责人姓名", principal.name),
        ("证件类型", _label(principal.get_certificate_type_display())),
        ("证件号码", principal.certificate_number),
        ("证件有效期", f"{valid_from} 至 {valid_to}" if valid_from else valid_to),
        ("手机号码", principal.mobile),
        ("应急联系电话", principal.emergency_phone),
        ("电子邮箱", principal.email),
    ]


def _subject(app: Application) -> Subject:
    # Read afresh: the caller's instance may predate the applicant's last save.
    return Subject.objects.select_related("principal").get(pk=app.subject_id)


def _websites(app: Application):
    return list(
        app.websites.select_related("principal")
        .prefetch_related("domains", "accesses__server")
        .order_by("pk")
    )


def _domains(website) -> list[str]:
    return [d.unicode_name or d.name for d in sorted(website.domains.all(), key=lambda d: d.pk)]


def _ips(website) -> list[str]:
    return sorted({a.ip for a in website.accesses.all() if a.status != "closed"})


# ---- the forms ---------------------------------------------------------------------


def verification_form(app: Application) -> bytes:
    """网站备案信息真实性核验单, pre-filled with the real data (the applicant's own printout)."""
    font = cjk_font()
    styles = _Styles(font.name)
    rules = rules_for(app.province)
    subject = _subject(app)
    story = [
        _number_header(
            app,
            "网站备案信息真实性核验单",
            f"Website filing verification form · {_label(app.get_filing_type_display())} · {rules.province.name}",
            styles,
        ),
        _p("一、主体信息", styles.heading),
        _grid(
            [
                ("主办单位名称", subject.name),
                ("主办单位性质", _label(subject.get_nature_display())),
                ("证件类型", _label(subject.get_certificate_type_display())),
                ("证件号码", subject.certificate_number),
                ("证件住所", subject.certificate_address),
                ("通信地址", subject.mailing_address),
                ("投资人或主管单位", subject.investor or subject.name),
                *_principal_rows(subject.principal),
            ],
            styles,
        ),
    ]
    websites = _websites(app)
    for index, website in enumerate(websites, start=1):
        story += [
            _p(f"二、网站信息（{index}/{len(websites)}）", styles.heading),
            _grid(
                [
                    ("网站名称", website.name),
                    ("网站域名", "、".join(_domains(website))),
                    ("网站首页URL", website.home_url),
                    ("服务内容", service_content_label(website.service_content, english=False)),
                    ("前置审批", preapprovals_text(website, english=False) or "无"),
                    *(
                        [("网站负责人", "同主体负责人")]
                        if website.principal_id == subject.principal_id
                        else _principal_rows(website.principal)
                    ),
                    ("接入服务单位", provider_name()),
                    ("网站IP地址", "、".join(_ips(website))),
                ],
                styles,
            ),
        ]
    story += [
        _p("三、承诺", styles.heading),
        _p(
            "本人（单位）承诺：以上所填写的备案信息真实、准确、完整，所提交的证件及资料真实有效；"
            "如有虚假，愿承担由此产生的一切法律责任。",
            styles.text,
        ),
        Spacer(1, 3 * mm),
        _signature_block(
            [(who, rules.fingerprints_on_forms) for who in _signers(subject, websites)], styles
        ),
        Spacer(1, 4 * mm),
        _p(
            f"请用 A4 纸打印本核验单，由负责人本人签字"
            f"{'并按手印' if rules.fingerprints_on_forms else ''}，"
            f"邮寄原件 {rules.verification_form_copies} 份至{provider_name()}。不得涂改。"
            f"Print on A4, sign{' and add fingerprints' if rules.fingerprints_on_forms else ''}, "
            f"and mail {rules.verification_form_copies} signed original(s).",
            styles.small,
        ),
        *_mail_to(styles),
    ]
    return _build(story, f"网站备案信息真实性核验单 {app.number}")


def _mail_to(styles: _Styles) -> list:
    """Where the signed originals go (settings.BEIAN ORIGINALS_*)."""
    to = originals_to()
    return [
        Spacer(1, 3 * mm),
        _p("原件邮寄地址 / Mail the originals to", styles.label),
        _grid(
            [
                ("收件人 Recipient", to["originals_recipient"]),
                ("地址 Address", to["originals_address"]),
                ("电话 Phone", to["originals_phone"]),
            ],
            styles,
        ),
    ]


def _signers(subject: Subject, websites) -> list[str]:
    signers = ["主体负责人（主办者）"]
    if any(w.principal_id and w.principal_id != subject.principal_id for w in websites):
        signers.append("网站负责人")
    return signers


AGREEMENT_CLAUSES = (
    "乙方保证所提供的备案信息真实、准确、完整，并在信息变更时及时通过甲方办理变更备案。",
    "乙方不得利用网站制作、复制、发布、传播法律、行政法规禁止的信息，不得从事危害国家安全、"
    "损害公共利益或侵犯他人合法权益的活动。",
    "乙方应建立健全网站信息安全管理制度，落实信息审核、用户实名、日志留存（不少于六十日）等安全保护措施。",
    "乙方未取得相关前置审批的，不得开展需前置审批的互联网信息服务；网站内容应与备案的服务内容一致。",
    "乙方应在网站首页底部显著位置展示备案号，并链接至工业和信息化部备案管理系统网站（https://beian.miit.gov.cn）。",
    "乙方网站接入后三十日内应按规定办理公安机关联网备案。",
    "乙方违反本协议或有关法律法规的，甲方有权依法暂停或终止接入服务，并向有关主管部门报告。",
    "本协议自双方签字（盖章）之日起生效，在甲方为乙方提供接入服务期间持续有效。",
)


def security_agreement(app: Application) -> bytes:
    """信息安全管理协议 between the hosting provider and the subject, pre-filled."""
    font = cjk_font()
    styles = _Styles(font.name)
    rules = rules_for(app.province)
    subject = _subject(app)
    websites = _websites(app)
    story = [
        _number_header(app, "信息安全管理协议", "Information security agreement", styles),
        Spacer(1, 2 * mm),
        _grid(
            [
                ("甲方（接入服务单位）", provider_name()),
                ("乙方（备案主体）", subject.name),
                ("乙方证件号码", subject.certificate_number),
                ("乙方负责人", subject.principal.name if subject.principal else ""),
                *[
                    (f"网站 {i}", f"{w.name}（{'、'.join(_domains(w))}）")
                    for i, w in enumerate(websites, start=1)
                ],
            ],
            styles,
        ),
        Spacer(1, 3 * mm),
        _p(
            "为加强互联网信息安全管理，根据《中华人民共和国网络安全法》《互联网信息服务管理办法》"
            "《非经营性互联网信息服务备案管理办法》等规定，甲乙双方就乙方网站接入事宜约定如下：",
            styles.text,
        ),
        Spacer(1, 2 * mm),
    ]
    story += [
        _p(f"{n}. {clause}", styles.text) for n, clause in enumerate(AGREEMENT_CLAUSES, start=1)
    ]
    story += [
        Spacer(1, 6 * mm),
        _signature_block([("甲方（盖章）", False), ("乙方", rules.fingerprints_on_forms)], styles),
    ]
    story += [
        Spacer(1, 4 * mm),
        _p(
            f"本协议一式 {rules.security_agreement_copies} 份原件，乙方签字后邮寄至甲方。"
            f"Sign and mail {rules.security_agreement_copies} original(s).",
            styles.small,
        ),
        *_mail_to(styles),
    ]
    return _build(story, f"信息安全管理协议 {app.number}")


FORMS = {
    "verification-form": (verification_form, "verification-form"),
    "security-agreement": (security_agreement, "security-agreement"),
}


def render_form(app: Application, form: str) -> tuple[bytes, str]:
    """(pdf bytes, file name) of a form by its slug."""
    if form not in FORMS:
        raise Refusal("material_form_unknown", field="form", status=404)
    build, slug = FORMS[form]
    return build(app), f"{app.number}-{slug}.pdf"
