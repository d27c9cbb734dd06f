"""sample-payloads writes what goes out; a third-party SOAP client loads the WSDL and calls."""

import json

import pytest
from django.core.management import call_command

from beian.authority.codec import auth_params, decode_payload
from beian.authority.codec.schemas import UPLOAD_DATA, load_schema
from beian.authority.soap import SERVICES

pytestmark = pytest.mark.django_db

TYPES = ["XZBA", "XZWZ", "XZJR", "BGBA", "ZXBA"]


def test_sample_payloads_validate_and_decode_to_the_same_xml(tmp_path, settings):
    from lxml import etree

    call_command("authority", "sample-payloads", str(tmp_path))
    schema = load_schema(UPLOAD_DATA)
    for kind in TYPES:
        xml = (tmp_path / f"{kind}.xml").read_bytes()
        assert xml.startswith(b'<?xml version="1.0" encoding="GBK"?>')
        doc = etree.fromstring(xml)
        assert schema.validate(doc), schema.error_log
        assert doc.find(f"ICP/{kind}") is not None
        sent = json.loads((tmp_path / f"{kind}.json").read_text(encoding="utf-8"))
        params = sent["params"]
        assert list(params)[:4] == ["ispId", "userName", "randVal", "pwdHash"]
        assert params["encryptAlgorithm"] == 1  # the default demo key and IV
        name, decoded = decode_payload(
            params["beianInfo"],
            params["beianInfoHash"],
            encrypt_algorithm=1,
            key="0102030405060708",
            iv="0102030405060708",
        )
        assert decoded == xml and name == sent["file_name"]


@pytest.mark.integration
def test_zeep_loads_the_wsdl_and_calls_every_service(sim_url):
    zeep = pytest.importorskip("zeep")
    from lxml import etree

    from beian.authority.client import setting

    auth = auth_params(
        isp_id=int(setting("AUTHORITY_ISP_ID")),
        user_name=setting("AUTHORITY_USER"),
        password=setting("AUTHORITY_PASSWORD"),
    )
    clients = {name: zeep.Client(f"{sim_url}{path}?wsdl") for name, path in SERVICES.items()}
    answer = clients["upDownLoad"].service.isp_querypreviousupload(**auth)
    root = etree.fromstring(answer.encode())
    # Nothing received yet: no fileInfos, which the return schema would need filled.
    assert root.findtext("msg_code") == "0" and root.find("fileInfos") is None
    from beian.authority import soap

    assert soap.parse_return("isp_querypreviousupload", answer).findtext("msg") == "操作成功"
    answer = clients["upDownLoad"].service.isp_download(**auth)
    assert etree.fromstring(answer.encode()).findtext("msg_code") == "2"  # nothing to download
    answer = clients["queryBeianStatus"].service.isp_querybeianstatus(
        **auth, queryConditionType=0, queryCondition="example.cn"
    )
    assert etree.fromstring(answer.encode()).findtext("StatusInfo/Bazt") == "1"
    answer = clients["verifyBamm"].service.isp_verifybamm(
        **auth, baxh="苏ICP备2025000001号", bamm="x"
    )
    assert etree.fromstring(answer.encode()).findtext("VerifyRes") == "1"
    bad = {**auth, "pwdHash": "AAAAAAAAAAAAAAAAAAAAAA=="}
    answer = clients["upDownLoad"].service.isp_download(**bad)
    assert etree.fromstring(answer.encode()).findtext("msg_code") == "5"
    for client in clients.values():
        client.transport.session.close()
