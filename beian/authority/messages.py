"""The messages of what the administration sends down (catalogue entries, both languages).

Registered with ``beian.notify.catalog.add`` when this module is imported (by
``beian.authority.downloads``)."""

from __future__ import annotations

from beian.notify.catalog import EN, ZH, add

_NUMBERS_ZH = "{% for n in website_numbers %}\n- {{ n }}{% endfor %}"

add(
    "record_cancelled_by_authority",
    {
        ZH: (
            "您的备案已被通信管理局注销",
            "您好：\n\n通信管理局已注销您的备案"
            "{% if subject_number %}（主体备案号 {{ subject_number }}）{% endif %}"
            "{% if website_numbers %}，涉及网站：" + _NUMBERS_ZH + "\n{% else %}。{% endif %}"
            "{% if remark %}\n管局说明：{{ remark }}{% endif %}"
            "\n\n相关网站已停止接入，域名将无法在本服务商访问。"
            "如需继续开办网站，请重新提交备案申请。",
            "您的备案已被管局注销，相关网站已停止接入。",
        ),
        EN: (
            "Your filing was cancelled by the communications administration",
            "Hello,\n\nThe communications administration cancelled your filing"
            "{% if subject_number %} (subject number {{ subject_number }}){% endif %}"
            "{% if website_numbers %}; websites:" + _NUMBERS_ZH + "\n{% else %}.{% endif %}"
            "{% if remark %}\nThe administration's note: {{ remark }}{% endif %}"
            "\n\nAccess for these websites is closed: the domains no longer open here. "
            "To run the website again, file anew.",
            "Your filing was cancelled by the administration; its websites no longer open.",
        ),
    },
)

add(
    "authority_change_notice",
    {
        ZH: (
            "通信管理局要求整改您的备案信息",
            "您好：\n\n通信管理局要求整改您的备案信息"
            "{% if number %}（备案号 {{ number }}）{% endif %}：\n{{ content }}"
            "\n\n请在 {{ deadline }} 前登录系统提交变更备案，更正上述信息。",
            "管局要求整改备案{% if number %}{{ number }}{% endif %}，请于{{ deadline }}前提交变更。",
        ),
        EN: (
            "The communications administration asks you to correct your filing",
            "Hello,\n\nThe communications administration asks you to correct your filing"
            "{% if number %} ({{ number }}){% endif %}:\n{{ content }}"
            "\n\nPlease sign in and file a change correcting it by {{ deadline }}.",
            "The administration asks you to correct filing"
            "{% if number %} {{ number }}{% endif %} by {{ deadline }}.",
        ),
    },
)

add(
    "authority_staff_notice",
    {
        ZH: (
            "管局下发：{{ kind_zh }}",
            "您好：\n\n管局下发了新的事项（{{ kind_zh }}）：\n{{ text_zh }}"
            "{% if deadline %}\n\n处理时限：{{ deadline }}{% endif %}"
            "\n\n请在后台“管局下发”页面查看并处理。",
            "管局下发：{{ kind_zh }}，请在后台处理。",
        ),
        EN: (
            "From the administration: {{ kind_en }}",
            "Hello,\n\nThe administration sent a new item ({{ kind_en }}):\n{{ text_en }}"
            "{% if deadline %}\n\nDue by: {{ deadline }}{% endif %}"
            "\n\nSee the back office's page “From the administration”.",
            "From the administration: {{ kind_en }}; see the back office.",
        ),
    },
)
