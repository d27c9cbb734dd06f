"""Every page of every role, from the state `make run` leaves (the demo loaded), at a
phone's width (390 px) and a desktop's (1280 px) (issue 13):

- no page scrolls sideways: `document.documentElement.scrollWidth <= innerWidth`;
- no internal value where a person reads it (testing/readable.py): not in the text,
  not in a title, placeholder or aria-label.

The walk follows every link a role is shown, from its landing page, plus the look-ups
a form makes (the public query). Screenshots at both widths are kept in
artifacts/browser/test_every_page*/ (gitignored): look at them.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from beian.demo.loader import PASSWORD
from beian.filings.models import Website
from testing.readable import internal_values

from .conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # What a page shows does not depend on the database engine: the walk (about five
    # minutes) runs once, on SQLite, the database `make run` gives a new user.
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the page walk runs once, on SQLite (what make run serves)",
    ),
]

WIDTHS = (390, 1280)
# Not pages of Beian's own: the Django admin, the API (its docs are Swagger's), files.
SKIP = re.compile(
    r"^/(admin|api|static|i18n)/|/logout/|\.pdf$|\.img$|\.json$|/files/\d+/|/gate/check"
)
ROLES = {
    "anonymous": None,
    "zhangwei": "/filings/",
    "applicant2": "/filings/",
    "reviewer": "/review/",
    "mailroom": "/review/",
    "photo": "/review/",
    "operator": "/review/",
    "admin": "/review/",
    "authority": "/",
    "cloud": "/hosting/",
}
MAX_PAGES = 400

MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      wide.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
                + ' ' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(-6)};
}"""
# What a person reads, split by language: text inside an element marked lang="en" on a
# Chinese page (the bilingual block page) is read as English.
READ = """() => {
  // A bilingual title is "中文 / English".
  const [titleZh, ...titleEn] = document.title.split(' / ');
  const out = {zh: [titleZh], en: titleEn};
  const langOf = e => ((e && e.closest('[lang]') && e.closest('[lang]').lang) || '').toLowerCase();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (parent.tagName !== 'OPTION' && !parent.checkVisibility()) continue;
    (langOf(parent).startsWith('en') ? out.en : out.zh).push(node.textContent);
  }
  for (const e of document.querySelectorAll('[title], [placeholder], [aria-label], img[alt]')) {
    for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
      const value = e.getAttribute(name);
      if (value) (langOf(e).startsWith('en') ? out.en : out.zh).push(value);
    }
  }
  return {zh: out.zh.join('\\n'), en: out.en.join('\\n')};
}"""


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_identifier", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    origin = urlsplit(base)
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != origin.netloc or SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _queries() -> list[str]:
    """What a person types into the public query: a filed domain, its number, a name."""
    website = Website.objects.filter(icp_number__contains="ICP").first()
    assert website is not None, "the demo has an approved filing"
    domain = website.domains.first().name
    return [
        f"/query/?q={domain}",
        f"/query/?q={website.icp_number}",
        f"/query/?q={website.name}&by=name",
        "/query/?q=not-filed-anywhere.cn",
        "/query/?q=%E8%8B%8FICP%E5%A4%87",
    ]


def _walk(page, base, start, folder, english: bool, widths=WIDTHS) -> tuple[list, list, int]:
    folder.mkdir(parents=True, exist_ok=True)
    seen, todo = set(), list(start)
    wide, raw = [], []
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        assert len(seen) <= MAX_PAGES, f"more than {MAX_PAGES} pages: the walk does not end"
        response = page.goto(base + path)
        if response is None or response.status >= 500 or (path == start[0] and not response.ok):
            # A server error anywhere, or a role whose own home page is not there.
            raw.append((path, f"status {response and response.status}"))
            continue
        if not page.url.startswith(base) or SKIP.search(urlsplit(page.url).path):
            continue
        name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:80] or "home"
        for width in widths:
            page.set_viewport_size({"width": width, "height": 844})
            measured = page.evaluate(MEASURE)
            if measured["scroll"] > measured["width"]:
                wide.append((path, width, measured["scroll"], measured["wide"]))
            if not english:  # the English walk is about words; one set of pictures
                page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=width == 390)
        page.set_viewport_size({"width": widths[0], "height": 844})
        text = page.evaluate(READ)
        found = internal_values(text["zh"], english=english)
        found += internal_values(text["en"], english=True)
        if found:
            raw.append((path, sorted(set(found))))
        todo.extend(link for link in _links(page, base) if link not in seen)
    return wide, raw, len(seen)


@pytest.fixture
def demo(db):
    call_command("demo", "--once", stdout=io.StringIO())


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_every_page_fits_a_phone_and_shows_no_internal_value(
    chromium_browser, live_server, demo, language
):
    english = language.startswith("en")
    failures_wide, failures_raw, pages = [], [], 0
    for username, home in ROLES.items():
        context = chromium_browser.new_context(
            viewport={"width": WIDTHS[0], "height": 844}, locale=language
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            if home is None:
                start = ["/", "/query/", "/accounts/login/", "/accounts/register/"]
                start += ["/accounts/password-reset/", "/filings/need-filing/", "/gate/blocked"]
                start += _queries()
            else:
                _log_in(page, live_server.url, username)
                start = [home]
            folder = ARTIFACTS / f"test_every_page-{language}" / username
            # English text is longer: walked at the phone's width only (the desktop's
            # layout is the same CSS, measured in Chinese).
            widths = WIDTHS[:1] if english else WIDTHS
            wide, raw, count = _walk(page, live_server.url, start, folder, english, widths)
            failures_wide += [(username, *w) for w in wide]
            failures_raw += [(username, *r) for r in raw]
            pages += count
        finally:
            context.close()
    assert pages > 60, f"the walk saw only {pages} pages"
    report = "\n".join(
        [f"wider than the screen: {w}" for w in failures_wide]
        + [f"internal values shown: {r}" for r in failures_raw]
    )
    assert not failures_wide and not failures_raw, report


# Forms sent with every text field emptied (or a wrong value), to show the refusals a person
# reads: (user, page, which form on it). Pages come from the demo's state.
CLEAR_AND_SEND = """form => {
  for (const e of form.querySelectorAll('input:not([type]), input[type=text], input[type=email],'
      + ' input[type=tel], input[type=password], input[type=number], input[type=date], textarea')) {
    e.value = e.name === 'service_code' ? 'NOPE-NOPE' : '';
  }
  form.submit();
}"""


# The ids an aria-describedby names that are not on the page.
DANGLING_DESCRIPTIONS = """() => [...document.querySelectorAll('[aria-describedby]')]
  .flatMap(el => el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean))
  .filter(id => !document.getElementById(id))"""


def _form_pages() -> list[tuple[str, str, str]]:
    from beian.filings.models import Application

    draft = Application.objects.get(account__username="applicant2", state="draft")
    website = draft.websites.first()
    submitted = Application.objects.filter(state="submitted").first()
    verifying = Application.objects.filter(state="verifying").first()
    return [
        ("anonymous", "/accounts/register/", "main form"),
        ("anonymous", "/accounts/login/", "main form"),
        ("zhangwei", "/filings/start/", "main form[method=post]"),
        ("applicant2", f"/filings/{draft.number}/subject/", "main form[method=post]"),
        ("applicant2", f"/filings/{draft.number}/websites/{website.pk}/", "main form[method=post]"),
        ("applicant2", f"/filings/{draft.number}/remarks/", "main form[method=post]"),
        ("reviewer", f"/review/{submitted.number}/", "#return-form"),
        ("mailroom", f"/review/{verifying.number}/", "#backdrop form"),
    ]


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_forms_sent_with_mistakes_fit_a_phone_and_show_no_internal_value(
    chromium_browser, live_server, demo, language
):
    english = language.startswith("en")
    base = live_server.url
    problems = []
    for username, path, selector in _form_pages():
        context = chromium_browser.new_context(
            viewport={"width": WIDTHS[0], "height": 844}, locale=language
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            if username != "anonymous":
                _log_in(page, base, username)
            page.goto(base + path)
            with page.expect_navigation():
                page.eval_on_selector(selector, CLEAR_AND_SEND)
            folder = ARTIFACTS / f"test_forms-{language}" / username
            folder.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 844})
                measured = page.evaluate(MEASURE)
                if measured["scroll"] > measured["width"]:
                    problems.append((username, path, width, measured["scroll"], measured["wide"]))
            page.set_viewport_size({"width": WIDTHS[0], "height": 844})
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            text = page.evaluate(READ)
            found = internal_values(text["zh"], english=english)
            found += internal_values(text["en"], english=True)
            if found:
                problems.append((username, path, sorted(set(found))))
            dangling = page.evaluate(DANGLING_DESCRIPTIONS)
            if dangling:  # a screen reader would announce nothing for the mistake
                problems.append((username, path, "aria-describedby names no element", dangling))
        finally:
            context.close()
    assert problems == []
