"""What Beian does with each part of a download other than BASJ/BAJG (docs/decisions/0021).

``services.receive_download`` applies the BAJG results first (they move applications), then
every item of the other parts here, each in its own savepoint: an item that cannot be
applied is set aside with its reason (``SetAside`` with its part and index) and retried
like a result. Only then is the file acknowledged.

=========  =====================================================================
ZXSJ       the records are cancelled through ``filings.approval`` (the rule an approved
           ZXBA applies): the accesses close, so the gate refuses the domains; audited;
           the applicant and the operators are told; a done item in the back office
XGTZ       a change notice: a work item with its deadline; the applicant is told what
           to correct (they correct it by a change filing)
HSRW       a verification task: a work item with its deadline (the filing as sent)
HCJG       check results: recorded against our subject/website; those that need work
           (wrong subject data, access over- or under-reported, a dead shell site) are
           open work items with a deadline, the others are recorded as done
HMDLB      subject and website blacklists  ┐ stored (names and certificate numbers
FFJRHMD    illegal-access blacklist        │ encrypted); the review pre-checks warn on
WBAWZLB    unfiled websites seen           ┘ a match; staff see them, and which are open here
JCDM       code tables: ``codes.store_jcdm`` (uploads use the newest: ``codes.current``)
SJTB       data synchronisation: kept for staff (its JCDM also refreshes the tables)
IP, YM     IP and domain filing results/checks: kept for staff
=========  =====================================================================
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from beian.accounts.models import Role
from beian.accounts.selectors import active_staff
from beian.authority import codes
from beian.authority import messages as _messages  # noqa: F401 - registers the templates
from beian.authority.codec.download import as_list, element_to_dict
from beian.authority.models import (
    AuthorityId,
    AuthorityTask,
    ListedEntry,
    ListKind,
    ReceivedPart,
    TaskKind,
    TaskStatus,
)
from beian.authority.payloads import CancelKind
from beian.core import audit, clock, crypto, deadlines
from beian.core.errors import Refusal
from beian.filings.approval import cancel_subject_records, cancel_website_records
from beian.filings.models import Access, AccessStatus, RecordStatus, Subject, Website
from beian.notify.services import enqueue
from beian.rules import hosts

# What each part means, for the pages (Chinese first).
PART_LABELS = {
    "BASJ": ("备案数据", "Filing data"),
    "BAJG": ("备案结果", "Filing results"),
    "ZXSJ": ("注销数据", "Cancellations"),
    "HMDLB": ("黑名单列表", "Blacklists"),
    "FFJRHMD": ("非法接入黑名单", "Illegal-access blacklist"),
    "WBAWZLB": ("未备案网站列表", "Unfiled websites"),
    "HSRW": ("核实任务", "Verification tasks"),
    "HCJG": ("核查结果", "Check results"),
    "XGTZ": ("相关通知（整改）", "Notices (corrections)"),
    "JCDM": ("基础代码", "Code tables"),
    "SJTB": ("备案数据同步", "Data synchronisation"),
    "IP": ("IP 地址备案", "IP address filing"),
    "YM": ("域名备案", "Domain filing"),
    "ICP": ("ICP 备案", "ICP filing"),
    "Jcdm_xx": ("基础代码", "Code tables"),
    "Bbdwlb": ("报备单位列表", "Filing units"),
}

SECTIONS = ("IP", "YM", "JCDM", "SJTB")


def _ip(value) -> str:
    try:
        return str(ipaddress.IPv4Address(int(value)))
    except (TypeError, ValueError):
        return ""


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# ---- which items a file holds -----------------------------------------------------------


def items_of(data) -> Iterator[tuple[str, int, Any]]:
    """(part, index, item) of every item handled here, in the file's order of parts."""
    for index, item in enumerate(data.cancellations):
        yield "ZXSJ", index, item
    for index, item in enumerate(data.notices):
        yield "XGTZ", index, item
    for part, items in data.items.items():
        for index, item in enumerate(items):
            yield part, index, item
    if data.section in SECTIONS:
        yield data.section, 0, data


def item_at(data, part: str, index: int):
    for p, i, item in items_of(data):
        if p == part and i == index:
            return item
    raise Refusal("authority_part_unreadable", params={"part": part})


def apply_item(stored, part: str, index: int, item) -> str:
    """Apply one item; the summary line. A Refusal sets it aside (the caller's savepoint)."""
    handler = HANDLERS.get(part)
    if handler is None:
        raise Refusal("authority_part_unreadable", params={"part": part})
    return handler(stored, index, item)


# ---- records named by the administration's ids -------------------------------------------


def _subject(record_id=None, number=None) -> Subject | None:
    rows = Subject.objects.exclude(filed_elsewhere=True)
    if record_id:
        found = rows.filter(authority_record_id=str(record_id)).order_by("-pk").first()
        if found:
            return found
    if number:
        return rows.filter(icp_number=number).order_by("-pk").first()
    return None


def _website(record_id=None, number=None) -> Website | None:
    if record_id:
        found = Website.objects.filter(authority_record_id=str(record_id)).order_by("-pk").first()
        if found:
            return found
    if number:
        return Website.objects.filter(icp_number=number).order_by("-pk").first()
    return None


def _operators(province: str):
    return [
        u
        for u in active_staff().filter(role__in=[Role.OPERATOR, Role.ADMIN])
        if u.in_scope(province)
    ]


def _tell_staff(task: AuthorityTask, kind_label: tuple[str, str], told: tuple[str, str]) -> None:
    """Inbox messages to the operators in scope. Their text is stored in clear, so it names
    no person: `told` is the item's text without names and certificate numbers."""
    context = {
        "kind_zh": kind_label[0],
        "kind_en": kind_label[1],
        "text_zh": told[0],
        "text_en": told[1],
        "deadline": task.deadline.isoformat() if task.deadline else "",
    }
    for user in _operators(task.province):
        enqueue(
            template="authority_staff_notice",
            context=context,
            idempotency_key=f"authority-task-{task.pk}-{user.pk}",
            user=user,
            channels=("inbox",),
        )


def _task(
    stored,
    part,
    index,
    kind,
    *,
    text,
    text_en,
    subject=None,
    website=None,
    tell=True,
    told=None,
    **fields,
):
    subject = subject or (website.subject if website else None)
    task, created = AuthorityTask.objects.get_or_create(
        download=stored,
        part=part,
        index=index,
        defaults={
            "kind": kind,
            "subject": subject,
            "website": website,
            "province": subject.province if subject else "",
            "text": text,
            "created_at": clock.now(),
            **fields,
        },
    )
    if created and tell:
        _tell_staff(task, TaskKind(kind).label.split(" / ", 1), told or (text, text_en))
    return task


# ---- ZXSJ: cancellations ------------------------------------------------------------------


def _cancellation(stored, index, item) -> str:
    remark = item.remark or ""
    if item.kind == CancelKind.SUBJECT:
        subject = _subject(item.record_id)
        if subject is None:
            raise Refusal(
                "authority_record_unknown",
                params={
                    "what": "注销主体",
                    "what_en": "subject cancellation",
                    "record_id": item.record_id,
                },
            )
        websites = list(subject.websites.exclude(status=RecordStatus.CANCELLED))
        already = subject.status == RecordStatus.CANCELLED
        if not already:
            cancel_subject_records(subject)
        target, label = subject, subject.icp_number or ""
    elif item.kind == CancelKind.WEBSITE:
        website = _website(item.record_id)
        if website is None:
            raise Refusal(
                "authority_record_unknown",
                params={
                    "what": "注销网站",
                    "what_en": "website cancellation",
                    "record_id": item.record_id,
                },
            )
        websites = [website] if website.status != RecordStatus.CANCELLED else []
        already = not websites
        if not already:
            cancel_website_records(websites)
        subject, target, label = website.subject, website, website.icp_number or ""
    else:  # 取消接入: the administration's access id
        local = AuthorityId.objects.filter(kind="access", authority_id=item.record_id).first()
        access = Access.objects.filter(pk=local.local_id).first() if local else None
        if access is None:
            raise Refusal(
                "authority_record_unknown",
                params={
                    "what": "取消接入",
                    "what_en": "access cancellation",
                    "record_id": item.record_id,
                },
            )
        already = access.status == AccessStatus.CLOSED
        if not already:
            Access.objects.filter(pk=access.pk).close()
        website = access.website
        websites, subject, target, label = (
            [website],
            website.subject,
            access,
            website.icp_number or "",
        )
    if already:
        return f"ZXSJ {label}: 已注销，无需处理 / already cancelled here"
    kind_name = type(target).__name__.lower()
    audit.record(
        actor=None,
        object_type=kind_name,
        object_id=target.pk,
        verb="cancelled_by_authority",
        reason=remark[:200],
        data={"file": stored.file_name, "record_id": item.record_id, "zxlb": int(item.kind)},
    )
    numbers = [w.icp_number for w in websites if w.icp_number]
    enqueue(
        template="record_cancelled_by_authority",
        context={
            "subject_number": subject.icp_number or "",
            "website_numbers": numbers,
            "remark": remark,
        },
        idempotency_key=f"zxsj-{stored.pk}-{index}",
        user=subject.account,
    )
    shown = "、".join(numbers) or label
    _task(
        stored,
        "ZXSJ",
        index,
        TaskKind.CANCELLED,
        text=f"管局已注销 {shown}，接入已关闭。{remark}".strip(),
        text_en=f"The administration cancelled {shown}; access is closed. {remark}".strip(),
        subject=subject,
        website=websites[0] if item.kind != CancelKind.SUBJECT and websites else None,
        record_id=item.record_id,
        number=label,
        status=TaskStatus.DONE,
        done_at=clock.now(),
        outcome="已自动注销并关闭接入 / cancelled and access closed automatically",
        data={"zxlb": int(item.kind), "record_id": item.record_id, "remark": remark},
    )
    return f"ZXSJ {label}: 已注销，接入已关闭 / cancelled, access closed"


# ---- XGTZ: change notices -----------------------------------------------------------------


def _notice(stored, index, item) -> str:
    website = subject = None
    if item.kind == 1:
        website = _website(item.record_id, item.number)
    else:
        subject = _subject(item.record_id, item.number)
    deadline = deadlines.deadline_for("authority_notice", clock.now())
    task = _task(
        stored,
        "XGTZ",
        index,
        TaskKind.CHANGE_NOTICE,
        text=f"整改通知{('（' + item.number + '）') if item.number else ''}：{item.content}",
        text_en=f"Change notice{(' (' + item.number + ')') if item.number else ''}: {item.content}",
        subject=subject,
        website=website,
        record_id=item.record_id,
        number=item.number or "",
        deadline=deadline,
        data={"tzlb": item.kind, "content": item.content, "remark": item.remark or ""},
    )
    owner = task.subject.account if task.subject else None
    if owner is not None:
        enqueue(
            template="authority_change_notice",
            context={
                "number": item.number or "",
                "content": item.content,
                "deadline": deadline.isoformat(),
            },
            idempotency_key=f"xgtz-{stored.pk}-{index}",
            user=owner,
        )
    matched = "已通知申请人 / applicant told" if owner else "未匹配到备案 / matched no filing"
    return f"XGTZ {item.number or item.record_id or ''}: 待整改 / to correct ({matched})"


# ---- HSRW: verification tasks -------------------------------------------------------------


def _verification(stored, index, item) -> str:
    zt = item.get("Zt_xx") or {}
    websites = as_list(item.get("Wz_xx"))
    subject = _subject(_int(zt.get("Ztid")))
    first = _website(_int(websites[0].get("Wzid"))) if websites else None
    names = "、".join(w.get("Wzmc", "") for w in websites)
    _task(
        stored,
        "HSRW",
        index,
        TaskKind.VERIFICATION,
        text=f"核实任务：{zt.get('Dwmc', '')}（{names}）",
        text_en=f"Verification task: {zt.get('Dwmc', '')} ({names})",
        told=(f"核实任务：{names}", f"Verification task: {names}"),
        subject=subject,
        website=first if subject is None else None,
        record_id=_int(zt.get("Ztid")),
        number=(subject.icp_number or "") if subject else "",
        deadline=deadlines.deadline_for("authority_verification", clock.now()),
        data=item,
    )
    return f"HSRW {zt.get('Ztid', '')}: 核实任务已派发 / verification task queued"


# ---- HCJG: check results ------------------------------------------------------------------

ACCESS_CHECK = {
    "1": ("多报", "reported but not hosted here"),
    "2": ("少报", "hosted but not reported"),
}


def _check_result(stored, index, item) -> str:
    tag = item.get("_tag")
    subject = website = None
    needs_work = True
    told = None
    if tag == "Zthc":
        subject = _subject(_int(item.get("Ztid")))
        zh = f"主体核查：{item.get('Dwmc', '')} — {item.get('Cwyy') or '信息有误'}"
        en = f"Subject check: {item.get('Dwmc', '')} — {item.get('Cwyy') or 'data wrong'}"
        told = (
            f"主体核查：{item.get('Cwyy') or '信息有误'}",
            f"Subject check: {item.get('Cwyy') or 'data wrong'}",
        )
    elif tag == "Jrhc":
        website = _website(_int(item.get("Wzid")), item.get("Wz_Baxh"))
        what = ACCESS_CHECK.get(str(item.get("Hcjg")), ("接入有误", "access wrong"))
        zh = f"接入核查：{item.get('Wz_Baxh', '')} {what[0]}" + (
            f"（{item['Ym']} → {_ip(item.get('Jxip'))}）" if item.get("Ym") else ""
        )
        en = f"Access check: {item.get('Wz_Baxh', '')} {what[1]}"
    elif tag == "Kkwzhc":
        website = _website(_int(item.get("Wzid")), item.get("Wz_Baxh"))
        dead = str(item.get("Hcjg")) == "1"
        needs_work = dead
        zh = f"空壳网站核查：{item.get('Wz_Baxh', '')} {'无法访问（死亡）' if dead else '可访问（存活）'}"
        en = f"Shell-site check: {item.get('Wz_Baxh', '')} {'unreachable' if dead else 'alive'}"
    else:  # Wzch: liveness record
        website = _website(_int(item.get("Wzid")), item.get("Wz_Baxh"))
        needs_work = False
        zh = f"网站存活检测：{item.get('Wz_Baxh', '')} {item.get('Syurl', '')}".strip()
        en = f"Website liveness check: {item.get('Wz_Baxh', '')}"
    done = (
        {}
        if needs_work
        else {
            "status": TaskStatus.DONE,
            "done_at": clock.now(),
            "outcome": "仅记录，无需处理 / recorded, nothing to do",
        }
    )
    _task(
        stored,
        "HCJG",
        index,
        TaskKind.CHECK_RESULT,
        text=zh,
        text_en=en,
        subject=subject,
        website=website,
        record_id=_int(item.get("Ztid") or item.get("Wzid")),
        number=item.get("Wz_Baxh") or "",
        deadline=deadlines.deadline_for("authority_verification", clock.now())
        if needs_work
        else None,
        data=item,
        tell=needs_work,
        told=told,
        **done,
    )
    return f"HCJG {tag}: {'待处理 / to handle' if needs_work else '已记录 / recorded'}"


# ---- lists --------------------------------------------------------------------------------


def _domain(name) -> str:
    return hosts.normalise(name or "") if name else ""


def _listed(stored, kind, key, *, remove: bool, **values) -> ListedEntry:
    now = clock.now()
    try:  # (kind, key) is unique: no ordering needed
        entry = ListedEntry.objects.get(kind=kind, key=key)
    except ListedEntry.DoesNotExist:
        entry = ListedEntry(kind=kind, key=key, first_seen_at=now)
    for field, value in values.items():
        setattr(entry, field, value)
    entry.active, entry.download, entry.updated_at = not remove, stored, now
    entry.save()
    return entry


def _blacklist(stored, index, item) -> str:
    removing = str(item.get("Czlx")) == "2"
    if item.get("_tag") == "Zthmdxxs":
        zt = item.get("Zt_xx") or {}
        zj = zt.get("Zj") or {}
        number = (zj.get("Zjhm") or "").strip()
        _listed(
            stored,
            ListKind.SUBJECT_BLACKLIST,
            f"{zj.get('Zjlx')}:{crypto.lookup_hash(number)}",
            remove=removing,
            name=zt.get("Dwmc") or "",
            certificate_type=_int(zj.get("Zjlx")),
            certificate_number=number,
            data=item,
        )
        return f"HMDLB 主体 / subject: {'移出 / removed' if removing else '已登记 / listed'}"
    wz = item.get("Wz_xx") or {}
    domains = [_domain(d.get("Ym")) for d in as_list(wz.get("Ym_xx"))]
    for name in domains:
        _listed(
            stored,
            ListKind.WEBSITE_BLACKLIST,
            name,
            remove=removing,
            domain=name,
            name=wz.get("Wzmc") or "",
            data=item,
        )
    return f"HMDLB 网站 / website {', '.join(domains)}: " + (
        "移出 / removed" if removing else "已登记 / listed"
    )


def _illegal_access(stored, index, item) -> str:
    name = _domain(item.get("Ym"))
    _listed(
        stored,
        ListKind.ILLEGAL_ACCESS,
        str(item.get("Id")),
        remove=False,
        domain=name,
        ip=_ip(item.get("Ip")),
        data=item,
    )
    return f"FFJRHMD {name}: 已登记 / listed"


def _unfiled(stored, index, item) -> str:
    name = _domain(item.get("Wzym_mc"))
    _listed(
        stored,
        ListKind.UNFILED,
        str(item.get("Id")),
        remove=False,
        domain=name,
        ip=_ip(item.get("IP")),
        data=item,
    )
    return f"WBAWZLB {name}: 已登记 / listed"


def listed_matches(*, certificate_hash: str = "", domains=()) -> list[ListedEntry]:
    """Active entries naming this subject (by the keyed hash of its certificate number) or
    one of these domains (registrable, punycode)."""
    found = []
    if certificate_hash:
        found += list(
            ListedEntry.objects.filter(
                kind=ListKind.SUBJECT_BLACKLIST, active=True, certificate_hash=certificate_hash
            )
        )
    names = [d for d in domains if d]
    if names:
        found += list(ListedEntry.objects.filter(active=True, domain__in=names))
    return found


# ---- whole sections ------------------------------------------------------------------------


def _count(value) -> int:
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values()) or 1
    if isinstance(value, list):
        return len(value)
    return 0


def _keep(stored, section: str, data) -> str:
    """IP, YM, SJTB (and the whole of JCDM): kept for staff, by sub-part."""
    root = data.root.find(section)
    lines = []
    for sub in [c for c in root if isinstance(c.tag, str)]:
        name = f"{section}/{sub.tag}"
        value = element_to_dict(sub)
        ReceivedPart.objects.create(
            download=stored,
            part=name,
            items=_count(value),
            data=value if isinstance(value, dict) else {"value": value},
            received_at=clock.now(),
        )
        lines.append(name)
    carried = sorted(codes.read_jcdm(data.root)) if section in ("JCDM", "SJTB") else []
    if carried:
        codes.store_jcdm(data.root, source=stored.file_name)
        lines.append(f"代码表已更新 / code tables refreshed: {', '.join(carried)}")
    return f"{section}: 已保存 / kept ({'; '.join(lines)})"


def _section(stored, index, data) -> str:
    return _keep(stored, data.section, data)


HANDLERS = {
    "ZXSJ": _cancellation,
    "XGTZ": _notice,
    "HSRW": _verification,
    "HCJG": _check_result,
    "HMDLB": _blacklist,
    "FFJRHMD": _illegal_access,
    "WBAWZLB": _unfiled,
    "IP": _section,
    "YM": _section,
    "JCDM": _section,
    "SJTB": _section,
}


# ---- the back office: closing a work item -------------------------------------------------


def close_task(task: AuthorityTask, *, actor, outcome: str) -> AuthorityTask:
    """Staff mark a work item done with what they did (audited)."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise Refusal("authority_task_outcome_required", field="outcome")
    with transaction.atomic():
        task = AuthorityTask.objects.select_for_update().get(pk=task.pk)
        if task.status == TaskStatus.DONE:
            raise Refusal("authority_task_closed", status=409)
        task.status, task.done_at, task.done_by, task.outcome = (
            TaskStatus.DONE,
            clock.now(),
            actor,
            outcome[:2000],
        )
        task.save(update_fields=["status", "done_at", "done_by", "outcome"])
        audit.record(
            actor=actor,
            object_type="authority_task",
            object_id=task.pk,
            verb="done",
            data={"part": task.part, "kind": task.kind},
        )
    return task
