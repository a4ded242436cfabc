"""How the HTTP API authenticates and fails: every error is JSON with `detail`, never a 500."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sukarela.core import services
from sukarela.core.models import AuditEvent, User
from sukarela.core.roles import Role
from sukarela.regions.models import within

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def english_catalogue():
    """The English .mo, compiled from the .po as set-up does; Django re-reads catalogues afterwards."""
    from io import StringIO

    from django.utils.translation import trans_real

    call_command("compiletranslations", stdout=StringIO())
    # A catalogue read before its .mo existed (or changed) is cached without the new messages.
    trans_real._translations.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates the request's language for the rest of the thread; put it back.
    yield
    translation.deactivate()


def _json(client, method, url, body, **extra):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)


def _valid_new_user(world, **overrides):
    return {"username": "lewat-api", "full_name": "Lewat API", "role": "tks", "region": world.village_in.code,
            **overrides}


# --- authentication ----------------------------------------------------------------
def test_bearer_token_authenticates(world):
    token, secret = services.create_api_token(world.district, world.district, "skrip")
    client = Client(enforce_csrf_checks=True)  # token callers are not subject to CSRF
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["username"] == "kab-bogor"

    listed = client.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    names = {u["username"] for u in listed["items"]}
    assert "tks-bogor" in names and "tks-sukabumi" not in names

    response = _json(client, "post", "/api/users", _valid_new_user(world), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201, response.content
    assert AuditEvent.objects.order_by("-id").first().actor == world.district
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_field_user_token_sees_only_themself(world):
    _token, secret = services.create_api_token(world.tks_in, world.tks_in, "ponsel")
    listed = Client().get("/api/users", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert [u["username"] for u in listed["items"]] == ["tks-bogor"]


@pytest.mark.parametrize("case", ["wrong", "revoked", "inactive-user", "not-bearer"])
def test_bad_token_is_401(world, case):
    token, secret = services.create_api_token(world.district, world.district, "skrip")
    header = f"Bearer {secret}"
    if case == "wrong":
        header = f"Bearer {secret[:-2]}xx"
    elif case == "revoked":
        services.revoke_api_token(world.district, token)
    elif case == "inactive-user":
        User.objects.filter(pk=world.district.pk).update(is_active=False)
    else:
        header = f"Token {secret}"
    client = Client()
    response = client.get("/api/users", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()
    before = User.objects.count()
    response = _json(client, "post", "/api/users", _valid_new_user(world), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert User.objects.count() == before


def test_no_session_no_token_is_401(world):
    client = Client()
    for response in (client.get("/api/users"), client.get("/api/me"),
                     _json(client, "post", "/api/users", _valid_new_user(world)),
                     _json(client, "patch", f"/api/users/{world.tks_in.pk}", {"full_name": "X"})):
        assert response.status_code == 401, response.content
        assert response.json() == {"detail": "Unauthorized"}
    assert not User.objects.filter(username="lewat-api").exists()


def test_session_writes_are_csrf_checked(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.district)
    response = _json(client, "post", "/api/users", _valid_new_user(world))
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not User.objects.filter(username="lewat-api").exists()
    assert client.get("/api/users").status_code == 200  # reads need no CSRF token


# --- malformed and mistyped requests ------------------------------------------------
@pytest.mark.parametrize("body", [b"{bad json", b'{"username": ', b"\xff\xfe\x00", b"'single'"])
def test_malformed_json_is_400_with_detail(client, world, body):
    client.force_login(world.district)
    for method, url in (("post", "/api/users"), ("patch", f"/api/users/{world.tks_in.pk}")):
        response = getattr(client, method)(url, data=body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        ("post", {"username": "abc-def", "full_name": "X", "role": 5}, "role"),
        ("post", {"username": "abc-def", "full_name": "X", "role": "raja"}, "role"),
        ("post", {"username": "a b", "full_name": "X", "role": "tks"}, "username"),
        ("post", {"username": "abc-def", "full_name": ["X"], "role": "tks"}, "full_name"),
        ("post", {"username": "abc-def", "full_name": "X", "role": "tks", "region": 3201}, "region"),
        ("patch", {"is_active": "maybe"}, "is_active"),
        ("patch", {"role": 5}, "role"),
        ("patch", {"phone": 81234567890}, "phone"),
        ("patch", {"region": "32.01.01.1001.99"}, "region"),  # longer than any Kemendagri code
    ],
)
def test_wrong_types_are_422_naming_the_field(client, world, method, body, field):
    client.force_login(world.district)
    url = "/api/users" if method == "post" else f"/api/users/{world.tks_in.pk}"
    before = AuditEvent.objects.count()
    response = _json(client, method, url, body)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail and all(isinstance(e["loc"], list) and e["msg"] for e in detail)
    assert [e["loc"][0] for e in detail] == ["body"] * len(detail)
    assert all(field in e["loc"] for e in detail), detail
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("url", "field"), [("/api/users?limit=abc", "limit"), ("/api/users?offset=-1", "offset"),
                                            ("/api/users?limit=0", "limit"), ("/api/users?role=raja", "role"),
                                            ("/api/regions?max_level=9", "max_level")])
def test_bad_query_params_are_422_naming_the_field(client, world, url, field):
    client.force_login(world.district)
    response = client.get(url)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail and all(e["loc"][0] == "query" and field in e["loc"] for e in detail), detail


def test_missing_fields_are_each_named(client, world):
    client.force_login(world.district)
    response = _json(client, "post", "/api/users", {})
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"username", "full_name", "role"}


def test_unknown_region_is_422_at_body_region(client, world):
    client.force_login(world.district)
    response = _json(client, "post", "/api/users", _valid_new_user(world, region="99.99"))
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "region"], "msg": "Kode wilayah tidak dikenal: 99.99", "type": "value_error"}
    ]
    assert not User.objects.filter(username="lewat-api").exists()


def test_service_errors_are_all_listed_by_field(client, world):
    client.force_login(world.district)
    response = _json(client, "post", "/api/users", _valid_new_user(
        world, username="tks-bogor", region=world.village_out.code, phone="12", email="bukan-email", password="123"))
    assert response.status_code == 422
    fields = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert fields == {("body", f) for f in ("username", "region", "phone", "email", "password")}


def test_permission_denied_is_403_json(client, world):
    client.force_login(world.district)
    response = _json(client, "patch", f"/api/users/{world.district.pk}", {"full_name": "Saya Sendiri"})
    assert response.status_code == 403
    assert response.json()["detail"]
    world.district.refresh_from_db()
    assert world.district.full_name != "Saya Sendiri"


def test_out_of_scope_get_and_patch_are_404(client, world):
    client.force_login(world.district)
    target = world.tks_out
    response = client.get(f"/api/users/{target.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert target.username not in response.content.decode()
    before = AuditEvent.objects.count()
    response = _json(client, "patch", f"/api/users/{target.pk}", {"full_name": "Diambil Alih"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.full_name != "Diambil Alih"
    assert AuditEvent.objects.count() == before
    # An id that does not exist at all answers the same.
    assert client.get("/api/users/999999").status_code == 404
    assert client.get("/api/users/99999999999999999999999").status_code == 404


def test_english_message_for_a_service_error(client, world, english_catalogue):
    client.force_login(world.district)
    body = _valid_new_user(world, region="99.99", phone="12")
    response = _json(client, "post", "/api/users", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    messages = {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}
    assert messages == {"region": "Unknown region code: 99.99", "phone": "Invalid mobile number: 12"}
    response = _json(client, "post", "/api/users", body, HTTP_ACCEPT_LANGUAGE="id")
    messages = {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}
    assert messages["region"] == "Kode wilayah tidak dikenal: 99.99"


# --- regressions: these answered 500 at commit bd2d54d -----------------------------
@pytest.mark.parametrize("field", ["email", "phone", "is_active", "full_name", "role", "region"])
def test_patch_null_is_never_a_server_error(world, field):
    client = Client(raise_request_exception=False)
    client.force_login(world.district)
    response = _json(client, "patch", f"/api/users/{world.tks_in.pk}", {field: None})
    assert response.status_code in (200, 422), response.content[:300]
    world.tks_in.refresh_from_db()
    if response.status_code == 422:
        assert all(field in e["loc"] for e in response.json()["detail"])
    assert world.tks_in.is_active is True and world.tks_in.role == Role.TKS  # never nulled


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("value", [2**63, 2**63 + 1, 10**30])
def test_huge_page_numbers_are_422_not_500(world, param, value):
    client = Client(raise_request_exception=False)
    client.force_login(world.national)
    for url in ("/api/users", "/api/audit"):
        response = client.get(f"{url}?{param}={value}")
        assert response.status_code == 422, (url, response.content[:300])
        assert all(e["loc"][0] == "query" and param in e["loc"] for e in response.json()["detail"])


# --- NUL characters: PostgreSQL text cannot hold them, so they are refused at the edge ----


@pytest.mark.parametrize("request_", [
    ("post", "/api/users", {"username": "nul-di-nama", "full_name": "A\x00B", "role": "tks",
                            "region": "32.01.01.1001"}),
    ("post", "/api/users", {"username": "nul-di-wilayah", "full_name": "X", "role": "tks", "region": "32\x00"}),
    ("patch", "/api/users/{tks}", {"full_name": "A\x00B"}),
    ("get", "/api/users?q=%00", None),
    ("get", "/api/regions?q=Ci%00", None),
    ("get", "/api/regions?parent=%00", None),
    ("get", "/api/regions/%00", None),
], ids=["create-full-name", "create-region", "patch-full-name", "users-q", "regions-q", "regions-parent",
        "region-path"])
def test_nul_characters_are_not_a_server_error(world, request_):
    method, url, body = request_
    client = Client(raise_request_exception=False)
    client.force_login(world.district)
    url = url.format(tks=world.tks_in.pk)
    response = _json(client, method, url, body) if body is not None else client.get(url)
    _assert_clean_response(response)


# --- fuzzing -----------------------------------------------------------------------
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
REGION_CODES = ["32", "32.01", "32.02", "32.01.01", "32.01.01.1001", "32.02.01.1001", "52", "52.03.01", "99.99", "",
                " 32.01.01.1006 ", "32.0"]
plausible = {
    "username": st.from_regex(r"[A-Za-z0-9_.-]{3,16}", fullmatch=True) | st.sampled_from(["tks-bogor", "KAB-BOGOR"]),
    "full_name": st.text(max_size=30),
    "role": st.sampled_from(Role.values),
    "region": st.sampled_from(REGION_CODES) | st.text(max_size=14),
    "email": st.emails() | st.sampled_from(["", "bukan-email", "A@Contoh.GO.ID"]) | st.text(max_size=30),
    "phone": st.sampled_from(["", "0812 3456 7890", "+6281234567890", "12", "021 1234567"]) | st.text(max_size=22),
    "password": st.sampled_from(["", "12345", "kata-sandi-panjang-2025"]) | st.text(max_size=30),
    "is_active": st.booleans(),
}
# A few real fields at a time, each with a plausible, null or arbitrary value.
field_dicts = st.lists(
    st.sampled_from(sorted(plausible)).flatmap(lambda k: st.tuples(st.just(k), plausible[k] | st.none() | json_values)),
    max_size=4,
).map(dict)
# Mostly well-formed creates, so the fuzz also reaches the service layer and the database.
near_valid_creates = st.fixed_dictionaries(
    {k: plausible[k] for k in ("username", "full_name", "role", "region")},
    optional={k: plausible[k] | st.none() | json_values for k in ("email", "phone", "password", "is_active")},
)
bodies = json_values | field_dicts | near_valid_creates


def _assert_clean_response(response):
    assert response.status_code < 500, response.content[:500]
    payload = json.loads(response.content)
    if response.status_code >= 400:
        assert isinstance(payload, dict) and payload.get("detail"), payload


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.district)
    return client


def _isolated(send):
    """Run one fuzz example in a savepoint that is rolled back, so examples cannot affect each other."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


@FUZZ
@given(body=bodies)
def test_fuzz_post_users(officer_client, world, body):
    response = _isolated(lambda: _json(officer_client, "post", "/api/users", body))
    _assert_clean_response(response)
    if response.status_code == 201:
        assert within(response.json()["region"], "32.01")  # the officer's own regency counts as inside


@FUZZ
@given(body=bodies)
def test_fuzz_patch_user(officer_client, world, body):
    response = _isolated(lambda: _json(officer_client, "patch", f"/api/users/{world.tks_in.pk}", body))
    _assert_clean_response(response)
    if response.status_code == 200:
        assert response.json()["id"] == world.tks_in.pk


@FUZZ
@given(raw=st.text() | st.binary(), method=st.sampled_from(["post", "patch"]))
def test_fuzz_raw_bodies(officer_client, world, raw, method):
    url = "/api/users" if method == "post" else f"/api/users/{world.tks_in.pk}"
    response = _isolated(lambda: getattr(officer_client, method)(url, data=raw, content_type="application/json"))
    _assert_clean_response(response)


query_values = st.text(max_size=20) | st.integers(-(2**70), 2**70).map(str) | st.sampled_from(
    ["", "0", "-1", "1", "tks", "district", "32.01", "32", "Ci", "99.99", "%", "_", "4", "5"])
page_numbers = st.integers().map(str) | st.integers(2**62, 2**80).map(str) | st.text(max_size=10)
# The real parameters with plausible or arbitrary values, plus a couple of unknown ones.
user_list_params = st.builds(
    lambda known, other: {**other, **known},
    st.fixed_dictionaries({}, optional={
        "q": st.text(max_size=90), "role": st.sampled_from([*Role.values, ""]) | st.text(max_size=12),
        "region": st.sampled_from(REGION_CODES) | st.text(max_size=16), "limit": page_numbers, "offset": page_numbers,
    }),
    st.dictionaries(st.text(max_size=8), query_values, max_size=2),
)
region_params = st.builds(
    lambda known, other: {**other, **known},
    st.fixed_dictionaries({}, optional={
        "parent": st.sampled_from(REGION_CODES) | st.text(max_size=16), "q": st.text(max_size=90) | st.just("Ci"),
        "max_level": page_numbers,
    }),
    st.dictionaries(st.text(max_size=8), query_values, max_size=2),
)


@FUZZ
@given(params=user_list_params)
def test_fuzz_user_list_query(officer_client, world, params):
    response = officer_client.get("/api/users", data=params)
    _assert_clean_response(response)
    if response.status_code == 200:
        items = response.json()["items"]
        assert all(not u["region"] or u["region"] == "32.01" or u["region"].startswith("32.01.") for u in items)


@FUZZ
@given(params=region_params)
def test_fuzz_region_query(client, regions, params):
    response = client.get("/api/regions", data=params)
    _assert_clean_response(response)
    if response.status_code == 200:
        assert isinstance(response.json(), list)


# --- health and the schema ---------------------------------------------------------
def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    payload = response.json()
    assert payload["status"] == "ok" and payload["database"] == "ok"


def test_openapi_document_lists_the_user_paths(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/users"])
    assert {"get", "patch"} <= set(paths["/api/users/{user_id}"])
    assert "/api/regions" in paths and "/api/regions/{code}" in paths
    assert schema["info"]["title"] == "Sukarela API"


def test_a_tokens_last_use_is_noted_at_most_once_a_minute(world, django_assert_num_queries):
    import datetime as dt

    from django.utils import timezone

    from sukarela.core import selectors

    token, secret = services.create_api_token(world.district, world.district, "skrip")
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    found = selectors.active_token(secret)  # the stored time read back (SQLite: from text)
    assert found.pk == token.pk and found.user == world.district and found.last_used_at == first
    with django_assert_num_queries(0):
        services.touch_api_token(found)  # used a moment ago: nothing to write
    found.last_used_at = timezone.now() - dt.timedelta(minutes=2)
    services.touch_api_token(found)
    token.refresh_from_db()
    assert token.last_used_at > first
