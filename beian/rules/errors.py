"""Codes and messages of the rules app (checks and province rules).

The same codes appear as refusals (`Refusal`) and as the errors and warnings of a
`CheckResult`, so a form, the API and the CLI say the same thing.
"""

from beian.core.errors import register

register(
    {
        # Usage
        "check_unknown_kind": (
            "未知的检查类型：{kind}。可用：{kinds}",
            "Unknown check kind: {kind}. Available: {kinds}",
        ),
        "check_value_missing": ("请提供要检查的值。", "Please give the value to check."),
        "check_subject_type_required": (
            "该检查需要主体类型（individual 个人 / organization 单位）。",
            "This check needs the subject type (individual / organization).",
        ),
        "check_subject_type_invalid": (
            "主体类型只能是 individual（个人）或 organization（单位）。",
            "The subject type must be individual or organization.",
        ),
        "province_unknown": (
            "无法识别的省份：{value}。请填写简称（苏）、名称（江苏省）或代码（320000）。",
            "Unknown province: {value}. Give an abbreviation (苏), a name (江苏省) or a code (320000).",
        ),
        # Where a subject is (GB/T 2260 divisions in force, beian.rules.areas)
        "subject_city_not_in_province": (
            "所选城市不在备案省份内，请从列表中重新选择。",
            "The city chosen is not in the filing province; choose one from the list.",
        ),
        "subject_county_not_in_city": (
            "所选区县不属于{city}，请从{city}的区县中重新选择。",
            "The district or county chosen is not in {city}; choose one of {city}'s.",
        ),
        "subject_county_needs_city": (
            "请先选择所在城市，再选择区县。",
            "Choose the city first, then the district or county.",
        ),
        "subject_county_required": (
            "请选择所在区县。",
            "Choose the district or county.",
        ),
        # Resident ID (GB 11643-1999)
        "id_card_format": (
            "身份证号码应为18位：17位数字加1位校验码（数字或X）。",
            "A resident ID number has 18 characters: 17 digits and a check character (digit or X).",
        ),
        "id_card_checksum": (
            "身份证号码校验位不正确，请核对号码。",
            "The check character of the resident ID number is wrong; please check the number.",
        ),
        "id_card_birth_date": (
            "身份证号码中的出生日期无效。",
            "The birth date in the resident ID number is not a real date.",
        ),
        "id_card_birth_date_future": (
            "身份证号码中的出生日期晚于今天。",
            "The birth date in the resident ID number is in the future.",
        ),
        "id_card_area": (
            "身份证号码的地区码不属于内地31个省（自治区、直辖市）；港澳台居民请使用相应证件。",
            "The area code of the ID number is not one of the 31 mainland provinces; residents of Hong Kong, Macao and Taiwan use their own documents.",
        ),
        "id_card_area_unrecognised": (
            "身份证号码的地区码 {area} 不在内置的行政区划代码表中，请核对。",
            "Area code {area} of the ID number is not in the bundled division code table; please check it.",
        ),
        "id_card_underage": (
            "备案人须年满{min_age}周岁。",
            "The filer must be at least {min_age} years old.",
        ),
        "id_card_minor_needs_proof": (
            "未满18周岁：{province}允许{min_age}周岁以上备案，但须提供工作或收入证明。",
            "Under 18: {province} accepts filers from {min_age} with proof of employment or income.",
        ),
        "id_card_minor_needs_guardian": (
            "未满18周岁：{province}要求提供监护人身份证件。",
            "Under 18: {province} asks for the guardian's ID.",
        ),
        "id_card_implausible_age": (
            "按身份证号码计算年龄为{age}岁，请核对。",
            "The ID number gives an age of {age}; please check it.",
        ),
        "id_card_not_local": (
            "{province}仅接受本省身份证的个人备案。",
            "{province} accepts individual filings only with a local resident ID.",
        ),
        "id_card_residence_permit": (
            "非{province}身份证：个人备案须上传{province}居住证或居住证明。",
            "Not a {province} ID: an individual filing needs a {province} residence permit or proof of residence.",
        ),
        "id_card_local_only_individuals": (
            "{province}个人备案仅接受本省身份证（单位负责人不受此限）。",
            "{province} accepts individual filings only with a local ID (not required for an organisation's person in charge).",
        ),
        # Unified social credit code (GB 32100-2015)
        "uscc_format": (
            "统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z）。",
            "A unified social credit code has 18 digits and capital letters (no I, O, S, V, Z).",
        ),
        "uscc_checksum": (
            "统一社会信用代码校验位不正确，请核对。",
            "The check character of the unified social credit code is wrong; please check it.",
        ),
        "uscc_authority": (
            "统一社会信用代码的登记管理部门代码无效。",
            "The registration authority code of the unified social credit code is not valid.",
        ),
        "uscc_category": (
            "统一社会信用代码的机构类别代码不常见，请核对。",
            "The category code of the unified social credit code is unusual; please check it.",
        ),
        "uscc_region": (
            "统一社会信用代码中的行政区划码 {region} 无法识别，请核对。",
            "Region code {region} in the unified social credit code is not recognised; please check it.",
        ),
        "uscc_org_code_checksum": (
            "统一社会信用代码中的组织机构代码校验位不符，请核对。",
            "The organisation code inside the unified social credit code fails its check; please check it.",
        ),
        # Phone
        "phone_invalid": ("手机号码无效。", "The mobile number is not valid."),
        "phone_not_mainland": (
            "请填写中国内地手机号码。",
            "Please give a mainland China mobile number.",
        ),
        "phone_not_mobile": (
            "该号码不是手机号码（需能接收工信部短信核验）。",
            "This is not a mobile number (it must receive MIIT's verification SMS).",
        ),
        "phone_not_local": (
            "{province}要求手机号码归属本省，该号码归属{phone_province}。",
            "{province} requires a mobile number registered in the province; this one is from {phone_province}.",
        ),
        "phone_other_province": (
            "该手机号码归属{phone_province}，不是{province}。",
            "This mobile number is registered in {phone_province}, not {province}.",
        ),
        "phone_region_unknown": (
            "无法确定该手机号码的归属地；{province}要求本省号码，请确认。",
            "The home region of this number is unknown; {province} requires a local number, please confirm.",
        ),
        # Domain
        "domain_invalid": ("域名无效：{detail}", "Invalid domain: {detail}"),
        "domain_ip_literal": (
            "请填写域名，而不是IP地址（仅通过IP访问的网站无需备案）。",
            "Give a domain, not an IP address (a site reached only by IP needs no filing).",
        ),
        "domain_tld_unknown": (
            "顶级域 .{tld} 不存在。",
            "The top-level domain .{tld} does not exist.",
        ),
        "domain_tld_not_approved": (
            "顶级域 .{tld} 未获工信部批准在境内提供服务，不能备案。",
            "The top-level domain .{tld} is not approved by MIIT, so it cannot be filed.",
        ),
        "domain_is_public_suffix": (
            "{domain} 是公共后缀，不是可注册的域名。",
            "{domain} is a public suffix, not a registrable domain.",
        ),
        "domain_subdomain_normalized": (
            "备案的是主域名 {domain}（已备案域名覆盖其子域名）。",
            "The filing is for the registrable domain {domain} (a filed domain covers its subdomains).",
        ),
        "domain_url_stripped": (
            "已从网址中取出域名。",
            "The domain was taken from the URL.",
        ),
        # Website name
        "website_name_too_short": (
            "网站名称至少3个字符。",
            "A website name has at least 3 characters.",
        ),
        "website_name_digits_only": (
            "网站名称不能全是数字。",
            "A website name may not be digits only.",
        ),
        "website_name_latin_only": (
            "网站名称不能全是英文字母或字母数字。",
            "A website name may not be Latin letters (and digits) only.",
        ),
        "website_name_is_domain": (
            "网站名称不能是域名。",
            "A website name may not be a domain.",
        ),
        "website_name_symbols": (
            "网站名称不能含特殊符号：{symbols}",
            "A website name may not contain special symbols: {symbols}",
        ),
        "website_name_state_word": (
            "非国家机关的网站名称不能含“{word}”。",
            "A website name of a filer that is not a state body may not contain “{word}”.",
        ),
        "website_name_enterprise_word": (
            "个人网站名称不能含企业性质的词“{word}”。",
            "An individual's website name may not contain the enterprise word “{word}”.",
        ),
        "website_name_preapproval_word": (
            "个人网站名称不能含“{word}”（需前置审批或个人不能开办）。",
            "An individual's website name may not contain “{word}” (it needs a pre-approval individuals cannot obtain).",
        ),
        "website_name_banned_word": (
            "{province}不接受含“{word}”的网站名称。",
            "{province} does not accept website names containing “{word}”.",
        ),
        "website_name_discouraged_word": (
            "个人网站名称含“{word}”，接入商或管局可能驳回，建议修改。",
            "An individual's website name containing “{word}” is often refused; consider another name.",
        ),
        # ICP numbers
        "icp_number_invalid": (
            "备案号格式无效，应如 苏ICP备14012345号 或 粤ICP备2023007649号-1。",
            "Not an ICP number; expected e.g. 苏ICP备14012345号 or 粤ICP备2023007649号-1.",
        ),
        "icp_number_year": (
            "备案号中的年份 {year} 不合理。",
            "The year {year} in the ICP number is not plausible.",
        ),
        # Pre-approval
        "preapproval_individual": (
            "个人不能备案需前置审批的内容（{category}）。",
            "An individual cannot file content that needs a pre-approval ({category}).",
        ),
        # Free text, home page URLs, homoglyph domains (checks/text.py, checks/domain.py)
        "text_control_character": (
            "不能含控制字符（{char}）。",
            "May not contain a control character ({char}).",
        ),
        "text_bidi_control": (
            "不能含改变文字方向的字符（{char}）。",
            "May not contain a character that changes the text direction ({char}).",
        ),
        "text_zero_width": (
            "不能含不可见的零宽字符（{char}）。",
            "May not contain an invisible zero-width character ({char}).",
        ),
        "text_emoji": (
            "不能含表情符号（{char}）。",
            "May not contain an emoji ({char}).",
        ),
        "url_scheme_not_allowed": (
            "首页网址须以 http:// 或 https:// 开头（不接受 {scheme}:）。",
            "The home page URL must start with http:// or https:// ({scheme}: is not accepted).",
        ),
        "url_invalid": (
            "首页网址无效，应如 https://www.example.cn/。",
            "Not a valid home page URL; expected e.g. https://www.example.cn/.",
        ),
        "domain_mixed_script": (
            "域名“{label}”混用了不同文字（{scripts}），可能冒充其他域名，不予接受。",
            "The domain label “{label}” mixes scripts ({scripts}) and may imitate another domain.",
        ),
        "domain_confusable": (
            "域名“{label}”由形似拉丁字母的字符组成，可能冒充其他域名，不予接受。",
            "The domain label “{label}” is made of letters that look Latin and may imitate another domain.",
        ),
    }
)
