"""What Beian uploads to the provincial administration (MIIT enterprise interface 3.0).

Plain dataclasses, close to the field trees of ``upload-data.xsd`` (``UploadData/ICP/...``).
Each field's docstring-comment names the XML element it becomes. The codec
(``beian.authority.codec``) turns a list of records into one ``UploadData`` file.

Identifiers come in two kinds:

* ``isp_*_id`` — ids *we* generate (the spec's ``IspZtid``, ``IspWzid``, ``IspYmid``,
  ``IspJrid``, ``IspIpid``): any positive integer unique in Beian, usually the primary key
  of the row in our database. They come back in downloads so results can be matched.
* ``*_id`` without ``isp_`` — ids the *provincial system* issued (``Ztid``, ``Wzid``,
  ``Ymid``, ``Jrid``, ``Ipid``), learnt from a download (``BASJ``) after approval. Changes
  and cancellations address records by these.

Codes (unit nature, certificate type, region, service content, ...) are the integer ids of
the authority's code tables, see ``beian.authority.codes``.

One record class per upload kind:

========================  ==========  ==========================================
class                     XML         meaning
========================  ==========  ==========================================
:class:`NewFiling`        XZBA/Baxx   新增备案: first filing (subject + websites)
:class:`NewWebsite`       XZWZ/Xzxx   新增网站: add websites to a filed subject
:class:`NewAccess`        XZJR/Xzxx   新增接入: host a filed website here (too)
:class:`ChangeFiling`     BGBA/Bgxx   变更备案: change subject / websites / access
:class:`Cancellation`     ZXBA/Zx_xx  注销备案: 注销主体 / 注销网站 / 取消接入
:class:`Materials`        XZHYD/Fjxx  单独提交真实性核验材料电子件: attachments alone
========================  ==========  ==========================================
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, field

SPEC_VERSION = "V.3.0"  # UploadData/@version and DownloadData/@version


class CancelKind(enum.IntEnum):
    """``ZXBA/Zx_xx/Zxlb``: what a cancellation removes."""

    SUBJECT = 0  # 注销主体: the subject and all its websites (needs the filing password)
    WEBSITE = 1  # 注销网站: one website
    ACCESS = 2  # 取消接入: our access of a website (the number stays)


class FilingOperation(enum.IntEnum):
    """``Czlx`` in download results (``BAJG``): which kind of request a result is about."""

    NEW_FILING = 1  # 新增备案
    NEW_WEBSITE = 2  # 新增网站
    NEW_ACCESS = 3  # 新增接入
    CHANGE = 4  # 变更信息
    CANCEL_ACCESS = 5  # 取消接入
    CANCEL_SUBJECT = 6  # 注销主体
    CANCEL_WEBSITE = 7  # 注销网站
    VERIFICATION_MATERIAL = 35  # 单独提交真实性核验材料电子件


OPERATION_LABELS = {
    FilingOperation.NEW_FILING: ("新增备案", "First filing"),
    FilingOperation.NEW_WEBSITE: ("新增网站", "Add website"),
    FilingOperation.NEW_ACCESS: ("新增接入", "Add access"),
    FilingOperation.CHANGE: ("变更信息", "Change"),
    FilingOperation.CANCEL_ACCESS: ("取消接入", "Cancel access"),
    FilingOperation.CANCEL_SUBJECT: ("注销主体", "Cancel subject"),
    FilingOperation.CANCEL_WEBSITE: ("注销网站", "Cancel website"),
    FilingOperation.VERIFICATION_MATERIAL: ("核验材料", "Verification material"),
}


class AttachmentOwner(enum.IntEnum):
    """``Fjssdx/Ssdxlx`` in uploads: what an attachment belongs to."""

    SUBJECT = 1  # 主体
    WEBSITE = 2  # 网站


@dataclass
class Principal:
    """Person in charge (负责人): ``Zt_xx/Fzr`` for the subject, ``Wz_xx/Wz_Fzr`` for a website.

    Several phones or e-mails may be joined with ";" (the spec allows it); Beian sends one.
    """

    name: str | None  # Fzr_xm — optional for an individual's subject, required otherwise
    mobile: str  # Fzr_sjhm (11+ characters)
    email: str  # Fzr_dzyj (must contain "@")
    office_phone: str | None = None  # Fzr_dhhm — digits and "-"; required for organisations
    certificate_type: int | None = (
        None  # Fzr_zjlx — certificate type code (codes.certificate_types)
    )
    certificate_number: str | None = None  # Fzr_zjhm
    msn: str | None = None  # Msn
    qq: str | None = None  # Qq


@dataclass
class Address:
    """Postal address of the subject: ``Zt_xx/Txdz``. Region ids are from ``codes.regions``."""

    province_id: int  # Shengid — province on the certificate
    city_id: int  # Shiid
    county_id: int | None = None  # Xianid (district / county)
    detail: str | None = None  # Xxdz — mailing address down to the house number


@dataclass
class Certificate:
    """The subject's certificate: ``Zt_xx/Zj``."""

    type: int  # Zjlx — certificate type code (codes.certificate_types)
    number: str  # Zjhm
    address: str  # Zjzs — the address printed on the certificate (证件住所)


@dataclass
class Subject:
    """The subject (主体 / 主办者): ``Zt_xx`` of XZBA (new) and BGBA (change).

    For XZBA set ``isp_subject_id``; for BGBA set ``subject_id`` and ``number`` instead.
    """

    name: str  # Dwmc — exactly as on the certificate
    address: Address  # Txdz
    certificate: Certificate  # Zj
    principal: Principal  # Fzr
    nature: int | None = None  # Dwxz — unit nature (codes.unit_natures); required for organisations
    investor: str | None = None  # Tzr — investor or supervising unit (投资人或主管单位)
    remark: str | None = None  # Bz
    isp_subject_id: int | None = None  # IspZtid — our id (XZBA)
    filed_by_provider: bool = True  # Bbfs — XZBA only: 1 代为报备 (by us), 0 自行报备
    subject_id: int | None = None  # Ztid — the authority's id (BGBA)
    number: str | None = None  # Baxh — subject ICP number, e.g. 苏ICP备14012345号 (BGBA)


@dataclass
class PreApproval:
    """One pre-approval (前置审批): ``Wz_xx/Nrlx/Nrlx_xx``."""

    content_type: int  # Nrlx_id — pre-approval content type (codes.content_types)
    number: str  # Qzsph — the licence / approval number
    scans: list[bytes] = field(
        default_factory=list
    )  # Spwj (1..10) — JPG bytes, base64 by the codec


@dataclass
class Domain:
    """One domain of a website: ``Wz_xx/Ym_xx``."""

    domain: str  # Ym — registrable domain, lower-case, IDNA (punycode) form
    isp_domain_id: int  # IspYmid — our id
    domain_id: int | None = None  # Ymid — the authority's id; BGBA only, omit for an added domain


@dataclass
class IpRange:
    """An IPv4 range used by an access: ``Ip_xx``. ``start``/``end`` are dotted strings."""

    start: str  # Qsip — sent as an unsigned 32-bit integer
    end: str  # Zzip
    isp_ip_id: int  # IspIpid — our id
    ip_id: int | None = None  # Ipid — the authority's id (BGBA, optional)

    @classmethod
    def single(cls, address: str, isp_ip_id: int, ip_id: int | None = None) -> IpRange:
        return cls(start=address, end=address, isp_ip_id=isp_ip_id, ip_id=ip_id)

    @property
    def start_int(self) -> int:
        return int(ipaddress.IPv4Address(self.start))

    @property
    def end_int(self) -> int:
        return int(ipaddress.IPv4Address(self.end))


@dataclass
class Access:
    """How and where we host a website (接入): ``Wz_xx/Jr_xx``.

    For XZBA/XZWZ set ``isp_access_id``; for BGBA set ``access_id`` (the authority's ``Jrid``).
    """

    ips: list[IpRange]  # Ip_xx (1..n)
    methods: list[int]  # Wzjrfs/Jrfs (1..64) — access method codes (codes.access_methods)
    locations: list[int]  # Wzfb/Fbdd (1..64) — server location codes (codes.server_locations)
    isp_access_id: int | None = None  # IspJrid — our id
    access_id: int | None = None  # Jrid — the authority's id (BGBA)


@dataclass
class Website:
    """A website (网站): ``Wz_xx`` of XZBA, XZWZ and BGBA.

    For XZBA/XZWZ set ``isp_website_id``; for BGBA set ``website_id`` and ``number``.
    """

    name: str  # Wzmc
    domains: list[Domain]  # Ym_xx (1..n)
    accesses: list[Access]  # Jr_xx (1..n)
    principal: Principal  # Wz_Fzr — name required here
    service_content: list[int]  # Fwnr/Fwnr_id (1..64) — codes.service_contents
    languages: list[int]  # Yylb/Yylb_id (1..256) — codes.languages
    pre_approvals: list[PreApproval] = field(default_factory=list)  # Nrlx (optional)
    home_url: str | None = None  # Syurl — must contain one of the domains
    remark: str | None = None  # Wz_Bz — some provinces want a description of 20-30+ characters
    isp_website_id: int | None = None  # IspWzid — our id (XZBA, XZWZ)
    website_id: int | None = None  # Wzid — the authority's id (BGBA)
    number: str | None = None  # Baxh — website ICP number, e.g. 苏ICP备14012345号-1 (BGBA)


@dataclass
class Attachment:
    """A verification material scan (真实性核验材料电子件): ``Fj/Fjxx``.

    In XZBA ``owner_id`` is our id of the subject or website (``Ssdxbs``). In XZWZ, XZJR and
    BGBA the owner is named either by ``owner_id`` (``Ssdxbs/Jlid``: the authority's subject
    id or, for XZWZ, our website id) or by ``owner_number`` (``Ssdxbs/Baxh``: an ICP number).
    """

    file_format: int  # Fjwjgs — codes.attachment_formats
    purpose: int  # Fjyt — codes.attachment_purposes
    content: bytes  # Fjnr — file bytes, base64 by the codec (≤150 KB form, ≤100 KB others)
    owner: AttachmentOwner  # Fjssdx/Ssdxlx
    owner_id: int | None = None  # Fjssdx/Ssdxbs (XZBA) or Ssdxbs/Jlid
    owner_number: str | None = None  # Fjssdx/Ssdxbs/Baxh
    remark: str | None = None  # Bz (≤256)


# --- upload records -----------------------------------------------------------------------


@dataclass
class NewFiling:
    """新增备案 (``XZBA/Baxx``): a first filing — a new subject with its websites.

    Also used to add a website for a subject that is *not yet* filed anywhere.
    """

    subject: Subject  # Zt_xx (isp_subject_id required)
    websites: list[Website]  # Wz_xx (isp_website_id required)
    attachments: list[Attachment] = field(default_factory=list)  # Fj


@dataclass
class NewWebsite:
    """新增网站 (``XZWZ/Xzxx``): add websites to a subject that already has an ICP number.

    Name the subject by ``subject_number`` (``Zt_xx/Ztbah``) or ``subject_id`` (``Zt_xx/Ztid``).
    """

    websites: list[Website]  # Wz_xx (isp_website_id required)
    subject_number: str | None = None  # Zt_xx/Ztbah
    subject_id: int | None = None  # Zt_xx/Ztid
    attachments: list[Attachment] = field(default_factory=list)  # Fj
    filing_password: str | None = (
        None  # ICPmm — hex MD5 of the filing password (filing_password_digest)
    )


@dataclass
class NewAccess:
    """新增接入 (``XZJR/Xzxx``): host here a website that has a number (filed elsewhere).

    Name the website by ``website_number`` (``Wz_xx/Wzbah``) or ``website_id`` (``Wz_xx/Wzid``).
    """

    isp_access_id: int  # IspJrid — new for every added access
    ips: list[IpRange]  # Ip_xx
    methods: list[int]  # Wzjrfs/Jrfs
    locations: list[int]  # Wzfb/Fbdd
    filing_password: str  # ICPmm — required here
    website_number: str | None = None  # Wz_xx/Wzbah
    website_id: int | None = None  # Wz_xx/Wzid
    attachments: list[Attachment] = field(default_factory=list)  # Fj


@dataclass
class ChangeFiling:
    """变更备案 (``BGBA/Bgxx``): the complete new state of a filed subject and its websites.

    ``subject`` needs ``subject_id`` and ``number``; each website ``website_id`` and ``number``;
    each access ``access_id``; each kept domain its ``domain_id`` (new domains have none).
    Note the schema limits the subject's certificate type (``Zjlx``) to 1..11 here.
    """

    subject: Subject  # Zt_xx
    websites: list[Website]  # Wz_xx
    attachments: list[Attachment] = field(default_factory=list)  # Fj
    filing_password: str | None = None  # ICPmm


@dataclass
class Cancellation:
    """注销备案 (``ZXBA/Zx_xx``): cancel a subject, a website, or our access of a website.

    ``record_id`` is the *authority's* id of the subject (Ztid), website (Wzid) or access (Jrid).
    Prefer the constructors :meth:`cancel_subject`, :meth:`cancel_website`, :meth:`cancel_access`.
    """

    kind: CancelKind  # Zxlb
    record_id: int  # Jlid
    reason: int  # Zxly — cancel reason code (codes.cancel_reasons)
    reason_note: str | None = None  # Zxlybz (≤1000)
    filing_password: str | None = None  # ICPmm — required to cancel a subject

    @classmethod
    def cancel_subject(cls, subject_id: int, reason: int, filing_password: str, note=None):
        return cls(CancelKind.SUBJECT, subject_id, reason, note, filing_password)

    @classmethod
    def cancel_website(cls, website_id: int, reason: int, note=None, filing_password=None):
        return cls(CancelKind.WEBSITE, website_id, reason, note, filing_password)

    @classmethod
    def cancel_access(cls, access_id: int, reason: int, note=None):
        return cls(CancelKind.ACCESS, access_id, reason, note)


@dataclass
class Materials:
    """单独提交真实性核验材料电子件 (``XZHYD``): verification materials alone, for records
    the administration already holds; each attachment names its owner by ``owner_id``
    (the administration's Ztid / Wzid) or ``owner_number`` (an ICP number)."""

    attachments: list[Attachment]  # XZHYD/Fjxx (1..n)


UploadRecord = NewFiling | NewWebsite | NewAccess | ChangeFiling | Cancellation | Materials

# The XML element under UploadData/ICP that each record kind goes into, in schema order.
RECORD_ELEMENTS: dict[type, str] = {
    NewFiling: "XZBA",
    NewWebsite: "XZWZ",
    NewAccess: "XZJR",
    ChangeFiling: "BGBA",
    Cancellation: "ZXBA",
    Materials: "XZHYD",
}
