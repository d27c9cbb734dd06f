"""Read ``DownloadData`` files (``download-data.xsd``): approvals, results, cancellations.

The parts Beian acts on become dataclasses:

* ``ICP/BASJ/Baxx`` → :class:`IssuedFiling`: the filed record with the authority's ids and
  ICP numbers, matched to ours by the ``Isp*id`` values we uploaded;
* ``ICP/BAJG/Jg_xx`` → :class:`FilingResult`: result codes of a request (1001 approved,
  1002 rejected, 10xx reasons — see ``beian.authority.returncodes``);
* ``ICP/BAJG/GJSHS/Gjsh`` → :class:`AuthorityReview`: the reviewer's opinion;
* ``ICP/ZXSJ/Zxxx`` → :class:`CancelledRecord`; ``ICP/XGTZ/Tzxx`` → :class:`Notice`.

The other ICP parts are lists of items, each a plain dict (:func:`element_to_dict`, with
its element's name under ``"_tag"``) in :attr:`DownloadData.items`: ``HMDLB`` (Zthmdxxs,
Wzhmdxxs), ``FFJRHMD`` (Ffjrxx), ``WBAWZLB`` (Wbawz_xx), ``HSRW`` (Baxx), ``HCJG`` (Zthc,
Jrhc, Kkwzhc, Wzch). The ``IP``, ``YM`` and ``SJTB`` sections stay whole in
:attr:`DownloadData.other`; ``JCDM`` code tables are read by ``beian.authority.codes``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from ..payloads import CancelKind
from ..returncodes import describe
from .packaging import COMPRESSION_ZIP, ENCRYPT_NONE, HASH_MD5, decode_payload
from .schemas import DOWNLOAD_DATA, parse_xml, validate

APPROVED = 1001  # 管局审核通过
REJECTED = 1002  # 管局审核拒绝


@dataclass
class ResultCode:
    """One ``Jgxx``: a processing code with the authority's text and our translation."""

    code: int  # Jgdm
    message: str | None  # Dmms (as sent)
    zh: str  # our table's Chinese text
    en: str  # our table's English text


@dataclass
class FilingResult:
    """``BAJG/Jg_xx``: the outcome of one uploaded request."""

    operation: int  # Czlx — FilingOperation (1 新增备案 ... 7 注销网站, 35 核验材料)
    key: str | None  # Bs — our subject id (XZBA), subject number (XZWZ), website number (XZJR)...
    codes: list[ResultCode]  # Jgxx (1..n)
    remark: str | None = None  # Bz

    @property
    def approved(self) -> bool:
        return any(c.code == APPROVED for c in self.codes)

    @property
    def rejected(self) -> bool:
        return not self.approved

    @property
    def reasons(self) -> list[ResultCode]:
        """The codes other than 'approved' / 'rejected': why it was refused."""
        return [c for c in self.codes if c.code not in (APPROVED, REJECTED)]


@dataclass
class AuthorityReview:
    """``BAJG/GJSHS/Gjsh``: the provincial reviewer's decision and opinion."""

    approved: bool  # Shjg: 1 通过, 0 拒绝
    reviewed_at: str  # Shsj (YYYY-MM-DD[...])
    opinion: str | None = None  # Shyj
    reviewer: str | None = None  # Shrxm
    reviewer_phone: str | None = None  # Shr_dhhm
    operation: int | None = None  # Czlx
    record_id: int | None = None  # Jlid — our id for new records, the authority's otherwise


@dataclass
class IssuedIp:
    ip_id: int  # Ipid
    start: str  # Qsip (dotted)
    end: str  # Zzip
    isp_ip_id: int | None = None  # IspIpid


@dataclass
class IssuedAccess:
    access_id: int  # Jrid
    isp_id: int  # Ispid — the provider that hosts it
    ips: list[IssuedIp]
    isp_access_id: int | None = None  # IspJrid


@dataclass
class IssuedDomain:
    domain_id: int  # Ymid
    domain: str  # Ym
    isp_domain_id: int | None = None  # IspYmid


@dataclass
class IssuedWebsite:
    website_id: int  # Wzid
    name: str  # Wzmc
    number: str | None  # Baxh — website ICP number (…号-N)
    domains: list[IssuedDomain]
    accesses: list[IssuedAccess]
    isp_website_id: int | None = None  # IspWzid
    home_url: str | None = None  # Syurl


@dataclass
class IssuedFiling:
    """``BASJ/Baxx``: a filing as the authority holds it, with its ids and numbers."""

    subject_id: int  # Zt_xx/Ztid
    subject_name: str  # Zt_xx/Dwmc
    subject_number: str | None  # Zt_xx/Baxh
    websites: list[IssuedWebsite]
    isp_subject_id: int | None = None  # Zt_xx/IspZtid
    raw: dict = field(default_factory=dict)  # the whole Baxx as a dict


@dataclass
class CancelledRecord:
    """``ZXSJ/Zxxx``: a subject or website the authority cancelled."""

    kind: CancelKind  # Zxlb
    record_id: int  # Jlid (authority id)
    remark: str | None = None  # Bz


@dataclass
class Notice:
    """``XGTZ/Tzxx``: a request to correct a filing."""

    kind: int  # Tzlb: 0 subject, 1 website
    content: str  # Tznr
    number: str | None = None  # Baxh
    record_id: int | None = None  # Jlid
    remark: str | None = None  # Bz


@dataclass
class DownloadData:
    """One decoded download file."""

    section: str  # ICP | IP | YM | JCDM | SJTB
    version: str  # DownloadData/@version
    filings: list[IssuedFiling] = field(default_factory=list)
    results: list[FilingResult] = field(default_factory=list)
    reviews: list[AuthorityReview] = field(default_factory=list)
    cancellations: list[CancelledRecord] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    items: dict[str, list[dict]] = field(default_factory=dict)  # other ICP parts, per item
    other: dict[str, Any] = field(default_factory=dict)  # IP / YM / SJTB sections as dicts
    root: Any = None  # the parsed lxml root (for codes.store_jcdm)
    file_name: str | None = None  # return_FileName, when decoded from a payload


# --- reading helpers ----------------------------------------------------------------------


def _children(el):
    return [c for c in el if isinstance(c.tag, str)]


def element_to_dict(el) -> Any:
    """Leaf → its text; otherwise {tag: value}, a repeated tag becoming a list."""
    kids = _children(el)
    if not kids:
        return el.text
    out: dict[str, Any] = {}
    for c in kids:
        value = element_to_dict(c)
        if c.tag not in out:
            out[c.tag] = value
        elif isinstance(out[c.tag], list):  # values are str/dict, so a list means "repeated"
            out[c.tag].append(value)
        else:
            out[c.tag] = [out[c.tag], value]
    return out


def _t(el, path: str) -> str | None:
    found = el.find(path)
    return found.text if found is not None else None


def _i(el, path: str) -> int | None:
    text = _t(el, path)
    return int(text) if text not in (None, "") else None


def _ip(value: int | None) -> str:
    return str(ipaddress.IPv4Address(value or 0))


# --- the parts ----------------------------------------------------------------------------


def _issued_filing(baxx) -> IssuedFiling:
    zt = baxx.find("Zt_xx")
    websites = []
    for wz in baxx.findall("Wz_xx"):
        domains = [
            IssuedDomain(_i(ym, "Ymid"), _t(ym, "Ym"), _i(ym, "IspYmid"))
            for ym in wz.findall("Ym_xx")
        ]
        accesses = []
        for jr in wz.findall("Jr_xx"):
            ips = [
                IssuedIp(
                    _i(ip, "Ipid"), _ip(_i(ip, "Qsip")), _ip(_i(ip, "Zzip")), _i(ip, "IspIpid")
                )
                for ip in jr.findall("Ip_xx")
            ]
            accesses.append(IssuedAccess(_i(jr, "Jrid"), _i(jr, "Ispid"), ips, _i(jr, "IspJrid")))
        websites.append(
            IssuedWebsite(
                website_id=_i(wz, "Wzid"),
                name=_t(wz, "Wzmc"),
                number=_t(wz, "Baxh"),
                domains=domains,
                accesses=accesses,
                isp_website_id=_i(wz, "IspWzid"),
                home_url=_t(wz, "Syurl"),
            )
        )
    return IssuedFiling(
        subject_id=_i(zt, "Ztid"),
        subject_name=_t(zt, "Dwmc"),
        subject_number=_t(zt, "Baxh"),
        websites=websites,
        isp_subject_id=_i(zt, "IspZtid"),
        raw=element_to_dict(baxx),
    )


def as_list(value) -> list:
    """A value of :func:`element_to_dict` that may repeat, always as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _items(part) -> list[dict]:
    """The items of a list part: its children (HCJG: the children of its Jgxx)."""
    parent = part.find("Jgxx") if part.tag == "HCJG" else part
    out = []
    for el in _children(parent) if parent is not None else []:
        item = element_to_dict(el)
        out.append({"_tag": el.tag, **(item if isinstance(item, dict) else {})})
    return out


def _result(jg) -> FilingResult:
    codes = []
    for jgxx in jg.findall("Jgxx"):
        code = _i(jgxx, "Jgdm")
        zh, en = describe(code)
        codes.append(ResultCode(code, _t(jgxx, "Dmms"), zh, en))
    return FilingResult(_i(jg, "Czlx"), _t(jg, "Bs"), codes, _t(jg, "Bz"))


def _review(g) -> AuthorityReview:
    return AuthorityReview(
        approved=_i(g, "Shjg") == 1,
        reviewed_at=_t(g, "Shsj"),
        opinion=_t(g, "Shyj"),
        reviewer=_t(g, "Shrxm"),
        reviewer_phone=_t(g, "Shr_dhhm"),
        operation=_i(g, "Czlx"),
        record_id=_i(g, "Jlid"),
    )


def _read_icp(icp, data: DownloadData) -> None:
    for part in _children(icp):
        if part.tag == "BASJ":
            data.filings += [_issued_filing(b) for b in part.findall("Baxx")]
        elif part.tag == "BAJG":
            data.results += [_result(j) for j in part.findall("Jg_xx")]
            data.reviews += [_review(g) for g in part.findall("GJSHS/Gjsh")]
        elif part.tag == "ZXSJ":
            data.cancellations += [
                CancelledRecord(CancelKind(_i(z, "Zxlb")), _i(z, "Jlid"), _t(z, "Bz"))
                for z in part.findall("Zxxx")
            ]
        elif part.tag == "XGTZ":
            data.notices += [
                Notice(_i(n, "Tzlb"), _t(n, "Tznr"), _t(n, "Baxh"), _i(n, "Jlid"), _t(n, "Bz"))
                for n in part.findall("Tzxx")
            ]
        else:
            data.items[part.tag] = _items(part)


def parse_download_xml(xml: bytes, *, file_name: str | None = None) -> DownloadData:
    """Parse (GBK or any declared encoding), validate against ``download-data.xsd``
    (:class:`XsdValidationError` otherwise) and extract the records."""
    root = parse_xml(xml, DOWNLOAD_DATA)
    validate(root, DOWNLOAD_DATA)
    section = _children(root)[0]
    data = DownloadData(section=section.tag, version=root.get("version"), root=root)
    data.file_name = file_name
    if section.tag == "ICP":
        _read_icp(section, data)
    else:
        data.other[section.tag] = element_to_dict(section)
    return data


def decode_download(
    beian_info: str,
    beian_info_hash: str,
    *,
    hash_algorithm: int = HASH_MD5,
    encrypt_algorithm: int = ENCRYPT_NONE,
    compression_format: int = COMPRESSION_ZIP,
    key=None,
    iv=None,
) -> DownloadData:
    """The ``fileInfos`` of an isp_download answer → :class:`DownloadData`.

    base64 → decrypt → hash check (:class:`HashMismatch`) → unzip → parse → validate.
    Acknowledge the file (isp_downloadack) only after this returned.
    """
    name, xml = decode_payload(
        beian_info,
        beian_info_hash,
        hash_algorithm=hash_algorithm,
        encrypt_algorithm=encrypt_algorithm,
        compression_format=compression_format,
        key=key,
        iv=iv,
    )
    return parse_download_xml(xml, file_name=name)
