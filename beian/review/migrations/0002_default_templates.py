from django.db import migrations

TEMPLATES = [
    ("subject.name", "subject-name-mismatch", "主体名称与证件不一致", "The subject's name does not match the certificate"),
    ("subject.certificate_number", "subject-cert-unreadable", "证件号码与证件扫描件不一致", "The certificate number does not match the scan"),
    ("subject.certificate_address", "subject-address-mismatch", "证件住所与证件不一致", "The certificate address does not match the certificate"),
    ("subject.mailing_address", "subject-mailing-incomplete", "通信地址需详细到门牌号", "The mailing address must go down to the house number"),
    ("subject.principal.mobile", "principal-mobile-province", "负责人手机号须为备案省份号码", "The mobile must be registered in the filing province"),
    ("subject.principal.email", "principal-email-invalid", "电子邮箱无法联系，请更换", "The e-mail cannot be reached; use another"),
    ("subject.principal.certificate_valid_to", "principal-cert-expiring", "证件有效期不足，请更换有效证件", "The certificate is about to expire"),
    ("websites.name", "website-name-rules", "网站名称不符合要求（不能为域名、纯数字或字母，个人不能含企业字样）", "The website name breaks the naming rules"),
    ("websites.name", "website-name-content", "网站名称与网站内容不符", "The website name does not match its content"),
    ("websites.domains", "domain-resolving", "域名仍在解析，请暂停解析后重新提交", "The domain still resolves; stop resolving it and resubmit"),
    ("websites.domains", "domain-holder", "域名持有者与备案主体不一致", "The domain holder is not the subject"),
    ("websites.service_content", "preapproval-needed", "网站内容涉及前置审批，请提供审批文件", "The content needs a pre-approval document"),
    ("websites.remarks", "remarks-too-short", "备注需详细描述网站内容（不少于20字）", "Describe the website in the remarks (at least 20 characters)"),
    ("materials.cert_front", "scan-unclear", "证件扫描件不清晰，请重新上传", "The certificate scan is not legible; upload it again"),
    ("materials.verification_form_signed", "form-unsigned", "核验单未签字或未按手印", "The verification form is not signed or fingerprinted"),
    ("photo", "photo-backdrop-missing", "照片未使用幕布或幕布不完整", "The backdrop is missing or incomplete in the photo"),
    ("photo", "photo-face-unclear", "照片人像不清晰或不是负责人本人", "The face is unclear or not the person in charge"),
    ("photo", "photo-edited", "照片经过修图或裁剪", "The photo has been edited or cropped"),
    ("originals", "originals-signature", "原件缺少签字", "A signature is missing on the originals"),
    ("originals", "originals-fingerprint", "原件缺少手印", "A fingerprint is missing on the originals"),
    ("originals", "originals-copies", "原件份数不足", "Not enough copies of the originals"),
]


def add(apps, schema_editor):
    ReasonTemplate = apps.get_model("review", "ReasonTemplate")
    for position, (field, code, zh, en) in enumerate(TEMPLATES):
        ReasonTemplate.objects.get_or_create(
            code=code, defaults={"field": field, "text_zh": zh, "text_en": en, "position": position}
        )


def remove(apps, schema_editor):
    apps.get_model("review", "ReasonTemplate").objects.filter(
        code__in=[t[1] for t in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
