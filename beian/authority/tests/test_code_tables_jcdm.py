"""The code tables in force: a JCDM download replaces the bundled set, uploads then carry the
downloaded ids (through the simulator on loopback), and the simulator's JCDM is the bundled
set, valid against the reference XSD."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from beian.authority import adapter, codes, services
from beian.authority.codes import JCDM_TABLES, CodeTables
from beian.authority.models import CodeTableSet, DownloadFile, Upload
from beian.authority.samples import demo_records
from beian.authority.sim import services as sim_services
from beian.authority.sim.build import code_tables_xml
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

from .test_codec_xml import reference_schema
from .test_codes import JCDM
from .test_loopback_life import console

pytestmark = pytest.mark.django_db


def test_the_simulators_jcdm_is_the_bundled_set_and_valid_against_the_reference_xsd():
    xml = code_tables_xml()
    schema = reference_schema("download-data.xsd")
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    sent = codes.read_jcdm(xml)
    bundled = codes.load_bundled()
    jcdm_tables = {name for name, *_rest in JCDM_TABLES if bundled.table(name)}
    assert set(sent) == jcdm_tables  # every downloadable bundled table, nothing else
    assert "server_locations" not in sent  # not part of JCDM
    for name, rows in sent.items():
        extras = dict(next(t for t in JCDM_TABLES if t[0] == name)[4])
        expected = []
        for code in bundled.table(name).values():
            row = {"id": code.id, "name": code.name, "valid": code.valid}
            values = {**code.extra, "level": getattr(code, "level", None)}
            row.update({k: values[k] for k in extras if values.get(k) is not None})
            expected.append(row)
        assert rows == expected, name


def test_current_is_the_bundled_set_until_a_download_is_stored():
    assert codes.current() is codes.load_bundled()
    stored = codes.store_jcdm(JCDM, source="D1.xml")
    assert codes.current() == stored
    assert sorted(stored.unit_natures) == [1, 5, 7, 9]
    assert stored.certificate_types == codes.load_bundled().certificate_types  # kept
    row = CodeTableSet.objects.get()
    assert row.source == "D1.xml"
    # A second download lays its tables over those in force, not over the bundled ones.
    second = JCDM.replace(b"<Mc>\xbb\xf9\xbd\xf0\xbb\xe1</Mc>", b"<Mc>\xbb\xf9\xbd\xf0</Mc>")
    again = codes.store_jcdm(second, source="D2.xml")
    assert CodeTableSet.objects.count() == 2
    assert again.unit_natures[9].valid is False and again.name("unit_natures", 7) == "基金"
    # A JCDM without any table changes nothing.
    empty = (
        b'<?xml version="1.0" encoding="GBK"?><DownloadData version="V.3.0"><JCDM/></DownloadData>'
    )
    assert codes.store_jcdm(empty) == again and CodeTableSet.objects.count() == 2


def renumbered() -> CodeTables:
    """The bundled set as a province that numbers some codes its own way."""
    bundled = codes.load_bundled()
    moves = {
        "unit_natures": {5: 50},
        "certificate_types": {2: 60},
        "access_methods": {5: 7},
    }  # 云接入: a cloud server
    moves["languages"] = {1: 9, 9: 1}  # 中文简体 ⇄ 朝鲜语
    tables = dict(bundled.tables)
    for name, move in moves.items():
        tables[name] = {
            move.get(c.id, c.id): replace(c, id=move.get(c.id, c.id))
            for c in bundled.table(name).values()
        }
    return CodeTables(tables)


@pytest.fixture
def ready(clock, applicant, staff, hosting_owner):
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    return drive_to(app, staff, target=S.READY)


def sent_codes(upload: Upload) -> dict:
    doc = etree.fromstring(bytes(upload.xml))
    return {tag: [el.text for el in doc.iter(tag)] for tag in ("Dwxz", "Zjlx", "Jrfs", "Yylb_id")}


@pytest.mark.integration
def test_uploads_carry_the_ids_of_the_downloaded_code_tables(ready, staff, sim_url, authority):
    sim_services.queue_code_tables(renumbered())
    result = services.sync_downloads(authority)
    assert not result.problems, result.problems
    stored = DownloadFile.objects.get(file_name=result.files[0])
    assert stored.acknowledged_at is not None
    # What the JCDM download handler does with the file (one call).
    codes.store_jcdm(stored.xml, source=stored.file_name)
    assert codes.choice("unit_natures", "individual") == 50

    submitted = adapter.submit(ready, staff["operator"], client=authority)
    assert submitted.accepted, submitted.message  # the simulator validated it (XSD)
    upload = Upload.objects.get(application=submitted.application)
    assert sent_codes(upload) == {
        "Dwxz": ["50"],
        "Zjlx": ["60"],
        "Jrfs": ["7"],
        "Yylb_id": ["9"],
    }


@pytest.mark.integration
def test_the_console_sends_the_bundled_tables_and_beian_stores_them(sim_url, authority):
    page = console(sim_url).post("/console/jcdm", "/console/", {})
    assert "已下发 / Queued" in page
    result = services.sync_downloads(authority)
    assert not result.problems, result.problems
    stored = DownloadFile.objects.get(file_name=result.files[0])
    in_force = codes.store_jcdm(stored.xml, source=stored.file_name)
    bundled = codes.load_bundled()
    for name in bundled.tables:
        assert in_force.table(name).keys() == bundled.table(name).keys(), name
        assert [c.name for c in in_force.table(name).values()] == [
            c.name for c in bundled.table(name).values()
        ], name
    # English names are the bundled ones: the download carries none, the ids kept theirs.
    assert in_force.unit_natures[1].name_en == "Defence institution"


def test_the_demo_sample_payloads_name_the_demo_filers_codes():
    xzba = demo_records()["XZBA"][0]
    website, subject = xzba.websites[0], xzba.subject
    tables = codes.current()
    assert tables.name("unit_natures", subject.nature) == "个人"
    assert tables.name("certificate_types", subject.certificate.type) == "居民身份证"
    assert tables.name("server_locations", website.accesses[0].locations[0]) == "江苏省"
    assert tables.name("access_methods", website.accesses[0].methods[0]) == "虚拟主机"
    assert tables.name("service_contents", website.service_content[0]) == "博客/个人空间"
    assert tables.name("languages", website.languages[0]) == "中文简体"
