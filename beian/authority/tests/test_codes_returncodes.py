"""Return codes: every code of return-codes.md, verbatim, with an English text."""

import json
import re
from importlib import resources

from beian.authority import returncodes

from .test_codec_xml import REFERENCE, needs_reference


def reference_rows():
    text = (REFERENCE / "return-codes.md").read_text(encoding="utf-8")
    return [
        (int(code), zh.strip())
        for code, zh in re.findall(r"^\|[^|]+\|\s*(\d+)\s*\|([^|]+)\|\s*$", text, re.M)
    ]


@needs_reference
def test_every_reference_code_is_present_with_the_same_chinese_text():
    rows = reference_rows()
    assert len(rows) == 204
    for code, zh in rows:
        assert returncodes.CODES[code].zh == zh, code
    assert set(returncodes.CODES) == {code for code, _ in rows}


def test_every_code_has_an_english_text_and_a_category():
    for rc in returncodes.CODES.values():
        assert rc.en and not re.search(r"[\u4e00-\u9fff]", rc.en), rc.code
        assert rc.category in returncodes.CATEGORY_NAMES


def test_describe():
    assert returncodes.describe(7) == ("哈希值验证未通过", "Hash verification failed")
    assert returncodes.describe(1001)[1] == "Approved by the provincial administration"
    assert returncodes.describe(123456) == ("未知代码 123456", "Unknown code 123456")
    assert returncodes.get(14).is_method_code and not returncodes.get(1005).is_method_code


def test_the_table_is_the_bundled_data_file():
    data = resources.files("beian.authority.data").joinpath("returncodes.json")
    rows = json.loads(data.read_text(encoding="utf-8"))["codes"]
    assert [r["code"] for r in rows] == list(returncodes.CODES)
    assert len(set(returncodes.CODES)) == len(rows) == 204
    assert returncodes.CODES[1005].zh == next(r["zh"] for r in rows if r["code"] == 1005)
