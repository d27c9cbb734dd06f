from beian.core.errors import register

register(
    {
        "transition_not_allowed": (
            "当前状态（{state}）下不能执行“{event}”。",
            "“{event}” is not possible in the current state ({state}).",
        ),
        "event_has_its_own_door": (
            "“{event}”只能在其办理页面（或对应接口）中执行。",
            "“{event}” is done through its own page or endpoint, not the generic events endpoint.",
        ),
        "role_not_allowed": ("您的角色无权执行“{event}”。", "Your role may not perform “{event}”."),
        "not_your_application": ("这不是您的备案订单。", "This is not your application."),
        "website_languages_required": (
            "请选择网站的服务语言（至少一种）。",
            "Choose the website's language(s) of service (at least one).",
        ),
        "website_language_unknown": (
            "网站语言“{value}”不在可选范围内。",
            "“{value}” is not one of the website languages offered.",
        ),
        "office_phone_required": (
            "单位主办的网站须填写负责人的办公室电话（只含数字和“-”，至少11位）。",
            "An organisation's person in charge must give an office phone "
            "(digits and “-” only, at least 11 characters).",
        ),
        "cancel_reason_required": (
            "请选择注销或取消接入的理由。",
            "Choose why the filing or the access is cancelled.",
        ),
        "out_of_scope": (
            "该订单所在省份不在您的负责范围内。",
            "This application's province is outside your scope.",
        ),
        "start_applicants_only": (
            "只有备案账号可以发起备案。",
            "Only a filing account can start a filing.",
        ),
        "scans_not_at_stage": (
            "该订单不在您岗位的办理环节，不能查看其扫描件和照片。",
            "This application is not at a stage your role works: its scans and photo are not shown.",
        ),
        "application_incomplete": (
            "备案信息不完整或有误，请按提示修改。",
            "The filing is incomplete or has errors; see each field.",
        ),
        "reasons_required": (
            "退回或驳回时必须填写原因。",
            "A return or rejection needs at least one reason.",
        ),
        "originals_incomplete": (
            "原件份数不足：{document} 需要 {required} 份，收到 {received} 份。",
            "Not enough originals: {document} needs {required}, received {received}.",
        ),
        "tracks_not_verified": (
            "原件与照片均核验通过后才能提交管局。",
            "Originals and photo must both be verified first.",
        ),
        "not_expired_yet": ("订单尚未到期。", "The order has not expired yet."),
        "order_expired": (
            "订单已过期，请重新发起备案。",
            "The order has expired; start a new filing.",
        ),
        "field_required": ("此项为必填项。", "This field is required."),
        "value_too_long": ("内容过长。", "This value is too long."),
        "start_invalid": (
            "备案信息有误，请按提示修改（省份、主体性质、证件类型和证件号码开通后不能修改）。",
            "Some details are wrong; see each field (province, nature, certificate type and "
            "number cannot be changed after the start).",
        ),
        "nature_unknown": ("请选择主体性质。", "Choose the subject's nature."),
        "certificate_type_unknown": ("请选择证件类型。", "Choose the certificate type."),
        "shipping_address_required": (
            "请填写幕布邮寄地址。",
            "Enter the address to send the backdrop to.",
        ),
        "courier_required": (
            "请填写快递公司和运单号。",
            "Enter the courier and the tracking number.",
        ),
        "verification_point_required": ("请选择核验点。", "Choose a verification point."),
        "photo_required": ("请上传核验照片。", "Upload the verification photo."),
        "photo_invalid": (
            "照片无法识别，请上传 JPG 或 PNG 图片。",
            "The photo cannot be read; upload a JPG or PNG image.",
        ),
        "photo_too_many_pixels": (
            "照片像素过多：不得超过 {megapixels} 百万像素。",
            "The photo has too many pixels: at most {megapixels} megapixels.",
        ),
        "photo_too_small": (
            "照片分辨率至少为 {width}×{height} 像素。",
            "The photo must be at least {width}×{height} pixels.",
        ),
        "photo_too_large": (
            "文件过大，最大 {limit} MB。",
            "The file is too large; at most {limit} MB.",
        ),
        "icp_numbers_required": (
            "审核通过须给出备案号。",
            "An approval must carry the ICP numbers.",
        ),
        "icp_number_taken": (
            "管局下发的备案号 {number} 已属于本系统中另一条已备案记录，未予登记；请与管局核对。",
            "The ICP number {number} issued by the administration already belongs to another "
            "filed record here; it was not recorded. Check with the administration.",
        ),
        "domain_filed_here": (
            "域名 {domain} 已在本接入商备案并接入，无需重复备案。",
            "The domain {domain} is already filed and hosted here.",
        ),
        "domain_in_progress": (
            "域名 {domain} 已有进行中的备案订单。",
            "The domain {domain} already has an application in progress.",
        ),
        "domains_required": (
            "请至少填写一个网站域名。",
            "Enter at least one domain for the website.",
        ),
        "subject_other_account": (
            "该证件号码的主体已由其他备案账号管理，请使用该账号办理。",
            "A subject with this certificate number is managed by another filing account; use that account.",
        ),
        "subject_mismatch": (
            "证件号码与已备案主体不一致。",
            "The certificate number does not match the filed subject.",
        ),
        "record_not_filed": (
            "只有已备案的记录才能办理此业务。",
            "Only a filed record can be changed or cancelled.",
        ),
        "application_in_progress": (
            "该备案已有进行中的订单（{number}），请先完成或撤回。",
            "This filing already has an application in progress ({number}); finish or withdraw it first.",
        ),
        "principal_phone_shared": (
            "不同负责人须使用不同的手机号码。",
            "Different persons in charge need different mobile numbers.",
        ),
        "principal_email_shared": (
            "不同负责人须使用不同的电子邮箱。",
            "Different persons in charge need different e-mail addresses.",
        ),
        "province_cap_websites": (
            "{province}：每次备案最多 {limit} 个网站。",
            "{province}: at most {limit} websites per filing.",
        ),
        "province_cap_domains": (
            "{province}：每次备案最多 {limit} 个域名。",
            "{province}: at most {limit} domains per filing.",
        ),
        "province_cap_domains_per_website": (
            "{province}：每个网站最多 {limit} 个域名。",
            "{province}: at most {limit} domains per website.",
        ),
        "province_emergency_contact": (
            "{province}：须填写应急联系电话。",
            "{province}: an emergency contact phone is required.",
        ),
        "province_id_validity": (
            "{province}：证件有效期须剩余 {months} 个月以上。",
            "{province}: the certificate must be valid for more than {months} months.",
        ),
        "certificate_expired": ("证件已过有效期。", "The certificate has expired."),
        "filing_password_required": (
            "请填写备案密码（备案成功时工信部发给您的密码）。",
            "Enter the filing password (sent to you by MIIT when the filing was approved).",
        ),
        "filing_password_wrong": ("备案密码不正确。", "The filing password is wrong."),
        "filing_password_not_needed": (
            "首次备案无需备案密码。",
            "A first filing has no filing password.",
        ),
        "filing_password_reset_wrong_subject": (
            "找不到您名下已备案的该主体，无法重置备案密码。",
            "No filed subject of yours matches; the filing password cannot be reset.",
        ),
        "filing_password_reset_too_many": (
            "24 小时内最多可重置 {limit} 次备案密码，请稍后再试。",
            "The filing password can be reset at most {limit} times in 24 hours; try again later.",
        ),
        "filing_password_reset_unavailable": (
            "暂时无法向管局申请重置备案密码，请稍后再试，或在工信部备案系统找回。",
            "The administration cannot be asked to reset the filing password now; try "
            "again later, or recover it on MIIT's filing site.",
        ),
        "nothing_changed": ("没有需要变更的内容。", "Nothing to change."),
        "access_not_here": ("该网站未在本接入商接入。", "This website is not hosted here."),
        "last_website": (
            "注销最后一个网站会留下空壳主体，请改为注销主体。",
            "Cancelling the last website would leave an empty subject; cancel the subject instead.",
        ),
    }
)
