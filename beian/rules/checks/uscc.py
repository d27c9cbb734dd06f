"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re
import unicodedata

from beian.rules import areas
from beian.rules.provinces import all_provinces
from beian.rules.result import CheckResult

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O S V Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 32100-2015 table 1: registration authority → (name, {category: name}).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}

# GB 11714 organisation code inside the USCC (characters 9-17).
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(ORG_CHARS.index(c) * w for c, w in zip(first8, ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def check_uscc(value: str) -> CheckResult:
    code = normalize(value)
    result = CheckResult(normalized=code)
    if not PATTERN.match(code):
        return result.error("uscc_format")
    if check_char(code[:17]) != code[17]:
        return result.error("uscc_checksum")

    authority = AUTHORITIES.get(code[0])
    if authority is None:
        return result.error("uscc_authority")
    authority_name, categories = authority
    result.facts["registration_authority"] = code[0]
    result.facts["registration_authority_name"] = authority_name
    result.facts["category"] = code[1]
    result.facts["category_name"] = categories.get(code[1])
    if code[1] not in categories:
        result.warn("uscc_category")

    region = code[2:8]
    result.facts["region_code"] = region
    province_code = region[:2] + "0000"
    mainland = {p.code for p in all_provinces()}
    result.facts["province"] = province_code if province_code in mainland else None
    result.facts["region"] = areas.full_name(region)
    if result.facts["province"] is None or result.facts["region"] is None:
        result.warn("uscc_region", region=region)

    org_code = code[8:17]
    result.facts["organization_code"] = org_code
    if org_code_check_char(org_code[:8]) != org_code[8]:
        result.warn("uscc_org_code_checksum")
    return result
