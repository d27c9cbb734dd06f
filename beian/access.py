"""Who may read and do what on every route: the role/route table (issue 14).

One source of truth. `docs/roles.md` is rendered from it (`beian access_table
--output docs/roles.md`; a test compares), and `tests/test_access_table.py` walks
every route Django's resolver and the API know, for every role in two provinces,
and compares each answer with the table. A route with no entry fails that test.

The rules themselves live where they always did: `Application.objects.restrict`
(own, province scope, the administration's states), `filings.selectors.
scans_readable_by` (scans only at the role's stage), the transition table (which
role fires which event), `review.selectors.may_work` (queues), the admin site's
`admin_role_only`. This table says what they must add up to.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "applicant",
    "hosting_owner",
    "reviewer",
    "mailroom",
    "photo_verifier",
    "operator",
    "authority",
    "admin",
)
STAFF = ("reviewer", "mailroom", "photo_verifier", "operator", "admin")
STAGE_KEYS = ("initial_review", "originals", "photos", "backdrops", "ready", "authority_returned")
QUEUES = tuple(f"queue:{key}" for key in STAGE_KEYS)  # a queue route's targets

# The back-office stages (filings/stages.py) each staff role works. Written out
# here, not derived: the transition table's roles must add up to this.
WORKS = {
    "reviewer": ("initial_review",),
    "mailroom": ("originals", "backdrops"),
    "photo_verifier": ("photos", "backdrops"),
    "operator": ("ready", "authority_returned"),
    "admin": STAGE_KEYS,
}

# A cell: may this role use this route?
YES = "yes"  # always
NO = "no"  # never: 403 or 404 (the API: 401 when not logged in), or sent to log in
OWN = "own"  # on their own application, server or token only
SCOPE = "scope"  # on an application whose province is in their scope (the administration:
#                  also only once it was submitted to it)
STAGE = "stage"  # SCOPE, and only while the application (or the queue) is at a stage of theirs
EVERY_PROVINCE = "every-province"  # only with a scope of every province

CELL_TEXT = {
    YES: "✔",
    NO: "—",
    OWN: "own",
    SCOPE: "scope",
    STAGE: "stage",
    EVERY_PROVINCE: "all provinces",
}


@dataclass(frozen=True)
class Entry:
    route: str  # a page's URL name (fnmatch pattern) or "METHOD /api/v1/path"
    does: str
    cells: dict[str, str]
    method: str = "GET"  # pages: the method the walk sends
    target: tuple[str, ...] = ("submitted",)  # fixtures the parameters come from
    params: dict = field(default_factory=dict)
    query: str = ""  # added to the URL
    walk: bool = True
    why_not_walked: str = ""
    answers_403: bool = False  # the route's content is a 403 (the block page)
    answers_login: bool = False  # the route's success is the log-in page (log-out)

    def cell(self, role: str) -> str:
        return self.cells.get(role, NO)


def _cells(default: str = NO, **roles: str) -> dict[str, str]:
    cells = dict.fromkeys(ROLES, default)
    cells.update(roles)
    return cells


def anyone() -> dict[str, str]:
    return _cells(YES)


def logged_in() -> dict[str, str]:
    return _cells(YES, anonymous=NO)


def owner(**more: str) -> dict[str, str]:
    """The applicant's own application (and whatever else is given)."""
    return _cells(applicant=OWN, **more)


def reads_application() -> dict[str, str]:
    """Its owner, staff in scope, the administration once it has it."""
    return owner(authority=SCOPE, **dict.fromkeys(STAFF, SCOPE))


def reads_scans() -> dict[str, str]:
    """Its owner, the administration once it has it, staff only at their stage."""
    return owner(authority=SCOPE, **dict.fromkeys(STAFF, STAGE))


def staff(*roles: str, cell: str = SCOPE) -> dict[str, str]:
    return _cells(**{role: cell for role in (*roles, "admin")})


ALL_STATES = (
    "draft",
    "submitted",
    "originals",
    "photos",
    "ready",
    "authority_review",
    "authority_returned",
    "approved",
)

# Applications that have a verification photo (before, the photo route is a 404 for all).
WITH_PHOTO = ("photos", "ready", "authority_review", "authority_returned", "approved")

NEVER_IN_THE_ADMIN = (
    # (route, why): the admin offers no such form, to anyone
    ("admin:core_auditevent_add", "the audit log is written by the product only"),
    ("admin:core_auditevent_delete", "the audit log is never deleted"),
    ("admin:notify_message_add", "messages are written by the product only"),
    ("admin:notify_recordedsms_add", "recorded SMS are written by the SMS backend only"),
    ("admin:filings_application_delete", "an application is never deleted"),
    ("admin:django_tasks_database_dbtaskresult_add", "task results are written by the worker"),
    ("admin:django_tasks_database_dbtaskresult_delete", "task results are not deleted by hand"),
    ("admin:(?P<url>.*)$", "an unknown admin address: 404 for the admin, log-in for others"),
)

PAGES: tuple[Entry, ...] = (
    # -- accounts and language: open to all (log-in, registration, password reset)
    Entry("set_language", "switch the language", anyone(), method="POST", target=()),
    Entry("accounts:register", "register a filing account", anyone(), target=()),
    Entry("accounts:confirm", "confirm an e-mail address (link)", anyone(), target=()),
    Entry(
        "accounts:resend_confirmation",
        "send the confirmation again",
        logged_in(),
        method="POST",
        target=(),
    ),
    Entry("accounts:login", "log in", anyone(), target=()),
    Entry("accounts:logout", "log out", anyone(), method="POST", target=(), answers_login=True),
    Entry("accounts:password_reset", "ask for a password reset", anyone(), target=()),
    Entry("accounts:password_reset_sent", "reset link sent", anyone(), target=()),
    Entry("accounts:password_reset_confirm", "set a new password (link)", anyone(), target=()),
    Entry("accounts:password_reset_done", "password changed", anyone(), target=()),
    # -- the applicant's portal
    Entry("filings:list", "my applications and filed records", logged_in(), target=()),
    Entry("filings:need_filing", "do I need a filing?", anyone(), target=()),
    Entry("filings:inbox", "my messages", logged_in(), target=()),
    Entry("filings:start", "start a filing with a service code", _cells(applicant=YES), target=()),
    Entry(
        "filings:later_filing", "a later filing from a filed record", owner(), target=("approved",)
    ),
    Entry(
        "filings:application",
        "one application (portal view)",
        reads_application(),
        target=ALL_STATES,
    ),
    Entry("filings:subject", "edit the subject", owner(), target=("draft",)),
    Entry("filings:website", "edit a website", owner(), target=("draft",)),
    Entry("filings:remarks", "edit the remarks", owner(), target=("draft",)),
    Entry("filings:submit", "check and submit", owner(), target=("draft",)),
    Entry("filings:resolve", "domain resolution page", owner(), target=("submitted",)),
    Entry("filings:resolve_check", "domain resolution, asked live", owner(), target=("submitted",)),
    Entry(
        "filings:photo",
        "photo verification (point, backdrop, upload)",
        owner(),
        target=("originals",),
    ),
    Entry("filings:withdraw", "confirm withdrawing an application", owner(), target=("draft",)),
    Entry(
        "filings:forgot_password_of_record",
        "forgot the filing password of a filed subject",
        owner(),
        method="POST",
        walk=False,
        why_not_walked="asks the administration (the simulator) for a new password; owner-only and wrong-subject refusals tested in beian/filings/tests/test_forgot_filing_password.py",
    ),
    Entry(
        "filings:forgot_password_of_application",
        "forgot the filing password (from a later filing)",
        owner(),
        method="POST",
        walk=False,
        why_not_walked="asks the administration (the simulator) for a new password; owner-only and wrong-subject refusals tested in beian/filings/tests/test_forgot_filing_password.py",
    ),
    Entry(
        "filings:event",
        "withdraw or reopen",
        owner(),
        method="POST",
        target=("draft",),
        params={"event": "withdraw"},
    ),
    # -- materials
    Entry("materials:page", "the materials of an order", reads_application(), target=ALL_STATES),
    Entry("materials:file", "one scan", reads_scans(), target=ALL_STATES),
    Entry(
        "materials:form",
        "the pre-filled forms (PDF)",
        reads_application(),
        target=("submitted",),
        params={"form": "verification-form"},
    ),
    # -- the hosting owner's pages
    Entry("hosting:servers", "my servers and their codes", _cells(hosting_owner=YES), target=()),
    Entry("hosting:server", "one of my servers", _cells(hosting_owner=OWN), target=("server",)),
    Entry(
        "hosting:issue_code",
        "issue a filing service code",
        _cells(hosting_owner=OWN),
        method="POST",
        target=("server",),
    ),
    Entry(
        "hosting:revoke_code",
        "revoke an unused filing service code",
        _cells(hosting_owner=OWN),
        method="POST",
        target=("code_id",),
    ),
    # -- the exchange with the administration
    Entry("authority:home", "the administration's landing page", _cells(authority=YES), target=()),
    Entry(
        "authority:set_aside",
        "downloads set aside, with their reason",
        staff("operator", cell=YES),
        target=(),
    ),
    Entry(
        "authority:retry",
        "retry a download set aside",
        staff("operator", cell=SCOPE),
        method="POST",
        walk=False,
        why_not_walked="needs a set-aside download; roles and scope are tested in "
        "beian/authority/tests/test_set_aside.py",
    ),
    Entry(
        "authority:work",
        "what the administration sent down: work items, lists, code tables, other parts",
        staff("operator", cell=YES),
        target=(),
    ),
    Entry(
        "authority:task_done",
        "record a work item from the administration as done",
        staff("operator", cell=SCOPE),
        method="POST",
        walk=False,
        why_not_walked="needs a downloaded work item; roles and the refusal are tested in "
        "beian/authority/tests/test_download_parts.py",
    ),
    # -- the back office
    Entry("review:dashboard", "the dashboard of my queues", staff(*STAFF, cell=YES), target=()),
    Entry("review:queue", "one queue", staff(*STAFF, cell=STAGE), target=QUEUES),
    Entry("review:find", "find an order by number", staff(*STAFF, cell=YES), target=()),
    Entry(
        "review:submit_selected",
        "submit the ticked orders",
        staff("operator", cell=YES),
        method="POST",
        target=(),
    ),
    Entry(
        "review:shipping_list",
        "backdrops to ship, full addresses",
        staff("mailroom", "photo_verifier", cell=YES),
        target=(),
    ),
    Entry("review:application", "one application (back office)", staff(*STAFF), target=ALL_STATES),
    Entry(
        "review:claim",
        "claim (at a stage of theirs)",
        staff(*STAFF, cell=STAGE),
        method="POST",
        target=("submitted", "ready"),
    ),
    Entry("review:release", "release a claim", staff(*STAFF), method="POST"),
    Entry("review:approve", "pass initial review", staff("reviewer"), method="POST"),
    Entry("review:return", "return to the applicant", staff("reviewer"), method="POST"),
    Entry("review:call", "record a phone call", staff(*STAFF), method="POST"),
    Entry(
        "review:originals",
        "log the originals",
        staff("mailroom"),
        method="POST",
        target=("originals",),
    ),
    Entry(
        "review:discrepancy",
        "originals: record a discrepancy",
        staff("mailroom"),
        method="POST",
        target=("originals",),
    ),
    Entry(
        "review:ship",
        "mark a backdrop shipped",
        staff("mailroom", "photo_verifier"),
        method="POST",
        target=("backdrops",),
    ),
    Entry(
        "review:point_photo",
        "take the photo at a point",
        staff("photo_verifier"),
        method="POST",
        target=("point",),
    ),
    Entry(
        "review:verify_photo",
        "verify the photo",
        staff("photo_verifier"),
        method="POST",
        target=("photos",),
    ),
    Entry(
        "review:reject_photo",
        "reject the photo",
        staff("photo_verifier"),
        method="POST",
        target=("photos",),
    ),
    Entry(
        "review:submit",
        "submit to the administration",
        staff("operator"),
        method="POST",
        target=("ready",),
    ),
    Entry(
        "review:photo_file", "the verification photo", staff(*STAFF, cell=STAGE), target=WITH_PHOTO
    ),
    # -- the public registry and the edge
    Entry("registry:landing", "landing page", anyone(), target=()),
    Entry("registry:query", "public query", anyone(), target=(), query="q=zhangwei-notes.cn"),
    Entry(
        "registry:gate_check",
        "the edge asks: may this host be served?",
        anyone(),
        target=(),
        query="host=127.0.0.1",
    ),
    Entry(
        "registry:gate_blocked",
        "the block page (403 by design)",
        anyone(),
        target=(),
        answers_403=True,
    ),
    Entry(
        "registry:display_findings",
        "sites not showing their number",
        staff(*STAFF, cell=YES),
        target=(),
    ),
    # -- operations
    Entry("healthz", "alive? (load balancers)", anyone(), target=()),
    Entry("readyz", "ready? database, cache, storage, the interface", anyone(), target=()),
    # -- the API's own pages
    Entry("api-v1:openapi-json", "the OpenAPI schema", anyone(), target=()),
    Entry("api-v1:openapi-view", "the API docs page", anyone(), target=()),
    Entry("api-v1:api-root", "the API's root (nothing there: 404)", _cells(NO), target=()),
    # -- the Django admin: the admin role with every province, nobody else
    Entry("admin:login", "the admin's log-in page", anyone(), target=()),
    Entry("admin:logout", "the admin's log-out", anyone(), method="POST", target=()),
    Entry(
        "admin:view_on_site",
        "the admin's 'view on site' redirect",
        _cells(admin=EVERY_PROVINCE),
        walk=False,
        why_not_walked="no registered model has get_absolute_url: 404 for everyone",
    ),
    Entry(
        "admin:autocomplete",
        "the admin's autocomplete",
        _cells(admin=EVERY_PROVINCE),
        walk=False,
        why_not_walked="no admin declares autocomplete fields: 403 for everyone",
    ),
    *(Entry(route, f"none: {why}", _cells(NO), target=()) for route, why in NEVER_IN_THE_ADMIN),
    Entry(
        "admin:*", "the Django admin (every list and form)", _cells(admin=EVERY_PROVINCE), target=()
    ),
)

API: tuple[Entry, ...] = (
    Entry("GET /api/v1/accounts/me", "who am I", logged_in(), target=()),
    Entry("POST /api/v1/accounts/tokens", "issue an API token", logged_in(), target=()),
    Entry("GET /api/v1/accounts/tokens", "my API tokens", logged_in(), target=()),
    Entry(
        "DELETE /api/v1/accounts/tokens/{token_id}",
        "revoke my token",
        logged_in(),
        target=("token",),
    ),
    Entry("GET /api/v1/hosting/servers", "my servers", logged_in(), target=()),
    Entry(
        "POST /api/v1/hosting/servers/{server_id}/codes",
        "issue a filing service code",
        _cells(hosting_owner=OWN),
        target=("server",),
    ),
    Entry(
        "GET /api/v1/hosting/codes/{code}", "preview a service code", logged_in(), target=("code",)
    ),
    Entry(
        "POST /api/v1/hosting/codes/{code_id}/revoke",
        "revoke an unused filing service code",
        _cells(hosting_owner=OWN),
        target=("code_id",),
    ),
    Entry(
        "POST /api/v1/filings/applications",
        "start a filing",
        _cells(applicant=YES),
        target=("start",),
    ),
    Entry("GET /api/v1/filings/applications", "applications I may see", logged_in(), target=()),
    Entry(
        "GET /api/v1/filings/applications/{number}",
        "one application",
        reads_application(),
        target=ALL_STATES,
    ),
    Entry(
        "PUT /api/v1/filings/applications/{number}/subject",
        "save the subject",
        owner(),
        target=("draft",),
    ),
    Entry(
        "PUT /api/v1/filings/applications/{number}/websites/{website_id}",
        "save a website",
        owner(),
        target=("draft",),
    ),
    Entry(
        "POST /api/v1/filings/applications/{number}/events/{event}",
        "fire an event (the transition table says who)",
        owner(),
        target=("draft",),
        params={"event": "submit"},
    ),
    Entry(
        "PUT /api/v1/filings/applications/{number}/filing-password",
        "the filing password of the record a later filing acts on",
        owner(),
        walk=False,
        why_not_walked="checked with the administration (the simulator); tested in "
        "tests/scenarios/test_later_filings_api.py",
    ),
    Entry(
        "POST /api/v1/filings/applications/{number}/filing-password/reset",
        "forgot the filing password (from a later filing)",
        owner(),
        walk=False,
        why_not_walked="asks the administration (the simulator) for a new password; owner-only and wrong-subject refusals tested in beian/filings/tests/test_forgot_filing_password.py",
    ),
    Entry("GET /api/v1/filings/records", "my filed subjects and websites", logged_in(), target=()),
    Entry(
        "POST /api/v1/filings/records/{subject_id}/applications",
        "start a later filing on a filed subject",
        owner(),
        walk=False,
        why_not_walked="needs a body per filing type; owner-only tested in "
        "tests/scenarios/test_later_filings_api.py",
    ),
    Entry(
        "POST /api/v1/filings/records/{subject_id}/filing-password/reset",
        "forgot the filing password of a filed subject",
        owner(),
        walk=False,
        why_not_walked="asks the administration (the simulator) for a new password; owner-only and wrong-subject refusals tested in beian/filings/tests/test_forgot_filing_password.py",
    ),
    Entry("GET /api/v1/filings/workflow", "the transition table", anyone(), target=()),
    Entry("GET /api/v1/checks/kinds", "kinds of checks", anyone(), target=()),
    Entry("GET /api/v1/checks/provinces", "provinces", anyone(), target=()),
    Entry(
        "GET /api/v1/checks/provinces/{province}",
        "a province's rules",
        anyone(),
        target=(),
        params={"province": "320000"},
    ),
    Entry(
        "GET /api/v1/checks/provinces/{province}/cities",
        "a province's cities and counties in force",
        anyone(),
        target=(),
        params={"province": "320000"},
    ),
    Entry("GET /api/v1/checks/preapproval", "pre-approval types", anyone(), target=()),
    Entry(
        "POST /api/v1/checks/{kind}",
        "check a value",
        anyone(),
        target=(),
        params={"kind": "domain"},
    ),
    Entry(
        "GET /api/v1/materials/{number}",
        "the materials of an order",
        reads_application(),
        target=ALL_STATES,
    ),
    Entry("POST /api/v1/materials/{number}", "upload a material", owner(), target=("draft",)),
    Entry(
        "GET /api/v1/materials/{number}/files/{material_id}",
        "one scan",
        reads_scans(),
        target=ALL_STATES,
    ),
    Entry(
        "GET /api/v1/materials/{number}/forms/{form}",
        "the pre-filled forms",
        reads_application(),
        params={"form": "verification-form"},
    ),
    Entry(
        "GET /api/v1/review/queues",
        "my queues and their counts",
        staff(*STAFF, cell=YES),
        target=(),
    ),
    Entry(
        "GET /api/v1/review/queues/{stage}", "one queue", staff(*STAFF, cell=STAGE), target=QUEUES
    ),
    Entry("GET /api/v1/review/applications/{number}/prechecks", "the pre-checks", staff(*STAFF)),
    Entry(
        "POST /api/v1/review/submit",
        "submit orders to the administration (each order out of scope: not_found)",
        staff("operator", cell=YES),
        target=("ready",),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/claim",
        "claim (at a stage of theirs)",
        staff(*STAFF, cell=STAGE),
        target=("submitted", "ready"),
    ),
    Entry("POST /api/v1/review/applications/{number}/release", "release a claim", staff(*STAFF)),
    Entry(
        "POST /api/v1/review/applications/{number}/approve",
        "pass initial review",
        staff("reviewer"),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/return",
        "return to the applicant",
        staff("reviewer"),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/originals",
        "log the originals",
        staff("mailroom"),
        target=("originals",),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/originals/discrepancy",
        "originals: a discrepancy",
        staff("mailroom"),
        target=("originals",),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/backdrop",
        "mark a backdrop shipped",
        staff("mailroom", "photo_verifier"),
        target=("backdrops",),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/photo",
        "take the photo at a point",
        staff("photo_verifier"),
        target=("point",),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/photo/verify",
        "verify the photo",
        staff("photo_verifier"),
        target=("photos",),
    ),
    Entry(
        "POST /api/v1/review/applications/{number}/photo/reject",
        "reject the photo",
        staff("photo_verifier"),
        target=("photos",),
    ),
    Entry(
        "POST /api/v1/authority/filing-password-relay",
        "the administration hands over a filing password it issued (signed)",
        _cells(NO),
        target=(),
    ),
    Entry(
        "POST /api/v1/authority/sms-relay",
        "the administration's SMS (signed by it only)",
        _cells(NO),
        target=(),
    ),
    Entry("GET /api/v1/notify/inbox", "my messages", logged_in(), target=()),
    Entry(
        "GET /api/v1/notify/failed",
        "failed messages (in scope)",
        staff("operator", cell=YES),
        target=(),
    ),
    Entry(
        "GET /api/v1/notify/recorded-sms",
        "the demo's SMS screen (in scope)",
        staff("operator", cell=YES),
        target=(),
    ),
    Entry(
        "POST /api/v1/notify/{message_id}/resend",
        "resend a failed message",
        staff("operator"),
        target=("message",),
    ),
    Entry(
        "GET /api/v1/registry/query",
        "public query",
        anyone(),
        target=(),
        query="q=zhangwei-notes.cn",
    ),
)

ENTRIES = PAGES + API


def entry_for(route: str) -> Entry | None:
    """The first entry whose pattern matches the route (a page's name or METHOD path)."""
    for entry in ENTRIES:
        if entry.route == route or fnmatch.fnmatchcase(route, entry.route):
            return entry
    return None


def markdown() -> str:
    """docs/roles.md: the table, one row per entry, one column per role."""
    head = ["route", "what", *ROLES]
    lines = [
        "# Roles and routes: who may read and do what",
        "",
        "Generated from `beian/access.py` (`beian access_table --output docs/roles.md`);",
        "`tests/test_access_table.py` walks every route for every role, in two provinces,",
        "and fails on a route without an entry or an answer that differs from its cell.",
        "",
        "| cell | meaning |",
        "|---|---|",
        f"| {CELL_TEXT[YES]} | allowed |",
        f"| {CELL_TEXT[NO]} | refused: 403/404 (API: 401 when not logged in), or sent to log in |",
        f"| {CELL_TEXT[OWN]} | only on their own application, server or token (another's: 404) |",
        f"| {CELL_TEXT[SCOPE]} | only on an application whose province is in their scope "
        "(others: 404); the administration only once it was submitted to it |",
        f"| {CELL_TEXT[STAGE]} | in scope, and only while the application (or the queue) is at a "
        "stage their role works (else 403 `scans_not_at_stage` / `review_stage_forbidden`) |",
        f"| {CELL_TEXT[EVERY_PROVINCE]} | only an admin whose scope is every province |",
        "",
        "Stages each staff role works (`filings/stages.py`; an admin works all):",
        "",
        *[f"- {role}: {', '.join(stages)}" for role, stages in WORKS.items() if role != "admin"],
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for entry in ENTRIES:
        api = " /" in entry.route
        route = entry.route if api or entry.method == "GET" else f"{entry.method} {entry.route}"
        note = f" (not walked: {entry.why_not_walked})" if not entry.walk else ""
        cells = [CELL_TEXT[entry.cell(role)] for role in ROLES]
        lines.append(f"| `{route}` | {entry.does}{note} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
