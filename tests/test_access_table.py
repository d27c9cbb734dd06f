"""Every route, for every role in two provinces, against the role/route table
(`beian/access.py`, rendered as docs/roles.md).

The routes come from Django's URL resolver and the API's routers, so a new route
without an entry fails `test_every_route_has_an_entry`. The walk builds one world
(an application at each stage in Jiangsu and in Beijing, with scans, a photo, a
failed message), then sends each route to each user, each request inside a
savepoint rolled back afterwards, and compares allowed / refused with the cell.
An allowed answer must not name an order the user may not see.
"""

from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from beian import access
from beian.access import EVERY_PROVINCE, NO, OWN, SCOPE, STAGE, WORKS, YES
from beian.accounts.models import ApiToken, Role
from beian.api import api
from beian.filings import workflow
from beian.filings.models import Application
from beian.filings.states import AUTHORITY_VISIBLE
from beian.filings.states import ApplicationState as S
from beian.hosting.models import FilingServiceCode
from beian.notify.models import Message, State
from beian.notify.services import enqueue
from testing import (
    drive_to,
    fill_seed_filing,
    id_number,
    make_code,
    make_user,
    photo_upload,
    start_seed_filing,
)
from testing.dns import LoopbackDns

JIANGSU, BEIJING = "320000", "110000"
# The API's own pages are Django patterns of its namespace; its operations come from its routers.
API_PAGES = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}


# ---- the routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name" (or the pattern when unnamed), or "METHOD /api/v1/path"
    path: str  # the pattern, to be filled in
    method: str = ""  # API only


def _django_patterns(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace or ""]))
            yield from _django_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = p.name or str(p.pattern)
            key = f"{namespace}:{name}" if namespace else name
            yield key, prefix + str(p.pattern)


def all_routes() -> list[Route]:
    routes = []
    for key, path in _django_patterns(get_resolver().url_patterns):
        if key.startswith("api-v1:") and key not in API_PAGES:
            continue
        routes.append(Route(key, path))
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    full = f"/api/v1{prefix}{path}"
                    routes.append(Route(f"{method} {full}", full, method))
    return routes


def test_every_route_has_an_entry():
    missing = [r.key for r in all_routes() if access.entry_for(r.key) is None]
    assert not missing, "add these routes to beian/access.py: " + ", ".join(missing)


def test_every_entry_names_a_route():
    keys = [r.key for r in all_routes()]
    unused = [e.route for e in access.ENTRIES if not any(access.entry_for(k) is e for k in keys)]
    assert not unused, unused


def test_docs_roles_matches_the_table():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[1] / "docs" / "roles.md"
    assert doc.read_text(encoding="utf-8") == access.markdown(), (
        "run: beian access_table --output docs/roles.md"
    )


# ---- the world ------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    province: str = ""
    app: Application | None = None
    stages: frozenset = frozenset()
    owner: object = None
    values: dict = field(default_factory=dict)


def _jpeg(width=1024, height=768) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(buf, "JPEG")
    return buf.getvalue()


# Each application fixture: how to drive it there, and the stages it is then at
# (written out, not read from filings/stages.py).
APP_TARGETS = {
    "draft": (S.DRAFT, set()),
    "submitted": (S.SUBMITTED, {"initial_review"}),
    "originals": ("originals", {"originals"}),
    "point": ("point", {"originals", "photos"}),
    "photos": ("photos", {"photos"}),
    "backdrops": ("backdrops", {"backdrops"}),
    "ready": (S.READY, {"ready"}),
    "authority_review": (S.AUTHORITY_REVIEW, set()),
    "authority_returned": (S.AUTHORITY_RETURNED, {"authority_returned"}),
    "approved": (S.APPROVED, set()),
}


def _drive(app, where, staff, applicant):
    fire = workflow.fire
    if where == S.DRAFT:
        return app
    app = fire(app, "submit", actor=applicant)
    if where == S.SUBMITTED:
        return app
    app = fire(app, "approve_initial_review", actor=staff["reviewer"])
    if where == "originals":
        return app
    if where == "backdrops":
        app = fire(
            app,
            "request_backdrop",
            actor=applicant,
            data={"shipping_address": "苏州市姑苏区人民路1号"},
        )
    else:
        app = fire(
            app, "choose_verification_point", actor=applicant, data={"verification_point": "苏州"}
        )
    if where == "point":
        return app
    originals = {"documents": {"verification_form": 3, "security_agreement": 3}}
    app = fire(app, "receive_originals", actor=staff["mailroom"], data=originals)
    if where == "backdrops":
        return app
    app = fire(
        app, "take_point_photo", actor=staff["photo_verifier"], data={"photo": photo_upload()}
    )
    if where == "photos":
        return app
    if where == S.AUTHORITY_RETURNED:
        app = drive_to(app, staff, S.SMS_VERIFICATION)
        return fire(app, "sms_failed", reason="工信部短信核验超时")
    return drive_to(app, staff, where)


@pytest.fixture
def world(db, clock, settings):
    with LoopbackDns() as dns:
        settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": dns.address, "DNS_TIMEOUT_SECONDS": 1.0}
        clock.set(2026, 3, 2, 10)
        yield _build_world()


def _build_world():
    applicant = make_user("walk-owner", mobile="13962100000")
    other = make_user("walk-other")
    cloud = make_user("walk-cloud", Role.HOSTING_OWNER)
    unscoped = {
        r: make_user(f"walk-{r}", r)
        for r in ("reviewer", "mailroom", "photo_verifier", "operator", "authority")
    }
    users = {
        "anonymous": None,
        "applicant": applicant,
        "other applicant": other,
        "hosting_owner": cloud,
    }
    for role in ("reviewer", "mailroom", "photo_verifier", "operator", "authority"):
        for name, province in (("js", JIANGSU), ("bj", BEIJING)):
            users[f"{role} {name}"] = make_user(f"walk-{role}-{name}", role, provinces=[province])
    users["admin"] = make_user("walk-admin", Role.ADMIN)
    users["admin bj"] = make_user("walk-admin-bj", Role.ADMIN, provinces=[BEIJING])
    staff = {**unscoped, "admin": users["admin"]}

    targets: dict[str, list[Target]] = {}
    serial = 0
    for name, (where, stages) in APP_TARGETS.items():
        for province in (JIANGSU, BEIJING):
            serial += 1
            app = start_seed_filing(
                applicant,
                make_code(cloud, ip=f"203.0.113.{serial}"),
                domain=f"walk-{serial}.cn",
                certificate_number=id_number(serial),
            )
            app = fill_seed_filing(app, applicant)
            app = _drive(app, where, staff, applicant)
            # The same filing, moved to Beijing for the other half of the world.
            Application.objects.filter(pk=app.pk).update(province=province)
            app.refresh_from_db()
            targets.setdefault(name, []).append(
                Target(name, province, app, frozenset(stages), applicant)
            )
    for key in access.STAGE_KEYS:
        targets[f"queue:{key}"] = [
            Target(f"queue:{key}", stages=frozenset({key}), values={"stage": key})
        ]
    server = FilingServiceCode.objects.filter(server__owner=cloud).first().server
    code = make_code(cloud, ip="203.0.113.200")
    targets["server"] = [Target("server", owner=cloud, values={"server_id": server.pk})]
    spare = FilingServiceCode.objects.get(code=make_code(cloud, ip="203.0.113.202"))
    targets["code_id"] = [Target("code_id", owner=cloud, values={"code_id": spare.pk})]
    targets["token"] = [Target("token")]  # the caller's own token (values: token_id)
    targets["code"] = [Target("code", values={"code": code})]
    targets["start"] = [Target("start", values={"code": make_code(cloud, ip="203.0.113.201")})]
    for t in targets["submitted"]:
        [message] = enqueue(
            template="application_received",
            context={"order_number": t.app.number},
            idempotency_key=f"walk-{t.app.pk}",
            user=applicant,
            channels=("email",),
        )
        Message.objects.filter(pk=message.pk).update(state=State.FAILED)
        targets.setdefault("message", []).append(
            Target("message", t.province, t.app, owner=applicant, values={"message_id": message.pk})
        )
    return {
        "users": users,
        "targets": targets,
        "apps": [t.app for ts in targets.values() for t in ts if t.app],
    }


# ---- expectations ----------------------------------------------------------------------------------


def _role(user) -> str:
    return "anonymous" if user is None else user.role


def _in_scope(user, target: Target) -> bool:
    if target.app is None:
        return True
    if user is None or user.role in (Role.APPLICANT, Role.HOSTING_OWNER):
        return False
    in_province = not user.provinces or target.province in user.provinces
    if user.role == Role.AUTHORITY:
        return in_province and target.app.state in AUTHORITY_VISIBLE
    return in_province


def expected(cell: str, user, target: Target | None) -> bool:
    if cell == YES:
        return True
    if cell == NO or user is None:
        return False
    if cell == EVERY_PROVINCE:
        return user.role == Role.ADMIN and not user.provinces
    if target is None:
        return cell != NO
    if cell == OWN:
        return target.owner is None or target.owner == user
    if cell == SCOPE:
        return _in_scope(user, target)
    if cell == STAGE:
        if user.role == Role.AUTHORITY:
            return _in_scope(user, target)
        return _in_scope(user, target) and bool(target.stages & set(WORKS.get(user.role, ())))
    raise AssertionError(cell)


def may_see(user, app) -> bool:
    """Whether an order's number may appear in what `user` is shown."""
    if user is None:
        return False
    if user.role == Role.APPLICANT:
        return app.account_id == user.pk
    t = Target("x", app.province, app)
    return _in_scope(user, t)


# ---- requests ---------------------------------------------------------------------------------------


def _fill(path: str, values: dict) -> str:
    path = path.lstrip("^").rstrip("$")
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "accounts", path)
    path = re.sub(r"\(\?P<url>[^)]*\)", "nonexistent/", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    path = path.replace("^", "").replace("$", "")
    return path if path.startswith("/") else "/" + path


def _values(user, entry, target: Target | None, tokens) -> dict:
    values = {
        # an object that exists on every database (ids are not reset on PostgreSQL):
        # the caller's own user, for the admin's user pages
        "object_id": str(getattr(user, "pk", None) or 1),
        "content_type_id": "1",
        "id": str(getattr(user, "pk", None) or 1),
        "token": "not-a-token",
        "uidb64": "MQ",
        "token_id": tokens.get(getattr(user, "pk", None), 0),
        **entry.params,
    }
    if target is not None:
        values.update(target.values)
        app = target.app
        if app is not None:
            values.update(
                number=app.number,
                website_id=app.websites.first().pk,
                material_id=app.materials.filter(active=True).first().pk,
                subject_id=app.subject_id,
            )
    return values


def _photo_b64() -> str:
    return base64.b64encode(_jpeg(1024, 768)).decode()


REASONS = {"reasons": [{"field": "", "text": "走查 / walk"}]}
API_BODIES = {
    "POST /api/v1/accounts/tokens": lambda v: {"name": "walk"},
    "POST /api/v1/filings/applications": lambda v: {
        "service_code": v.get("code", ""),
        "nature": "individual",
        "certificate_type": "resident_id",
        "certificate_number": id_number(900),
        "province": JIANGSU,
        "domains": ["walk-start.cn"],
        "subject_name": "张伟",
    },
    "PUT /api/v1/filings/applications/{number}/subject": lambda v: {"values": {"investor": "张伟"}},
    "PUT /api/v1/filings/applications/{number}/websites/{website_id}": lambda v: {
        "values": {"remarks": "个人读书笔记，记录读过的书和一些想法，不涉及经营。"}
    },
    "POST /api/v1/checks/{kind}": lambda v: {"value": "example.cn"},
    "POST /api/v1/review/submit": lambda v: {"numbers": [v["number"]]},
    "POST /api/v1/review/applications/{number}/return": lambda v: REASONS,
    "POST /api/v1/review/applications/{number}/photo/reject": lambda v: REASONS,
    "POST /api/v1/review/applications/{number}/originals": lambda v: {
        "documents": {"verification_form": 3, "security_agreement": 3}
    },
    "POST /api/v1/review/applications/{number}/originals/discrepancy": lambda v: {
        "documents": {"verification_form": 3, "security_agreement": 2},
        "text": "少一份 / one missing",
    },
    "POST /api/v1/review/applications/{number}/backdrop": lambda v: {
        "courier": "顺丰",
        "tracking_number": "SF1234567890",
    },
    "POST /api/v1/review/applications/{number}/photo": lambda v: {"photo": _photo_b64()},
    "POST /api/v1/authority/sms-relay": lambda v: {
        "phone": "13962100000",
        "code": "123456",
        "key": "walk",
    },
    "POST /api/v1/authority/filing-password-relay": lambda v: {
        "key": "walk",
        "password": "walk-password",
        "phone": "13962100000",
    },
}
PAGE_DATA = {
    "review:return": {"reason-0-text": "走查 / walk"},
    "review:reject_photo": {"photo-0-text": "走查 / walk"},
    "review:call": {"outcome": "reached", "note": "走查"},
    "review:originals": {"documents-verification_form": "3", "documents-security_agreement": "3"},
    "review:discrepancy": {
        "documents-verification_form": "3",
        "documents-security_agreement": "2",
        "discrepancy": "少一份",
    },
    "review:ship": {"courier": "顺丰", "tracking_number": "SF1234567890"},
}


def _send(client: Client, route: Route, entry, url: str, values: dict, auth: dict):
    if route.method:  # the API
        if route.key == "POST /api/v1/materials/{number}":
            data = {"kind": "other", "file": _upload()}
            return client.post(url, data, **auth)
        body = API_BODIES.get(route.key, lambda v: {})(values)
        return client.generic(
            route.method, url, json.dumps(body), content_type="application/json", **auth
        )
    if entry.method == "POST":
        data = dict(PAGE_DATA.get(route.key, {}))
        if route.key == "review:point_photo":
            data["photo"] = _upload()
        return client.post(url, data)
    return client.get(url)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("walk.jpg", _jpeg(), content_type="image/jpeg")


def _outcome(response, entry) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 401:
        return "refused"
    if status in (301, 302) and "/login/" in response.get("Location", ""):
        return "allowed" if entry.answers_login else "refused"
    if status == 403 and entry.answers_403:
        return "allowed"
    if status in (403, 404):
        return "refused"
    if status == 405:
        return "error 405 (the table's method is wrong)"
    return "allowed"


# ---- the walk ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_route_answers_every_role_as_the_table_says(world):
    users, targets, apps = world["users"], world["targets"], world["apps"]
    tokens, auth = {}, {}
    for name, user in users.items():
        if user is not None:
            token, key = ApiToken.issue(user, "walk")
            tokens[user.pk] = token.pk
            auth[name] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    mismatches, leaks, requests = [], [], 0
    routes = all_routes()
    for name, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        hidden = [a.number for a in apps if not may_see(user, a)]
        for route in routes:
            entry = access.entry_for(route.key)
            if entry is None or not entry.walk:
                continue
            cell = entry.cell(_role(user))
            for target in [t for key in entry.target for t in targets[key]] or [None]:
                values = _values(user, entry, target, tokens)
                url = _fill(route.path, values) + (f"?{entry.query}" if entry.query else "")
                with transaction.atomic():
                    sid = transaction.savepoint()
                    response = _send(client, route, entry, url, values, auth.get(name, {}))
                    transaction.savepoint_rollback(sid)
                if user is not None and "logout" in route.key:
                    client.force_login(user)  # the walk goes on logged in
                requests += 1
                got = _outcome(response, entry)
                want = "allowed" if expected(cell, user, target) else "refused"
                where = f"{target.name} {target.province}".strip() if target else ""
                if got != want:
                    mismatches.append(
                        f"{name:18} {route.key} [{where}] cell={cell}: "
                        f"{got} ({response.status_code}), table says {want}"
                    )
                elif got == "allowed" and not response.get("Content-Type", "").startswith("image"):
                    body = response.content.decode("utf-8", "replace")
                    # An order the user named themselves may be echoed back.
                    seen = [n for n in hidden if n in body and n != values.get("number")]
                    if seen:
                        leaks.append(f"{name:18} {route.key} [{where}] shows {seen}")
    report = "\n".join(mismatches + leaks)
    assert not mismatches and not leaks, (
        f"{len(mismatches)} mismatches, {len(leaks)} leaks in {requests} requests:\n{report}"
    )
