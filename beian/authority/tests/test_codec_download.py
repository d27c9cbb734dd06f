"""Downloads: hand-written DownloadData files (per download-data.xsd) decoded end to end."""

import base64
import hashlib

import pytest
from lxml import etree

from beian.authority.codec import (
    ENCRYPT_AES,
    HashMismatch,
    XsdValidationError,
    decode_download,
    encode_payload,
    parse_download_xml,
)
from beian.authority.payloads import CancelKind, FilingOperation

from .test_codec_xml import reference_schema

KEY, IV = "0102030405060708", "0102030405060708"

APPROVAL = """<?xml version="1.0" encoding="GBK"?>
<DownloadData version="V.3.0">
 <ICP>
  <BASJ>
   <Baxx>
    <Zt_xx>
     <IspZtid>1</IspZtid>
     <Ztid>4001</Ztid>
     <Dwmc>张三</Dwmc>
     <Dwxz>5</Dwxz>
     <Txdz><Shengid>320000</Shengid><Shiid>320500</Shiid><Xianid>320508</Xianid>
      <Xxdz>江苏省苏州市姑苏区人民路100号3幢201室</Xxdz></Txdz>
     <Zj><Zjlx>2</Zjlx><Zjhm>320505199001011234</Zjhm><Zjzs>苏州市姑苏区人民路100号</Zjzs></Zj>
     <Fzr><Fzr_xm>张三</Fzr_xm><Fzr_sjhm>13912345678</Fzr_sjhm>
      <Fzr_dzyj>zhangsan@example.com</Fzr_dzyj></Fzr>
     <Baxh>苏ICP备14012345号</Baxh>
     <Bbyhlx>1</Bbyhlx>
     <Scbbsj>2014-06-12</Scbbsj>
     <Zjxgsj>2014-06-30</Zjxgsj>
    </Zt_xx>
    <Wz_xx>
     <IspWzid>11</IspWzid>
     <Wzid>5001</Wzid>
     <Wzmc>张三的技术笔记</Wzmc>
     <Fwnr><Fwnr_id>4</Fwnr_id></Fwnr>
     <Yylb><Yylb_id>1</Yylb_id></Yylb>
     <Ym_xx><IspYmid>111</IspYmid><Ymid>7001</Ymid><Ym>zhangsan-notes.cn</Ym></Ym_xx>
     <Jr_xx>
      <IspJrid>113</IspJrid><Jrid>8001</Jrid><Ispid>1001</Ispid>
      <Wzfb><Fbdd>10</Fbdd></Wzfb><Wzjrfs><Jrfs>3</Jrfs></Wzjrfs>
      <Ip_xx><IspIpid>112</IspIpid><Ipid>9001</Ipid><Qsip>2032664842</Qsip><Zzip>2032664842</Zzip></Ip_xx>
     </Jr_xx>
     <Wz_Fzr><Fzr_xm>张三</Fzr_xm><Fzr_sjhm>13912345678</Fzr_sjhm></Wz_Fzr>
     <Syurl>http://www.zhangsan-notes.cn</Syurl>
     <Baxh>苏ICP备14012345号-1</Baxh>
    </Wz_xx>
   </Baxx>
  </BASJ>
  <BAJG>
   <Jg_xx>
    <Jgxx><Jgdm>1001</Jgdm><Dmms>管局审核通过</Dmms></Jgxx>
    <Czlx>1</Czlx>
    <Bs>1</Bs>
   </Jg_xx>
   <GJSHS>
    <Gjsh><Shrxm>李四</Shrxm><Shsj>2014-06-30</Shsj><Shyj>信息真实，同意备案</Shyj>
     <Shjg>1</Shjg><Czlx>1</Czlx><Jlid>1</Jlid></Gjsh>
   </GJSHS>
  </BAJG>
 </ICP>
</DownloadData>
"""

REJECTION = """<?xml version="1.0" encoding="GBK"?>
<DownloadData version="V.3.0">
 <ICP>
  <BAJG>
   <Jg_xx>
    <Jgxx><Jgdm>1002</Jgdm><Dmms>管局审核拒绝</Dmms></Jgxx>
    <Jgxx><Jgdm>1005</Jgdm><Dmms>域名冲突</Dmms></Jgxx>
    <Jgxx><Jgdm>1041</Jgdm></Jgxx>
    <Czlx>2</Czlx>
    <Bs>苏ICP备14012345号</Bs>
    <Bz>请核实后再次报备</Bz>
   </Jg_xx>
   <GJSHS>
    <Gjsh><Shsj>2014-07-01</Shsj><Shyj>域名已在其他主体下备案</Shyj><Shjg>0</Shjg></Gjsh>
   </GJSHS>
  </BAJG>
  <ZXSJ>
   <Zxxx><Zxlb>1</Zxlb><Jlid>5002</Jlid><Bz>责令关闭</Bz></Zxxx>
  </ZXSJ>
 </ICP>
</DownloadData>
"""


def gbk(text: str) -> bytes:
    return text.encode("gbk")


@pytest.mark.parametrize("doc", [APPROVAL, REJECTION])
def test_hand_written_samples_are_valid_against_the_reference_xsd(doc):
    schema = reference_schema("download-data.xsd")
    assert schema.validate(etree.fromstring(gbk(doc))), schema.error_log


def test_approval_gives_numbers_and_authority_ids():
    data = parse_download_xml(gbk(APPROVAL))
    assert data.section == "ICP" and data.version == "V.3.0"
    [filing] = data.filings
    assert (filing.isp_subject_id, filing.subject_id) == (1, 4001)
    assert filing.subject_number == "苏ICP备14012345号"
    [site] = filing.websites
    assert (site.isp_website_id, site.website_id, site.number) == (11, 5001, "苏ICP备14012345号-1")
    assert (site.domains[0].isp_domain_id, site.domains[0].domain_id) == (111, 7001)
    [access] = site.accesses
    assert (access.isp_access_id, access.access_id, access.isp_id) == (113, 8001, 1001)
    assert (access.ips[0].isp_ip_id, access.ips[0].ip_id) == (112, 9001)
    assert access.ips[0].start == "121.40.1.10"
    [result] = data.results
    assert result.approved and not result.reasons
    assert result.operation == FilingOperation.NEW_FILING and result.key == "1"
    [review] = data.reviews
    assert review.approved and review.opinion == "信息真实，同意备案" and review.record_id == 1


def test_rejection_gives_reasons_with_translations():
    data = parse_download_xml(gbk(REJECTION))
    [result] = data.results
    assert result.rejected and not result.approved
    assert result.operation == FilingOperation.NEW_WEBSITE
    assert [c.code for c in result.reasons] == [1005, 1041]
    assert result.reasons[0].message == "域名冲突"
    assert result.reasons[1].zh == "网站首页URL中必须包含域名中的其中一项，请核实后再次报备"
    assert result.reasons[1].en.startswith("The home page URL must contain")
    assert result.remark == "请核实后再次报备"
    assert not data.reviews[0].approved
    assert data.cancellations[0].kind == CancelKind.WEBSITE
    assert data.cancellations[0].record_id == 5002


@pytest.mark.parametrize("encrypt", [0, ENCRYPT_AES])
def test_decode_download_end_to_end(encrypt):
    payload = encode_payload(
        gbk(APPROVAL), "download0001.xml", encrypt_algorithm=encrypt, key=KEY, iv=IV
    )
    data = decode_download(
        payload.beian_info,
        payload.beian_info_hash,
        encrypt_algorithm=encrypt,
        key=KEY,
        iv=IV,
    )
    assert data.file_name == "download0001.xml"
    assert data.filings[0].websites[0].number == "苏ICP备14012345号-1"


def test_decode_download_refuses_a_mismatching_hash():
    payload = encode_payload(gbk(APPROVAL), "download0001.xml")
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(HashMismatch):
        decode_download(payload.beian_info, wrong)


def test_download_not_matching_the_xsd_is_refused():
    bad = APPROVAL.replace("<Czlx>1</Czlx>\n    <Bs>1</Bs>", "<Czlx>99</Czlx>")
    with pytest.raises(XsdValidationError, match="Czlx"):
        parse_download_xml(gbk(bad))


def test_entities_are_not_expanded():
    evil = APPROVAL.replace(
        '<DownloadData version="V.3.0">',
        '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><DownloadData version="V.3.0">',
    ).replace("<Dwmc>张三</Dwmc>", "<Dwmc>&x;</Dwmc>")
    with pytest.raises(XsdValidationError, match="DOCTYPE"):
        parse_download_xml(gbk(evil))


def test_malformed_xml_is_a_codec_error():
    with pytest.raises(XsdValidationError, match="well-formed"):
        parse_download_xml(b"<DownloadData")
