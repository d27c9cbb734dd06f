"""Code tables: the bundled starting set and the refresh from a JCDM download."""

from lxml import etree

from beian.authority import codes
from beian.authority.codec import parse_download_xml
from beian.filings.forms import WebsiteForm
from beian.filings.models import CancelReason, CertificateType, Language, SubjectNature
from beian.hosting.models import AccessMethod
from beian.rules.preapproval import categories

from .test_codec_xml import reference_schema

JCDM = """<?xml version="1.0" encoding="GBK"?>
<DownloadData version="V.3.0">
 <JCDM>
  <Jcdm_xx>
   <Dwxz_dms>
    <Dwxz_xx><Id>1</Id><Mc>军队</Mc><Sfyx>1</Sfyx></Dwxz_xx>
    <Dwxz_xx><Id>5</Id><Mc>个人</Mc><Sfyx>1</Sfyx></Dwxz_xx>
    <Dwxz_xx><Id>7</Id><Mc>基金会</Mc><Sfyx>1</Sfyx></Dwxz_xx>
    <Dwxz_xx><Id>9</Id><Mc>旧性质</Mc><Sfyx>0</Sfyx></Dwxz_xx>
   </Dwxz_dms>
   <Qy_dms>
    <Qy_xx><Id>320000</Id><Mc>江苏省</Mc><Lx>1</Lx><Sfyx>1</Sfyx></Qy_xx>
    <Qy_xx><Id>320500</Id><Mc>苏州市</Mc><Lx>2</Lx><Sfyx>1</Sfyx></Qy_xx>
    <Qy_xx><Id>320571</Id><Mc>苏州工业园区</Mc><Lx>3</Lx><Sfyx>1</Sfyx></Qy_xx>
   </Qy_dms>
   <Wzjylx_dms>
    <Wzjylx_xx><Id>1</Id><Ysid>1</Ysid><Mc>新闻</Mc><Sfqzsp>1</Sfqzsp><Sfyx>1</Sfyx></Wzjylx_xx>
   </Wzjylx_dms>
   <Fjytlx_dms>
    <Fjzjlx><Id>1</Id><Mc>真实性核验单</Mc><Ssdxlx>1</Ssdxlx><Sfyx>1</Sfyx></Fjzjlx>
   </Fjytlx_dms>
  </Jcdm_xx>
 </JCDM>
</DownloadData>
""".encode("gbk")


def test_bundled_tables_cover_what_the_upload_needs():
    tables = codes.load_bundled()
    for name in [
        "unit_natures",
        "certificate_types",
        "regions",
        "service_contents",
        "content_types",
        "access_methods",
        "server_locations",
        "cancel_reasons",
        "languages",
        "attachment_formats",
        "attachment_purposes",
    ]:
        assert tables.table(name), name
    assert tables.name("certificate_types", 2) == "居民身份证"
    assert tables.unit_natures[5].name_en == "Individual"


def test_bundled_regions_have_all_provinces_and_the_demo_cities():
    tables = codes.load_bundled()
    assert len(tables.provinces()) == 31
    for city in ["苏州市", "南京市", "杭州市", "郑州市", "成都市", "广州市", "深圳市"]:
        assert any(r.name == city and r.level == 2 for r in tables.regions.values()), city
    assert {r.name for r in tables.counties(320500)} >= {"姑苏区", "吴中区", "相城区", "昆山市"}
    assert [r.name for r in tables.region_path(110105)] == ["北京市", "北京市", "朝阳区"]
    assert [r.name for r in tables.region_path(310115)][-1] == "浦东新区"
    assert tables.regions[320000].extra["abbr"] == "苏"
    assert all(r.id >= 100000 for r in tables.regions.values())  # XSD: minInclusive 100000


def test_jcdm_sample_is_valid_against_the_reference_xsd():
    schema = reference_schema("download-data.xsd")
    assert schema.validate(etree.fromstring(JCDM)), schema.error_log


def test_refresh_replaces_downloaded_tables_and_keeps_the_others():
    base = codes.load_bundled()
    data = parse_download_xml(JCDM)
    assert data.section == "JCDM"
    fresh = codes.refresh_from_jcdm(data.root, base)
    assert sorted(fresh.unit_natures) == [1, 5, 7, 9]
    assert fresh.name("unit_natures", 7) == "基金会"
    assert not fresh.is_valid("unit_natures", 9)  # Sfyx 0
    assert fresh.unit_natures[5].name_en == "Individual"  # carried over: same id, same name
    assert fresh.regions[320571].level == 3
    assert fresh.regions[320571].city_id == 320500
    assert fresh.content_types[1].extra == {"ysid": 1, "needs_pre_approval": True}
    assert fresh.attachment_purposes[1].extra["owner"] == 1
    # Tables absent from the download are kept; the base is not modified.
    assert fresh.certificate_types == base.certificate_types
    assert 3 in base.unit_natures and 3 not in fresh.unit_natures


def test_refresh_accepts_raw_bytes_and_round_trips_through_dicts():
    fresh = codes.refresh_from_jcdm(JCDM)
    again = codes.CodeTables.from_dict(fresh.to_dict())
    assert again.unit_natures == fresh.unit_natures
    assert again.regions[320571].level == 3


# --- the bundled tables: sources, corrected ids, Beian's values ---------------------------


def test_every_table_cites_its_sources_and_says_what_it_chose():
    document = codes.bundled_document()
    assert set(document) >= {
        "unit_natures",
        "certificate_types",
        "content_types",
        "service_contents",
        "access_methods",
        "server_locations",
        "languages",
    }
    for name, table in document.items():
        assert isinstance(table["provisional"], bool), name
        assert table["choice"].strip(), name
        assert table["sources"], name
        for source in table["sources"]:
            assert source["title"] and source["url"] and source["read"], (name, source)
        if not table["provisional"]:  # ids taken from a public source, never from nowhere
            assert any(
                s["url"].startswith("https://") or "code search" in s["url"]
                for s in table["sources"]
            ), name
        ids = [e["id"] for e in table["entries"]]
        assert len(ids) == len(set(ids)), name


def test_corrected_ids_from_the_public_sources():
    tables = codes.load_bundled()
    pre = tables.content_types
    assert {i: pre[i].name for i in (6, 9, 10, 11, 13, 14)} == {
        6: "电子公告服务",
        9: "文化",
        10: "广播电影电视节目",
        11: "网络预约车",
        13: "互联网金融",
        14: "校外培训",
    }
    assert tables.name("unit_natures", 1) == "国防机构"
    assert len(tables.unit_natures) == 18  # 6 → 18: the newer natures
    assert tables.name("unit_natures", 9) == "民办非企业单位"
    assert tables.name("certificate_types", 13) == "统一社会信用代码证书"
    assert tables.name("certificate_types", 14) == "港澳居民来往内地通行证"
    assert tables.name("access_methods", 5) == "云接入"
    assert tables.name("languages", 12) == "英语"
    assert tables.name("server_locations", 17) == "江苏省"  # pinyin order, not GB/T 2260


def test_every_beian_value_has_a_code_that_exists():
    tables = codes.load_bundled()
    for name, table in codes.bundled_document().items():
        for key, code_id in table.get("beian", {}).items():
            assert tables.is_valid(name, code_id), (name, key, code_id)
            assert codes.choice(name, key, tables) == code_id, (name, key)


def test_the_values_beian_offers_and_sends_all_have_codes():
    tables = codes.load_bundled()

    def has(table, key):
        return codes.choice(table, key, tables) is not None

    natures = [n for n in SubjectNature.values if n != SubjectNature.OTHER]
    assert all(has("unit_natures", n) for n in natures)
    persons = [c for c in CertificateType.values if c not in ("uscc", "other")]
    assert all(has("certificate_types", f"person:{c}") for c in persons)
    organisations = [n for n in natures if n != SubjectNature.INDIVIDUAL]
    assert all(has("certificate_types", f"{n}:uscc") for n in organisations)
    assert codes.choice("certificate_types", "government:uscc", tables) == 13  # its own type
    assert all(has("service_contents", code) for code, _label in WebsiteForm.SERVICE_CONTENT)
    no_code = {"online_games"}  # no pre-approval content type in the sources (codes.json)
    for category in categories(include_inactive=True):
        assert has("content_types", category.code) == (category.code not in no_code), category
    assert all(has("cancel_reasons", reason) for reason in CancelReason.values)
    assert all(has("access_methods", method) for method in AccessMethod.values)
    assert all(has("languages", language) for language in Language.values)
    # The server location of every bundled province (matched by name).
    locations = {c.name for c in tables.server_locations.values()}
    assert {p.name for p in tables.provinces()} <= locations


RENUMBERED = """<?xml version="1.0" encoding="GBK"?>
<DownloadData version="V.3.0"><JCDM><Jcdm_xx>
 <Dwxz_dms>
  <Dwxz_xx><Id>40</Id><Mc>企业</Mc><Sfyx>1</Sfyx></Dwxz_xx>
  <Dwxz_xx><Id>5</Id><Mc>个人</Mc><Sfyx>0</Sfyx></Dwxz_xx>
 </Dwxz_dms>
 <Zjlx_dms>
  <Zjlx_xx><Id>70</Id><Mc>统一社会信用代码证书</Mc><Dwflid>1</Dwflid><Sfyx>1</Sfyx></Zjlx_xx>
  <Zjlx_xx><Id>71</Id><Mc>统一社会信用代码证书</Mc><Dwflid>1</Dwflid><Sfyx>1</Sfyx></Zjlx_xx>
  <Zjlx_xx><Id>2</Id><Mc>居民身份证</Mc><Dwflid>2</Dwflid><Sfyx>1</Sfyx></Zjlx_xx>
 </Zjlx_dms>
</Jcdm_xx></JCDM></DownloadData>
""".encode("gbk")


def test_choice_follows_a_download_that_renumbered_by_name():
    fresh = codes.refresh_from_jcdm(RENUMBERED)
    assert codes.choice("unit_natures", "enterprise", fresh) == 40  # renumbered: by name
    assert codes.choice("unit_natures", "individual", fresh) is None  # no longer valid
    assert codes.choice("unit_natures", "government", fresh) is None  # dropped
    assert codes.choice("certificate_types", "person:resident_id", fresh) == 2  # same id, name
    # A name the download carries twice cannot be told apart: no guess.
    assert codes.choice("certificate_types", "government:uscc", fresh) is None
    assert codes.choice("languages", "zh_hans", fresh) == 1  # not in the download: kept
    assert codes.choice("unit_natures", "no-such-value", fresh) is None


def test_a_value_without_a_code_is_refused_in_words():
    refusal = codes.missing("certificate_types", "enterprise:resident_id")
    assert refusal.code == "authority_code_missing"
    zh, en = refusal.message("zh"), refusal.message("en")
    assert "企业" in zh and "居民身份证" in zh and "证件类型" in zh
    assert "resident_id" not in zh + en and "certificate_types" not in zh + en
    assert "江苏省" in codes.missing("server_locations", "320000").message("zh")
    assert "个人" in codes.missing("unit_natures", "individual").message("zh")
