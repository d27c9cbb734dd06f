"""Build ``DownloadData`` files (download-data.xsd) from the simulator's records."""

from __future__ import annotations

from lxml import etree

from beian.authority.codec import to_gbk_bytes
from beian.authority.codec.schemas import DOWNLOAD_DATA, validate
from beian.authority.codes import JCDM_TABLES, CodeTables, load_bundled
from beian.authority.extcodes import describe
from beian.authority.payloads import SPEC_VERSION


def _sub(parent, tag, value=None):
    el = etree.SubElement(parent, tag)
    if value is not None:
        el.text = str(value)
    return el


def _opt(parent, tag, value):
    if value not in (None, "", []):
        _sub(parent, tag, value)


def _principal(parent, tag, p: dict, *, website: bool):
    el = _sub(parent, tag)
    if website:
        _sub(el, "Fzr_xm", p.get("name") or "-")
    else:
        _opt(el, "Fzr_xm", p.get("name"))
    _opt(el, "Fzr_dhhm", p.get("office"))
    _opt(el, "Fzr_sjhm", p.get("mobile"))
    if website:
        _opt(el, "Fzr_dzyj", p.get("email"))
    else:
        _sub(el, "Fzr_dzyj", p.get("email") or "unknown@example.cn")
    _opt(el, "Msn", p.get("msn"))
    _opt(el, "Qq", p.get("qq"))
    # The subject's Fzr lists the number before the type; Wz_Fzr the other way round.
    if website:
        _opt(el, "Fzr_zjlx", p.get("certificate_type"))
        _opt(el, "Fzr_zjhm", p.get("certificate_number"))
    else:
        _opt(el, "Fzr_zjhm", p.get("certificate_number"))
        _opt(el, "Fzr_zjlx", p.get("certificate_type"))


def _subject_core(zt, subject_row) -> None:
    """``Zt_xx`` from Ztid to Fzr, the same in BASJ and HSRW (the province's own ids)."""
    s = subject_row.data
    _sub(zt, "Ztid", subject_row.pk)
    _sub(zt, "Dwmc", s["name"])
    _opt(zt, "Dwxz", s.get("nature"))
    txdz = _sub(zt, "Txdz")
    _sub(txdz, "Shengid", s["province_id"])
    _opt(txdz, "Shiid", s.get("city_id"))
    _opt(txdz, "Xianid", s.get("county_id"))
    _opt(txdz, "Xxdz", s.get("detail"))
    zj = _sub(zt, "Zj")
    _sub(zj, "Zjlx", s["certificate_type"])
    _sub(zj, "Zjhm", s["certificate_number"])
    _sub(zj, "Zjzs", s.get("certificate_address") or "-")
    _principal(zt, "Fzr", s.get("principal") or {}, website=False)


def _filing(parent, subject_row, websites, when: str):
    s = subject_row.data
    baxx = _sub(parent, "Baxx")
    zt = _sub(baxx, "Zt_xx")
    _opt(zt, "IspZtid", s.get("isp_subject_id"))
    _subject_core(zt, subject_row)
    _sub(zt, "Baxh", subject_row.number)
    _sub(zt, "Bbyhlx", 1)
    _opt(zt, "Tzr", s.get("investor"))
    _sub(zt, "Scbbsj", s.get("first_filed") or when)
    _sub(zt, "Zjxgsj", when)
    for row in websites:
        w = row.data
        wz = _sub(baxx, "Wz_xx")
        _opt(wz, "IspWzid", w.get("isp_website_id"))
        _sub(wz, "Wzid", row.pk)
        _sub(wz, "Wzmc", w["name"])
        if w.get("services"):
            fwnr = _sub(wz, "Fwnr")
            for code in w["services"]:
                _sub(fwnr, "Fwnr_id", code)
        yylb = _sub(wz, "Yylb")
        for code in w.get("languages") or [1]:
            _sub(yylb, "Yylb_id", code)
        for d in w["domains"]:
            ym = _sub(wz, "Ym_xx")
            _opt(ym, "IspYmid", d.get("isp_domain_id"))
            _sub(ym, "Ymid", d["domain_id"])
            _sub(ym, "Ym", d["name"])
        for a in w["accesses"]:
            jr = _sub(wz, "Jr_xx")
            _opt(jr, "IspJrid", a.get("isp_access_id"))
            _sub(jr, "Jrid", a["access_id"])
            _sub(jr, "Ispid", a["ispid"])
            fb = _sub(jr, "Wzfb")
            for code in a["locations"]:
                _sub(fb, "Fbdd", code)
            fs = _sub(jr, "Wzjrfs")
            for code in a["methods"]:
                _sub(fs, "Jrfs", code)
            for ip in a["ips"]:
                el = _sub(jr, "Ip_xx")
                _opt(el, "IspIpid", ip.get("isp_ip_id"))
                _sub(el, "Ipid", ip["ip_id"])
                _sub(el, "Qsip", ip["start"])
                _sub(el, "Zzip", ip["end"])
        _principal(wz, "Wz_Fzr", w.get("principal") or {}, website=True)
        _opt(wz, "Syurl", w.get("home_url"))
        _opt(wz, "Wz_Bz", w.get("remark"))
        _sub(wz, "Baxh", row.number)


def _verification_task(parent, subject_row, websites, when: str, remark: str = ""):
    """``HSRW/Baxx``: the filing to verify, as the province holds it (its own ids only)."""
    s = subject_row.data
    baxx = _sub(parent, "Baxx")
    zt = _sub(baxx, "Zt_xx")
    _subject_core(zt, subject_row)
    _opt(zt, "Tzr", s.get("investor"))
    _sub(zt, "Bbyhlx", 1)
    _sub(zt, "Scbbsj", s.get("first_filed") or when)
    for row in websites:
        w = row.data
        wz = _sub(baxx, "Wz_xx")
        _sub(wz, "Wzid", row.pk)
        _sub(wz, "Wzmc", w["name"])
        for d in w["domains"]:
            ym = _sub(wz, "Ym_xx")
            _sub(ym, "Ymid", d["domain_id"])
            _sub(ym, "Ym", d["name"])
        for a in w["accesses"]:
            jr = _sub(wz, "Jr_xx")
            _sub(jr, "Jrid", a["access_id"])
            fb = _sub(jr, "Wzfb")
            for code in a["locations"]:
                _sub(fb, "Fbdd", code)
            fs = _sub(jr, "Wzjrfs")
            for code in a["methods"]:
                _sub(fs, "Jrfs", code)
            for ip in a["ips"]:
                el = _sub(jr, "Ip_xx")
                _sub(el, "Ipid", ip["ip_id"])
                _sub(el, "Qsip", ip["start"])
                _sub(el, "Zzip", ip["end"])
            _sub(jr, "Bbyhid", a["ispid"])
            _sub(jr, "Bbyhlx", 1)
        _principal(wz, "Wz_Fzr", w.get("principal") or {}, website=True)
    _opt(baxx, "Bz", remark)


def download_xml(
    *,
    filings: list = (),
    cancellations: list[tuple] = (),
    results: list[dict] = (),
    reviews: list[dict] = (),
    verification_tasks: list = (),
    notices: list[dict] = (),
    when: str,
) -> bytes:
    """GBK bytes of one DownloadData/ICP file, validated against the XSD.

    filings: [(SimSubject, [SimWebsite, ...])]; cancellations: [(Zxlb, Jlid[, Bz])];
    results: [{"codes": [..], "operation", "key", "message"}];
    reviews: [{"approved", "opinion", "operation", "record_id", "reviewer"}];
    verification_tasks: [(SimSubject, [SimWebsite, ...], remark)];
    notices: [{"kind" (0 subject, 1 website), "number", "record_id", "content"}].
    """
    root = etree.Element("DownloadData", version=SPEC_VERSION)
    icp = _sub(root, "ICP")
    if filings:
        basj = _sub(icp, "BASJ")
        for subject_row, websites in filings:
            _filing(basj, subject_row, websites, when)
    if cancellations:
        zxsj = _sub(icp, "ZXSJ")
        for kind, record_id, *remark in cancellations:
            z = _sub(zxsj, "Zxxx")
            _sub(z, "Zxlb", kind)
            _sub(z, "Jlid", record_id)
            _opt(z, "Bz", remark[0] if remark else None)
    if results or reviews:
        bajg = _sub(icp, "BAJG")
        for r in results:
            jg = _sub(bajg, "Jg_xx")
            for code in r["codes"]:
                jgxx = _sub(jg, "Jgxx")
                _sub(jgxx, "Jgdm", code)
                _sub(jgxx, "Dmms", r.get("message") or describe(code)[0])
            _sub(jg, "Czlx", r["operation"])
            _opt(jg, "Bs", r.get("key"))
        if reviews:
            gjshs = _sub(bajg, "GJSHS")
            for v in reviews:
                g = _sub(gjshs, "Gjsh")
                _opt(g, "Shrxm", v.get("reviewer"))
                _sub(g, "Shsj", when)
                _opt(g, "Shyj", v.get("opinion"))
                _sub(g, "Shjg", 1 if v["approved"] else 0)
                _opt(g, "Czlx", v.get("operation"))
                _opt(g, "Jlid", v.get("record_id"))
    if verification_tasks:
        hsrw = _sub(icp, "HSRW")
        for subject_row, websites, remark in verification_tasks:
            _verification_task(hsrw, subject_row, websites, when, remark)
    if notices:
        xgtz = _sub(icp, "XGTZ")
        for n in notices:
            el = _sub(xgtz, "Tzxx")
            _sub(el, "Tzlb", n["kind"])
            _opt(el, "Baxh", n.get("number"))
            _opt(el, "Jlid", n.get("record_id"))
            _sub(el, "Tznr", n["content"])
    validate(root, DOWNLOAD_DATA)
    return to_gbk_bytes(root)


def _jcdm_value(value) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def code_tables_xml(tables: CodeTables | None = None) -> bytes:
    """GBK bytes of a ``DownloadData/JCDM`` file carrying ``tables`` (default: the bundled
    set, ``authority/data/codes.json`` and ``regions.json``: one source for Beian's first
    start and the simulator), validated against the XSD. Tables the interface does not
    download (server locations) and empty ones are left out; so are extras it has no
    element for."""
    tables = tables or load_bundled()
    root = etree.Element("DownloadData", version=SPEC_VERSION)
    jcdm = _sub(root, "JCDM")
    jcdm_xx = None
    for name, container, item, name_el, extras in JCDM_TABLES:
        table = tables.table(name)
        if not table:
            continue
        parent = jcdm
        if container.startswith("Jcdm_xx/"):
            if jcdm_xx is None:
                jcdm_xx = _sub(jcdm, "Jcdm_xx")
            parent = jcdm_xx
        box = _sub(parent, container.split("/")[-1])
        for code in table.values():
            el = _sub(box, item)
            _sub(el, "Id", code.id)
            _sub(el, name_el, code.name)
            values = {**code.extra, "level": getattr(code, "level", None)}
            for key, child in extras.items():
                if values.get(key) is not None:
                    _sub(el, child, _jcdm_value(values[key]))
            _sub(el, "Sfyx", 1 if code.valid else 0)
    validate(root, DOWNLOAD_DATA)
    return to_gbk_bytes(root)
