"""Refusals of the authority side (client, submission adapter, simulator pages)."""

from beian.core.errors import register

register(
    {
        "authority_code_missing": (
            "无法把“{value}”换成管局代码（{what}），请检查代码表。",
            "No authority code for “{value}” ({what}); check the code tables.",
        ),
        "authority_id_missing": (
            "缺少管局下发的标识（{what}），请先同步管局数据。",
            "The administration's id is missing ({what}); synchronise downloads first.",
        ),
        "authority_not_configured": (
            "尚未配置管局接口（地址、ISP 标识、用户名、密码）。",
            "The authority interface is not configured (URL, ISP id, user, password).",
        ),
        "authority_unreachable": (
            "管局系统暂时无法访问：{detail}。报备未丢失，稍后会自动核对。",
            "The administration cannot be reached: {detail}. Nothing was lost; it will be "
            "reconciled.",
        ),
        "authority_refused": (
            "管局拒收（代码 {code}）：{text}",
            "Refused by the administration (code {code}): {text}",
        ),
        "authority_upload_pending": (
            "该订单已有一份报备结果未知，正在核对，请勿重复提交。",
            "An upload of this application has an unknown outcome and is being reconciled; "
            "do not submit it again.",
        ),
        "relay_subject_unknown": (
            "管局发来的备案密码找不到对应的主体。",
            "No subject here matches the filing password the administration sent.",
        ),
        "relay_address_unknown": (
            "管局发来的手机号和邮箱都不是该主体负责人的联系方式，未转发。",
            "Neither the phone nor the e-mail the administration sent belongs to the "
            "subject's persons in charge; nothing was relayed.",
        ),
        "authority_payload_invalid": (
            "报备数据不符合接口规范：{detail}",
            "The filing data does not match the interface: {detail}",
        ),
    }
)
