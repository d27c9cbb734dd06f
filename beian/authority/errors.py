"""Refusals of the authority side (client, submission adapter, simulator pages)."""

from beian.core.errors import register

register(
    {
        "authority_relay_off": (
            "短信中继未启用（未配置中继密钥）。",
            "The SMS relay is off (no relay secret is configured).",
        ),
        "authority_relay_bad_signature": (
            "短信中继请求的签名无效。",
            "The signature of the SMS relay request is not valid.",
        ),
        "authority_relay_not_a_code": (
            "短信中继只转发 {digits} 位数字的核验码。",
            "The SMS relay forwards only a verification code of {digits} digits.",
        ),
        "authority_relay_bad_phone": (
            "短信中继的收信号码不是有效的大陆手机号码。",
            "The relay's recipient is not a valid mainland mobile number.",
        ),
        "authority_relay_bad_key": (
            "短信中继请求的消息编号格式不正确。",
            "The message id of the relay request is malformed.",
        ),
        "authority_relay_bad_order": (
            "短信中继请求的订单号格式不正确。",
            "The order number of the relay request is malformed.",
        ),
        "authority_relay_bad_expiry": (
            "短信中继请求的有效期格式不正确（应为 年-月-日 时:分）。",
            "The expiry of the relay request is malformed (expected YYYY-MM-DD HH:MM).",
        ),
        "authority_code_missing": (
            "无法把“{value}”换成管局代码（{what}），请检查代码表。",
            "No authority code for “{value}” ({what}); check the code tables.",
        ),
        "authority_field_missing": (
            "报送管局前缺少{what_zh}，请先补充。",
            "Before sending to the administration, {what_en} is missing; add it first.",
        ),
        "authority_attachment_not_image": (
            "“{what_zh}”是 PDF，管局只收 JPG 图片：请上传该材料的扫描图片（JPG/PNG）。",
            "“{what_en}” is a PDF; the administration takes JPG only: upload a scanned "
            "image (JPG/PNG) of it.",
        ),
        "authority_attachment_unusable": (
            "“{what_zh}”无法压缩到管局要求的大小以内，请重新上传清晰、尺寸较小的图片。",
            "“{what_en}” cannot be brought within the administration's size limit; upload a "
            "smaller, clear image.",
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
        "authority_result_unmatched": (
            "管局的这条结果找不到等待中的报备（报备可能尚未确认送达）；将自动重试。",
            "No upload awaits this result of the administration (the upload may not be "
            "confirmed yet); it will be retried automatically.",
        ),
        "authority_result_failed": (
            "处理这条管局结果时出现内部错误（{error}，已记入日志）；将自动重试。",
            "An internal error occurred applying this result ({error}, logged); it will be "
            "retried automatically.",
        ),
        "authority_download_unreadable": (
            "管局下发的文件完整但无法读取（不符合下载数据格式）：{detail}",
            "The administration's file arrived intact but cannot be read (not the download "
            "format): {detail}",
        ),
        "authority_payload_invalid": (
            "报备数据不符合接口规范：{detail}",
            "The filing data does not match the interface: {detail}",
        ),
    }
)

register(
    {
        "authority_record_unknown": (
            "管局下发的{what}（记录 {record_id}）在本系统中找不到对应的备案。",
            "The {what_en} the administration sent (record {record_id}) matches no filing here.",
        ),
        "authority_part_unreadable": (
            "管局下发的“{part}”部分内容不完整，无法处理。",
            "The “{part}” part sent by the administration is incomplete and cannot be applied.",
        ),
        "authority_task_closed": (
            "该事项已处理完毕。",
            "This item is already done.",
        ),
        "authority_task_outcome_required": (
            "请填写处理结果。",
            "Please say what was done.",
        ),
    }
)
