"""Build the ``UploadData`` XML of ICP filings from :mod:`beian.authority.payloads`.

Element order follows ``upload-data.xsd`` exactly (some groups there are ``xs:sequence``).
The result is validated against the bundled XSD before it is returned.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

from lxml import etree

from ..payloads import (
    RECORD_ELEMENTS,
    SPEC_VERSION,
    Access,
    Attachment,
    CancelKind,
    Cancellation,
    ChangeFiling,
    Domain,
    IpRange,
    Materials,
    NewAccess,
    NewFiling,
    NewWebsite,
    Principal,
    Subject,
    UploadRecord,
    Website,
)
from .errors import PayloadError
from .schemas import SAFE_PARSER, UPLOAD_DATA, validate

MAX_RECORDS = 1000  # spec: at most 1000 records per file
XML_DECLARATION = b'<?xml version="1.0" encoding="GBK"?>\n'

# Record kinds → their child element under XZBA/XZWZ/...
RECORD_CHILD = {
    "XZBA": "Baxx",
    "XZWZ": "Xzxx",
    "XZJR": "Xzxx",
    "BGBA": "Bgxx",
    "ZXBA": "Zx_xx",
    "XZHYD": None,  # its Fjxx sit right under XZHYD
}
ICP_ORDER = ["XZBA", "XZWZ", "XZJR", "BGBA", "HSJG", "WBACLJG", "ZXBA", "XZHYD"]


def build_upload_xml(records: Iterable[UploadRecord], requester_id: int) -> bytes:
    """One ``UploadData`` file (GBK bytes) carrying ``records`` under ``<ICP>``.

    ``requester_id`` is ``Qqdwid``: our ISP id at the authority (the same as ``ispId``).
    Raises :class:`PayloadError` for missing ids and :class:`XsdValidationError` if the XML
    does not match ``upload-data.xsd``.
    """
    root = build_upload_tree(records, requester_id)
    data = to_gbk_bytes(root)
    # Validate what we will actually send: the encoded bytes, parsed back.
    validate(etree.fromstring(data, SAFE_PARSER), UPLOAD_DATA)
    return data


def build_upload_tree(records: Iterable[UploadRecord], requester_id: int) -> etree._Element:
    records = list(records)
    if not records:
        raise PayloadError("an upload needs at least one record")
    if len(records) > MAX_RECORDS:
        raise PayloadError(f"an upload holds at most {MAX_RECORDS} records, got {len(records)}")
    groups: dict[str, list] = {}
    for record in records:
        name = RECORD_ELEMENTS.get(type(record))
        if name is None:
            raise PayloadError(f"not an upload record: {type(record).__name__}")
        groups.setdefault(name, []).append(record)

    root = etree.Element("UploadData", version=SPEC_VERSION)
    icp = _sub(root, "ICP")
    for name in ICP_ORDER:
        if name not in groups:
            continue
        group = _sub(icp, name)
        for record in groups[name]:
            child = RECORD_CHILD[name]
            BUILDERS[name](_sub(group, child) if child else group, record)
    _text(icp, "Qqdwid", requester_id)
    return root


def to_gbk_bytes(root: etree._Element) -> bytes:
    """Serialise with the spec's declaration. Characters outside GBK become character
    references (``&#x4E2D;``), which any XML parser reads back as the same character."""
    text = etree.tostring(root, encoding="unicode")
    return XML_DECLARATION + text.encode("gbk", errors="xmlcharrefreplace")


# --- helpers ------------------------------------------------------------------------------


def _sub(parent, tag):
    return etree.SubElement(parent, tag)


def _text(parent, tag, value):
    """Add ``<tag>value</tag>``; skip when value is None (optional elements)."""
    if value is None:
        return None
    el = etree.SubElement(parent, tag)
    el.text = str(int(value)) if isinstance(value, bool) else str(value)
    return el


def _need(value, what: str, kind: str):
    if value is None or value == "" or value == []:
        raise PayloadError(f"{kind}: {what} is required")
    return value


def _b64(data: bytes | str) -> str:
    if isinstance(data, str):  # already base64 text
        return data
    return base64.b64encode(data).decode("ascii")


# --- shared parts -------------------------------------------------------------------------


def _principal(parent, tag: str, p: Principal, *, name_required: bool, kind: str):
    el = _sub(parent, tag)
    if name_required:
        _need(p.name, f"{tag}.name", kind)
    _text(el, "Fzr_xm", p.name)
    _text(el, "Fzr_dhhm", p.office_phone)
    _text(el, "Fzr_sjhm", _need(p.mobile, f"{tag}.mobile", kind))
    _text(el, "Fzr_dzyj", _need(p.email, f"{tag}.email", kind))
    _text(el, "Msn", p.msn)
    _text(el, "Qq", p.qq)
    _text(el, "Fzr_zjlx", p.certificate_type)
    _text(el, "Fzr_zjhm", p.certificate_number)


def _subject_body(el, s: Subject, kind: str):
    """The part of Zt_xx shared by XZBA and BGBA, after the ids."""
    _text(el, "Dwxz", s.nature)
    _text(el, "Tzr", s.investor)
    txdz = _sub(el, "Txdz")
    _text(txdz, "Shengid", s.address.province_id)
    _text(txdz, "Shiid", s.address.city_id)
    _text(txdz, "Xianid", s.address.county_id)
    _text(txdz, "Xxdz", s.address.detail)
    zj = _sub(el, "Zj")
    _text(zj, "Zjlx", s.certificate.type)
    _text(zj, "Zjhm", s.certificate.number)
    _text(zj, "Zjzs", s.certificate.address)
    _principal(el, "Fzr", s.principal, name_required=False, kind=kind)


def _ip(parent, ip: IpRange, *, with_authority_id: bool):
    el = _sub(parent, "Ip_xx")
    _text(el, "IspIpid", ip.isp_ip_id)
    if with_authority_id:
        _text(el, "Ipid", ip.ip_id)
    try:
        start, end = ip.start_int, ip.end_int
    except ValueError as exc:
        raise PayloadError(f"not an IPv4 address: {exc}") from exc
    if start > end:
        raise PayloadError(f"IP range starts after it ends: {ip.start} > {ip.end}")
    _text(el, "Qsip", start)
    _text(el, "Zzip", end)


def _access_body(el, locations, methods, ips, *, with_authority_id: bool, kind: str):
    wzfb = _sub(el, "Wzfb")
    for code in _need(locations, "Access.locations", kind):
        _text(wzfb, "Fbdd", code)
    wzjrfs = _sub(el, "Wzjrfs")
    for code in _need(methods, "Access.methods", kind):
        _text(wzjrfs, "Jrfs", code)
    for ip in _need(ips, "Access.ips", kind):
        _ip(el, ip, with_authority_id=with_authority_id)


def _access(parent, a: Access, *, change: bool, kind: str):
    el = _sub(parent, "Jr_xx")
    if change:
        _text(el, "Jrid", _need(a.access_id, "Access.access_id", kind))
    else:
        _text(el, "IspJrid", _need(a.isp_access_id, "Access.isp_access_id", kind))
    _access_body(el, a.locations, a.methods, a.ips, with_authority_id=change, kind=kind)


def _domain(parent, d: Domain, *, change: bool, kind: str):
    el = _sub(parent, "Ym_xx")
    _text(el, "IspYmid", _need(d.isp_domain_id, "Domain.isp_domain_id", kind))
    if change:
        _text(el, "Ymid", d.domain_id)
    _text(el, "Ym", d.domain)


def _website(parent, w: Website, *, change: bool, kind: str):
    el = _sub(parent, "Wz_xx")
    if change:
        _text(el, "Wzid", _need(w.website_id, "Website.website_id", kind))
    else:
        _text(el, "IspWzid", _need(w.isp_website_id, "Website.isp_website_id", kind))
    _text(el, "Wzmc", w.name)
    if w.pre_approvals:
        nrlx = _sub(el, "Nrlx")
        for pa in w.pre_approvals:
            item = _sub(nrlx, "Nrlx_xx")
            _text(item, "Nrlx_id", pa.content_type)
            _text(item, "Qzsph", pa.number)
            for scan in _need(pa.scans, "PreApproval.scans", kind):
                _text(item, "Spwj", _b64(scan))
    fwnr = _sub(el, "Fwnr")
    for code in _need(w.service_content, "Website.service_content", kind):
        _text(fwnr, "Fwnr_id", code)
    yylb = _sub(el, "Yylb")
    for code in _need(w.languages, "Website.languages", kind):
        _text(yylb, "Yylb_id", code)
    for d in _need(w.domains, "Website.domains", kind):
        _domain(el, d, change=change, kind=kind)
    for a in _need(w.accesses, "Website.accesses", kind):
        _access(el, a, change=change, kind=kind)
    _principal(el, "Wz_Fzr", w.principal, name_required=True, kind=kind)
    if change:
        _text(el, "Baxh", _need(w.number, "Website.number", kind))
    _text(el, "Syurl", w.home_url)
    _text(el, "Wz_Bz", w.remark)


def _attachment(parent, att: Attachment, *, by_choice: bool, kind: str, wrapped: bool = True):
    """``Fj/Fjxx`` (``Fjxx`` alone in XZHYD). In XZBA ``Ssdxbs`` is a plain id; elsewhere a
    choice of Jlid | Baxh."""
    fjxx = _sub(_sub(parent, "Fj") if wrapped else parent, "Fjxx")
    _text(fjxx, "Fjwjgs", att.file_format)
    _text(fjxx, "Fjyt", att.purpose)
    _text(fjxx, "Fjnr", _b64(_need(att.content, "Attachment.content", kind)))
    owner = _sub(fjxx, "Fjssdx")
    _text(owner, "Ssdxlx", int(att.owner))
    if not by_choice:
        _text(owner, "Ssdxbs", _need(att.owner_id, "Attachment.owner_id", kind))
    else:
        ssdxbs = _sub(owner, "Ssdxbs")
        if att.owner_id is not None:
            _text(ssdxbs, "Jlid", att.owner_id)
        else:
            _text(ssdxbs, "Baxh", _need(att.owner_number, "Attachment.owner_id/number", kind))
    _text(fjxx, "Bz", att.remark)


# --- one builder per record kind ----------------------------------------------------------


def _new_filing(el, r: NewFiling):
    kind = "XZBA"
    s = r.subject
    zt = _sub(el, "Zt_xx")
    _text(zt, "IspZtid", _need(s.isp_subject_id, "Subject.isp_subject_id", kind))
    _text(zt, "Dwmc", s.name)
    _subject_body(zt, s, kind)
    _text(zt, "Bbfs", 1 if s.filed_by_provider else 0)
    _text(zt, "Bz", s.remark)
    for w in _need(r.websites, "websites", kind):
        _website(el, w, change=False, kind=kind)
    for att in r.attachments:
        _attachment(el, att, by_choice=False, kind=kind)


def _new_website(el, r: NewWebsite):
    kind = "XZWZ"
    zt = _sub(el, "Zt_xx")
    if r.subject_number:
        _text(zt, "Ztbah", r.subject_number)
    else:
        _text(zt, "Ztid", _need(r.subject_id, "subject_number or subject_id", kind))
    for w in _need(r.websites, "websites", kind):
        _website(el, w, change=False, kind=kind)
    for att in r.attachments:
        _attachment(el, att, by_choice=True, kind=kind)
    _text(el, "ICPmm", r.filing_password)


def _new_access(el, r: NewAccess):
    kind = "XZJR"
    wz = _sub(el, "Wz_xx")
    if r.website_number:
        _text(wz, "Wzbah", r.website_number)
    else:
        _text(wz, "Wzid", _need(r.website_id, "website_number or website_id", kind))
    _text(el, "IspJrid", _need(r.isp_access_id, "isp_access_id", kind))
    _access_body(el, r.locations, r.methods, r.ips, with_authority_id=False, kind=kind)
    for att in r.attachments:
        _attachment(el, att, by_choice=True, kind=kind)
    _text(el, "ICPmm", _need(r.filing_password, "filing_password", kind))


def _change_filing(el, r: ChangeFiling):
    kind = "BGBA"
    s = r.subject
    zt = _sub(el, "Zt_xx")
    _text(zt, "Ztid", _need(s.subject_id, "Subject.subject_id", kind))
    _text(zt, "Dwmc", s.name)
    _text(zt, "Baxh", _need(s.number, "Subject.number", kind))
    _subject_body(zt, s, kind)
    _text(zt, "Bz", s.remark)
    for w in _need(r.websites, "websites", kind):
        _website(el, w, change=True, kind=kind)
    for att in r.attachments:
        _attachment(el, att, by_choice=True, kind=kind)
    _text(el, "ICPmm", r.filing_password)


def _cancellation(el, r: Cancellation):
    kind = "ZXBA"
    if r.kind == CancelKind.SUBJECT:
        _need(r.filing_password, "filing_password (to cancel a subject)", kind)
    _text(el, "Zxlb", int(r.kind))
    _text(el, "Jlid", r.record_id)
    _text(el, "Zxly", r.reason)
    _text(el, "Zxlybz", r.reason_note)
    _text(el, "ICPmm", r.filing_password)


def _materials(el, r: Materials):
    for att in _need(r.attachments, "attachments", "XZHYD"):
        _attachment(el, att, by_choice=True, kind="XZHYD", wrapped=False)


BUILDERS = {
    "XZBA": _new_filing,
    "XZWZ": _new_website,
    "XZJR": _new_access,
    "BGBA": _change_filing,
    "ZXBA": _cancellation,
    "XZHYD": _materials,
}


# --- batches -----------------------------------------------------------------------------

MAX_FILE_BYTES = 50 * 1024 * 1024  # spec: a file is at most 50 MB


def batches(records: Iterable[UploadRecord], requester_id: int, *, max_bytes=MAX_FILE_BYTES):
    """``records`` as upload files (GBK bytes, each validated), in order, each at most
    ``max_bytes`` and ``MAX_RECORDS`` records. A record is measured in a file of its own;
    a file's records together are never more than that (the envelope counted per record),
    so no file is over. A record too large for a file alone raises :class:`PayloadError`."""
    files, current, size = [], [], 0
    for record in records:
        alone = len(build_upload_xml([record], requester_id))
        if alone > max_bytes:
            raise PayloadError(f"one record alone is {alone} bytes, over {max_bytes}")
        if current and (len(current) >= MAX_RECORDS or size + alone > max_bytes):
            files.append(build_upload_xml(current, requester_id))
            current, size = [], 0
        current.append(record)
        size += alone
    if current:
        files.append(build_upload_xml(current, requester_id))
    return files
