"""Code tables: the bundled starting set and the refresh from a JCDM download."""

from lxml import etree

from beian.authority import codes
from beian.authority.codec import parse_download_xml

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
    assert tables.name("certificate_types", 2) == "身份证"
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
    assert fresh.content_types[1].extra["needs_pre_approval"] == "1"
    assert fresh.attachment_purposes[1].extra["owner"] == 1
    # Tables absent from the download are kept; the base is not modified.
    assert fresh.certificate_types == base.certificate_types
    assert 3 in base.unit_natures and 3 not in fresh.unit_natures


def test_refresh_accepts_raw_bytes_and_round_trips_through_dicts():
    fresh = codes.refresh_from_jcdm(JCDM)
    again = codes.CodeTables.from_dict(fresh.to_dict())
    assert again.unit_natures == fresh.unit_natures
    assert again.regions[320571].level == 3
