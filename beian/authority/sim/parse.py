"""Read an uploaded ``UploadData`` (already XSD-valid) into plain dicts the simulator keeps.

subject: {isp_subject_id, subject_id, number, name, nature, investor, province_id, city_id,
          county_id, detail, certificate_type, certificate_number, certificate_address,
          principal, remark}
website: {isp_website_id, website_id, number, name, services, languages, domains, accesses,
          principal, home_url, remark}
principal: {name, office, mobile, email, msn, qq, certificate_type, certificate_number}
"""

from __future__ import annotations


def _t(el, path):
    return el.findtext(path) if el is not None else None


def _i(el, path):
    text = _t(el, path)
    return int(text) if text not in (None, "") else None


def _ints(el, path):
    return [int(x.text) for x in el.findall(path) if x.text]


def principal(el) -> dict:
    return {
        "name": _t(el, "Fzr_xm"),
        "office": _t(el, "Fzr_dhhm"),
        "mobile": _t(el, "Fzr_sjhm"),
        "email": _t(el, "Fzr_dzyj"),
        "msn": _t(el, "Msn"),
        "qq": _t(el, "Qq"),
        "certificate_type": _i(el, "Fzr_zjlx"),
        "certificate_number": _t(el, "Fzr_zjhm"),
    }


def subject(zt) -> dict:
    return {
        "isp_subject_id": _i(zt, "IspZtid"),
        "subject_id": _i(zt, "Ztid"),
        "number": _t(zt, "Baxh"),
        "name": _t(zt, "Dwmc"),
        "nature": _i(zt, "Dwxz"),
        "investor": _t(zt, "Tzr"),
        "province_id": _i(zt, "Txdz/Shengid"),
        "city_id": _i(zt, "Txdz/Shiid"),
        "county_id": _i(zt, "Txdz/Xianid"),
        "detail": _t(zt, "Txdz/Xxdz"),
        "certificate_type": _i(zt, "Zj/Zjlx"),
        "certificate_number": _t(zt, "Zj/Zjhm"),
        "certificate_address": _t(zt, "Zj/Zjzs"),
        "principal": principal(zt.find("Fzr")),
        "remark": _t(zt, "Bz"),
    }


def access(jr) -> dict:
    return {
        "isp_access_id": _i(jr, "IspJrid"),
        "access_id": _i(jr, "Jrid"),
        "locations": _ints(jr, "Wzfb/Fbdd"),
        "methods": _ints(jr, "Wzjrfs/Jrfs"),
        "ips": [
            {
                "isp_ip_id": _i(ip, "IspIpid"),
                "ip_id": _i(ip, "Ipid"),
                "start": _i(ip, "Qsip"),
                "end": _i(ip, "Zzip"),
            }
            for ip in jr.findall("Ip_xx")
        ],
    }


def website(wz) -> dict:
    return {
        "isp_website_id": _i(wz, "IspWzid"),
        "website_id": _i(wz, "Wzid"),
        "number": _t(wz, "Baxh"),
        "name": _t(wz, "Wzmc"),
        "services": _ints(wz, "Fwnr/Fwnr_id"),
        "languages": _ints(wz, "Yylb/Yylb_id"),
        "domains": [
            {"isp_domain_id": _i(ym, "IspYmid"), "domain_id": _i(ym, "Ymid"), "name": _t(ym, "Ym")}
            for ym in wz.findall("Ym_xx")
        ],
        "accesses": [access(jr) for jr in wz.findall("Jr_xx")],
        "principal": principal(wz.find("Wz_Fzr")),
        "home_url": _t(wz, "Syurl"),
        "remark": _t(wz, "Wz_Bz"),
    }


def requests(root) -> list[dict]:
    """One dict per request in the file: {"kind": XZBA|XZWZ|XZJR|BGBA|ZXBA, ...}."""
    icp = root.find("ICP")
    out: list[dict] = []
    if icp is None:
        return out
    for baxx in icp.findall("XZBA/Baxx"):
        out.append(
            {
                "kind": "XZBA",
                "subject": subject(baxx.find("Zt_xx")),
                "websites": [website(w) for w in baxx.findall("Wz_xx")],
            }
        )
    for x in icp.findall("XZWZ/Xzxx"):
        out.append(
            {
                "kind": "XZWZ",
                "subject_number": _t(x, "Zt_xx/Ztbah"),
                "subject_id": _i(x, "Zt_xx/Ztid"),
                "websites": [website(w) for w in x.findall("Wz_xx")],
                "icpmm": _t(x, "ICPmm"),
            }
        )
    for x in icp.findall("XZJR/Xzxx"):
        a = access(x)
        out.append(
            {
                "kind": "XZJR",
                "website_number": _t(x, "Wz_xx/Wzbah"),
                "website_id": _i(x, "Wz_xx/Wzid"),
                "access": a,
                "icpmm": _t(x, "ICPmm"),
            }
        )
    for x in icp.findall("BGBA/Bgxx"):
        out.append(
            {
                "kind": "BGBA",
                "subject": subject(x.find("Zt_xx")),
                "websites": [website(w) for w in x.findall("Wz_xx")],
                "icpmm": _t(x, "ICPmm"),
            }
        )
    for x in icp.findall("ZXBA/Zx_xx"):
        out.append(
            {
                "kind": "ZXBA",
                "cancel_kind": _i(x, "Zxlb"),
                "record_id": _i(x, "Jlid"),
                "reason": _i(x, "Zxly"),
                "note": _t(x, "Zxlybz"),
                "icpmm": _t(x, "ICPmm"),
            }
        )
    return out
