"""Display check: does a filed website show its number, linked to MIIT?

The home page must show the website number (the subject number where the
province says so, e.g. Guangdong) at the bottom, linked to
https://beian.miit.gov.cn. Pages are fetched through a configurable HTTP proxy
(settings.BEIAN["DISPLAY_CHECK_PROXY"], e.g. "http://127.0.0.1:3128"), which is
also how tests reach local servers instead of the internet.

A batch fetches its pages side by side: at most DISPLAY_CHECK_CONCURRENCY at
once, each bounded by DISPLAY_CHECK_TIMEOUT seconds; the network work happens
in pool threads, the findings are written in the caller's thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import unicodedata
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from django.conf import settings
from django.db import transaction

from beian.core import audit, calendar, clock
from beian.core.deadlines import end_of_day
from beian.filings.models import AccessStatus, RecordStatus, Website
from beian.registry.models import DisplayFinding, DisplayOutcome
from beian.rules import icp
from beian.rules.provinces import rules_for

logger = logging.getLogger("beian.registry.display")

MIIT_HOSTS = {"beian.miit.gov.cn", "www.beian.miit.gov.cn"}
NUMBER_RE = icp.LOOSE_PATTERN
MAX_BYTES = 2 * 1024 * 1024


def _knob(name: str, default):
    return getattr(settings, "BEIAN", {}).get(name, default)


@dataclass(frozen=True)
class Verdict:
    outcome: str
    shown: tuple[str, ...] = ()
    detail: str = ""


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def judge(html: str, expected: str, *, subject_number_ok: bool = False) -> Verdict:
    """Judge a home page. `expected` is the number that must be shown;
    with `subject_number_ok` (Guangdong) a website number of that subject counts too."""
    try:
        doc = lxml.html.fromstring(html or "<html></html>")
    except (lxml.etree.ParserError, ValueError):
        return Verdict(DisplayOutcome.MISSING, detail="empty or unreadable page")

    def matches(number: str) -> bool:
        return number == expected or (subject_number_ok and icp.subject_part(number) == expected)

    shown = tuple(dict.fromkeys(NUMBER_RE.findall(_fold(doc.text_content()))))
    for anchor in doc.iter("a"):
        href = (anchor.get("href") or "").strip()
        host = (urlsplit(href).hostname or "").lower()
        if host in MIIT_HOSTS and any(
            matches(n) for n in NUMBER_RE.findall(_fold(anchor.text_content()))
        ):
            return Verdict(DisplayOutcome.OK, shown)
    if any(matches(n) for n in shown):
        return Verdict(
            DisplayOutcome.NOT_LINKED, shown, "number shown but not linked to beian.miit.gov.cn"
        )
    if shown:
        return Verdict(DisplayOutcome.WRONG, shown, f"expected {expected}")
    return Verdict(DisplayOutcome.MISSING, shown, f"expected {expected}")


def expected_number(website: Website) -> tuple[str, bool]:
    """The number the footer must show, and whether a subject number is what counts."""
    if rules_for(website.subject.province).footer_number == "subject":
        return website.subject.icp_number or "", True
    return website.icp_number or "", False


def home_url(website: Website) -> str:
    if website.home_url:
        url = website.home_url.strip()
        return url if "://" in url else f"http://{url}"
    domain = website.domains.filter(status=RecordStatus.FILED).first()
    return f"http://www.{domain.name}/" if domain else ""


def fetch(url: str) -> str:
    """GET the page through the configured proxy (none = direct), within
    DISPLAY_CHECK_TIMEOUT seconds for each connect and read and for the whole
    body (a page that trickles in byte by byte times out too)."""
    proxy = _knob("DISPLAY_CHECK_PROXY", "")
    handlers = [urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {})]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": "beian-display-check/1"})
    timeout = float(_knob("DISPLAY_CHECK_TIMEOUT", 10))
    deadline = time.monotonic() + timeout
    with opener.open(request, timeout=timeout) as response:
        chunks, size = [], 0
        while size < MAX_BYTES:
            if time.monotonic() > deadline:
                raise TimeoutError(f"page not read within {timeout:g} s")
            chunk = response.read1(min(64 * 1024, MAX_BYTES - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
        charset = response.headers.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class _Target:
    website: Website
    url: str
    expected: str
    subject_ok: bool


def _target(website: Website) -> _Target:
    expected, subject_ok = expected_number(website)
    return _Target(website, home_url(website), expected, subject_ok)


def _verdict(target: _Target) -> Verdict:
    """Fetch and judge one page: network and parsing only, no database."""
    if not target.url:
        return Verdict(DisplayOutcome.UNREACHABLE, detail="no home URL or domain")
    try:
        return judge(fetch(target.url), target.expected, subject_number_ok=target.subject_ok)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return Verdict(DisplayOutcome.UNREACHABLE, detail=str(exc)[:300])


def check_website(website: Website) -> DisplayFinding:
    target = _target(website)
    return record(website, target.url, target.expected, _verdict(target))


def _fix_deadline(start: dt.datetime) -> dt.datetime:
    days = int(_knob("DISPLAY_FIX_WORKING_DAYS", 5))
    return end_of_day(calendar.add_working_days(start.astimezone(clock.CHINA).date(), days))


@transaction.atomic
def record(website: Website, url: str, expected: str, verdict: Verdict) -> DisplayFinding:
    now = clock.now()
    finding = DisplayFinding.objects.select_for_update().filter(website=website).first()
    was_open = finding is not None and finding.is_open
    if finding is None:
        finding = DisplayFinding(website=website)
    finding.url = url[:300]
    finding.expected_number = expected
    finding.outcome = verdict.outcome
    finding.shown = " ".join(verdict.shown)[:200]
    finding.detail = verdict.detail[:300]
    finding.checked_at = now
    if verdict.outcome == DisplayOutcome.OK:
        if was_open:
            finding.resolved_at = now
        finding.failing_since = finding.deadline = None
    elif not was_open:  # a new failure: the deadline runs from now
        finding.failing_since = now
        finding.deadline = _fix_deadline(now)
        finding.resolved_at = None
    finding.save()
    if verdict.outcome != DisplayOutcome.OK and not was_open:
        audit.record(
            actor=None,
            object_type="website",
            object_id=str(website.pk),
            verb="display_check_failed",
            data={"outcome": verdict.outcome, "url": url, "deadline": finding.deadline.isoformat()},
        )
    return finding


def due_websites(limit: int):
    """Filed, accessed websites never checked or checked longest ago."""
    every = dt.timedelta(days=int(_knob("DISPLAY_CHECK_INTERVAL_DAYS", 7)))
    recent = DisplayFinding.objects.filter(checked_at__gt=clock.now() - every).values("website_id")
    return (
        Website.objects.filter(status=RecordStatus.FILED, accesses__status=AccessStatus.OPEN)
        .exclude(pk__in=recent)
        .select_related("subject")
        .distinct()
        .order_by("pk")[:limit]
    )


def check_due_websites(limit: int | None = None) -> list[DisplayFinding]:
    """Check a batch: fetch its pages concurrently (bounded), then record each."""
    limit = limit or int(_knob("DISPLAY_CHECK_BATCH", 200))
    targets = [_target(website) for website in due_websites(limit)]
    if not targets:
        return []
    threads = max(1, min(int(_knob("DISPLAY_CHECK_CONCURRENCY", 16)), len(targets)))
    with ThreadPoolExecutor(threads, thread_name_prefix="beian-display") as pool:
        verdicts = list(pool.map(_verdict, targets))
    return [
        record(t.website, t.url, t.expected, verdict)
        for t, verdict in zip(targets, verdicts, strict=True)
    ]
