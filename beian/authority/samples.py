"""`beian authority sample-payloads DIR`: each upload type as it goes out, from demo data.

For XZBA, XZWZ, XZJR, BGBA and ZXBA: ``TYPE.xml`` (the decoded GBK XML) and ``TYPE.json``
(the ten isp_upload parameters as sent, with the client's settings) so operators and tests can
inspect exactly what goes out. The demo data is the seed's filer (张伟, Suzhou).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from beian.authority import codes
from beian.authority.client import AuthorityClient
from beian.authority.codec import (
    build_upload_xml,
    encode_payload,
    filing_password_digest,
    isp_upload_params,
    upload_file_name,
)
from beian.authority.mapping import server_location
from beian.authority.payloads import (
    Access,
    Address,
    Cancellation,
    Certificate,
    ChangeFiling,
    Domain,
    IpRange,
    NewAccess,
    NewFiling,
    NewWebsite,
    Principal,
    Subject,
    Website,
)

SEED_ID = "320508199003072316"
PASSWORD_MD5 = filing_password_digest("demo-filing-password")


def _code(table: str, value: str) -> int:
    """The id in force for one of Beian's values (codes.json ``beian``; a JCDM download)."""
    return codes.choice(table, value)


def _principal() -> Principal:
    return Principal(
        name="张伟",
        mobile="13912345678",
        email="zhangwei@example.cn",
        certificate_type=_code("certificate_types", "person:resident_id"),
        certificate_number=SEED_ID,
    )


def _subject(change: bool = False) -> Subject:
    return Subject(
        name="张伟",
        address=Address(320000, 320500, 320508, "江苏省苏州市姑苏区人民路100号3幢201室"),
        certificate=Certificate(
            _code("certificate_types", "person:resident_id"),
            SEED_ID,
            "江苏省苏州市姑苏区人民路100号",
        ),
        principal=_principal(),
        nature=_code("unit_natures", "individual"),
        isp_subject_id=None if change else 1,
        subject_id=2001 if change else None,
        number="苏ICP备2025000001号" if change else None,
    )


def _website(change: bool = False) -> Website:
    return Website(
        name="张伟的读书笔记",
        domains=[Domain("zhangwei-notes.cn", isp_domain_id=1, domain_id=3001 if change else None)],
        accesses=[
            Access(
                ips=[IpRange.single("203.0.113.10", 1, 3003 if change else None)],
                methods=[_code("access_methods", "virtual_host")],
                locations=[server_location("320000")],
                isp_access_id=None if change else 1,
                access_id=3002 if change else None,
            )
        ],
        principal=_principal(),
        service_content=[_code("service_contents", "blog")],
        languages=[_code("languages", "zh_hans")],
        home_url="http://www.zhangwei-notes.cn",
        remark="个人读书笔记与技术学习记录，不涉及任何经营性内容。",
        isp_website_id=None if change else 1,
        website_id=2002 if change else None,
        number="苏ICP备2025000001号-1" if change else None,
    )


def demo_records() -> dict[str, list]:
    return {
        "XZBA": [NewFiling(_subject(), [_website()])],
        "XZWZ": [NewWebsite([_website()], subject_number="苏ICP备2025000001号")],
        "XZJR": [
            NewAccess(
                isp_access_id=2,
                ips=[IpRange.single("203.0.113.20", 2)],
                methods=[_code("access_methods", "virtual_host")],
                locations=[server_location("320000")],
                filing_password=PASSWORD_MD5,
                website_number="京ICP备2020000001号-1",
            )
        ],
        "BGBA": [ChangeFiling(_subject(change=True), [_website(change=True)])],
        "ZXBA": [
            Cancellation.cancel_access(
                3002, reason=_code("cancel_reasons", "changed_provider"), note="客户迁出"
            )
        ],
    }


def write_samples(directory: str | Path, client: AuthorityClient | None = None) -> list[Path]:
    client = client or AuthorityClient.from_settings()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    when = datetime(2025, 10, 14, 9, 0, 0)
    for seq, (kind, records) in enumerate(demo_records().items(), start=1):
        xml = build_upload_xml(records, requester_id=client.isp_id)
        payload = encode_payload(
            xml,
            upload_file_name(client.isp_id, seq, when),
            encrypt_algorithm=client.encrypt_algorithm,
            key=client.key or None,
            iv=client.iv or None,
        )
        params = isp_upload_params(
            isp_id=client.isp_id,
            user_name=client.user_name,
            password=client.password,
            payload=payload,
            data_sequence=seq,
        )
        xml_path, json_path = out / f"{kind}.xml", out / f"{kind}.json"
        xml_path.write_bytes(xml)
        json_path.write_text(
            json.dumps(
                {"method": "isp_upload", "file_name": payload.file_name, "params": params},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        written += [xml_path, json_path]
    return written
