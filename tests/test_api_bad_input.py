"""Bad input through the API (issue 13): opening a filing checks what the start page
checks, with the same codes; every refusal has a code and a message; no route of
filings, materials, review or hosting answers a 5xx to wrong types, nulls,
negative offsets or foreign ids; the OpenAPI lists each route's 4xx answers."""

import pytest

from beian.accounts.models import ApiToken
from beian.api import api
from testing import SEED_ID, fill_seed_filing, make_code, make_user, start_seed_filing

pytestmark = pytest.mark.django_db

START = {
    "nature": "individual",
    "certificate_type": "resident_id",
    "certificate_number": SEED_ID,
    "province": "320000",
    "domains": ["zhangwei-notes.cn"],
    "subject_name": "张伟",
}


CHOICES = {"province", "nature", "certificate_type"}


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def start(client, user, code, **changes):
    return client.post(
        "/api/v1/filings/applications",
        {"service_code": code, **START, **changes},
        content_type="application/json",
        **bearer(user),
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"certificate_number": SEED_ID[:-1] + "0"}, "certificate_number", "id_card_checksum"),
        ({"province": "999999"}, "province", "province_unknown"),
        ({"nature": "alien"}, "nature", "nature_unknown"),
        ({"certificate_type": "library_card"}, "certificate_type", "certificate_type_unknown"),
        ({"certificate_number": ""}, "certificate_number", "field_required"),
        ({"domains": []}, "domains", "domains_required"),
        ({"domains": ["bad_domain!.cn"]}, "domains", None),
        ({"subject_name": "张" * 101}, "subject_name", "value_too_long"),
    ],
)
def test_start_by_api_refuses_what_the_start_page_refuses(
    client, applicant, hosting_owner, changes, field, code
):
    service_code = make_code(hosting_owner)
    response = start(client, applicant, service_code, **changes)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "start_invalid" and body["message"]
    problem = next(e for e in body["errors"] if e["field"] == field)
    assert problem["message"] and "{" not in problem["message"]
    if code:
        assert problem["code"] == code
    # The start page says the same, next to the same field, from the same check.
    client.force_login(applicant)
    form = {**START, **changes, "domains": "\n".join(changes.get("domains", START["domains"]))}
    page = client.post("/filings/start/", {"service_code": service_code, **form})
    errors = page.context["start_form"].errors[field]
    if field in CHOICES or code in (
        "field_required",
        "domains_required",
        "value_too_long",
    ):  # the field's own
        assert errors
    else:
        assert problem["message"] in errors
    # Nothing was opened and the code is still free.
    assert client.get("/api/v1/filings/applications", **bearer(applicant)).json() == []
    assert start(client, applicant, service_code).status_code == 201


def test_start_normalises_a_province_given_by_name_and_a_lowercase_x(
    client, applicant, hosting_owner
):
    number = "11010519491231002x"
    made = start(
        client, applicant, make_code(hosting_owner), province="北京", certificate_number=number
    )
    assert made.status_code == 201, made.json()
    assert made.json()["application"]["province"] == "110000"


def test_wrong_types_and_nulls_are_refused_with_a_code(client, applicant, hosting_owner):
    code = make_code(hosting_owner)
    for changes in ({"domains": "zhangwei-notes.cn"}, {"province": None}, {"nature": 3}):
        response = start(client, applicant, code, **changes)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_input" and response.json()["message"]


def _operations(tags: set[str]):
    spec = api.get_openapi_schema()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if set(op.get("tags", [])) & tags:
                yield path.removeprefix("/api/v1"), method, op


BAD_VALUES = [None, -1, "", "x" * 300, [], {}, True, 1.5, {"a": [None]}]


def _bodies(op, spec) -> list:
    """A body of the wrong shape, then each known property given each bad value."""
    bodies = [None, [], "text", 7]
    content = (op.get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for name in schema.get("properties", {}):
        bodies += [{name: value} for value in BAD_VALUES]
    return bodies


def test_no_route_answers_5xx_to_bad_input(client, applicant, hosting_owner, staff):
    mine = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    other = make_user("other-applicant")
    spec = api.get_openapi_schema()
    numbers = [mine.number, "0", "-1", "%00", "9" * 40]
    ids = ["-1", "0", "999999", "abc"]
    callers = [bearer(applicant), bearer(other), bearer(staff["reviewer"]), bearer(hosting_owner)]
    seen = 0
    for path, method, op in _operations({"filings", "materials", "review", "hosting"}):
        for number in numbers:
            url = path
            for name in ("number", "code"):
                url = url.replace("{" + name + "}", number)
            for name in ("website_id", "material_id", "server_id", "stage", "form"):
                url = url.replace("{" + name + "}", ids[seen % len(ids)])
            url = url.replace("{event}", "submit")
            query = "?offset=-1&limit=-5&page=-3&include_replaced=maybe&state=%00"
            for headers in callers:
                bodies = _bodies(op, spec) if method in ("post", "put") else [None]
                for body in bodies:
                    call = getattr(client, method)
                    if body is None:
                        response = call("/api/v1" + url + query, **headers)
                    else:
                        response = call(
                            "/api/v1" + url + query,
                            body,
                            content_type="application/json",
                            **headers,
                        )
                    seen += 1
                    assert response.status_code < 500, (method, url, body, response.content)
                    if response.status_code >= 400:
                        data = response.json()
                        assert data.get("code") and data.get("message"), (method, url, data)
    assert seen > 500


def test_openapi_lists_each_routes_refusals():
    for path, method, op in _operations({"filings", "materials", "review", "hosting"}):
        if path == "/filings/workflow":
            continue  # public and always answers
        statuses = {int(s) for s in op["responses"]}
        assert {401, 422} <= statuses, (method, path, statuses)
        if "{number}" in path and method == "post":  # an order's action: state, role, scope
            assert {403, 404, 409} <= statuses or "/materials/" in path, (method, path)
        for status in statuses - {200, 201, 204}:
            answer = op["responses"].get(status) or op["responses"][str(status)]
            schema = answer["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith("/ErrorOut"), (method, path, status)
    start = api.get_openapi_schema()["paths"]["/api/v1/filings/applications"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "422"} <= set(map(str, start["responses"]))


@pytest.mark.parametrize(
    ("step", "values"),
    [
        ("subject", {"name": 5}),
        ("subject", {"principal": 7}),
        ("subject", {"principal": {"certificate_valid_to": "yesterday"}}),
        ("subject", {"principal": {"certificate_type": "library_card"}}),
        ("subject", {"nature": "alien"}),
        ("subject", {"mailing_address": "x" * 500}),
        ("website", {"name": ["a"]}),
        ("website", {"domains": "zhangwei-notes.cn"}),
        ("website", {"domains": [None]}),
        ("website", {"domains": ["bad_domain!.cn"]}),
        ("website", {"preapprovals": [{"type": 1}]}),
        ("website", {"principal": "someone_else"}),
    ],
)
def test_bad_values_of_the_steps_are_refused_with_a_code(
    client, applicant, hosting_owner, step, values
):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    base = f"/api/v1/filings/applications/{app.number}"
    url = f"{base}/subject" if step == "subject" else f"{base}/websites/{app.websites.get().pk}"
    headers = bearer(applicant)
    response = client.put(url, {"values": values}, content_type="application/json", **headers)
    assert response.status_code in (400, 422), (url, values, response.content)
    assert response.json()["code"] and response.json()["message"]


def test_a_foreign_website_id_is_not_found(client, applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    response = client.put(
        f"/api/v1/filings/applications/{app.number}/websites/999999",
        {"values": {}},
        content_type="application/json",
        **bearer(applicant),
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_offset_beyond_the_databases_integers_is_refused_not_a_500(client, applicant):
    # Found by the fuzz run: SQLite cannot bind an offset of 10**20 ("datatype mismatch").
    headers = bearer(applicant)
    response = client.get("/api/v1/filings/applications?offset=99999999999999999999", **headers)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert client.get("/api/v1/filings/applications?offset=1000000", **headers).json() == []
