"""The figures API on hand-written aggregates (tests/monitoring/dashboard_data.py): the same numbers
as the pages, the caller's own region by default, 404 outside the scope in every parameter, 403 for
field roles, 422 naming the period."""

import pytest

from sukarela.monitoring import indicators as ind
from tests.monitoring.dashboard_data import months_ago, small_programme, this_month


@pytest.fixture
def programme(world):
    small_programme()
    return world


def test_indicators_are_the_definitions(client, programme):
    client.force_login(programme.tks_in)
    body = client.get("/api/monitoring/indicators").json()
    assert [i["code"] for i in body] == [i.code for i in ind.INDICATORS]
    visited = next(i for i in body if i["code"] == "visited_30d")
    assert visited["unit"] == "percent" and visited["level"] == "group" and visited["topic"] == "groups"
    assert "÷" in visited["formula"] and visited["name"] == "Kelompok dikunjungi 30 hari terakhir"


def test_figures_default_to_the_callers_region_and_period(client, programme):
    client.force_login(programme.provincial)
    body = client.get("/api/monitoring/figures").json()
    assert body["region"] == {"code": "32", "name": "Jawa Barat", "level": 1, "parent": ""}
    assert body["period"] == f"{months_ago(11):%Y-%m}..{this_month():%Y-%m}"
    assert body["values"]["visits"] == 11 and body["values"]["visited_30d"] == 50.0
    assert body["components"]["groups_mentored"] == 6
    body = client.get("/api/monitoring/figures", {"region": "32.02", "period": f"{this_month():%Y-%m}"}).json()
    assert body["values"]["visits"] == 1 and body["period"] == f"{this_month():%Y-%m}"


def test_children_and_trend(client, programme):
    client.force_login(programme.national)
    body = client.get("/api/monitoring/children").json()
    assert body["region"]["code"] == ""
    assert [(c["region"]["code"], c["values"]["visited_30d"]) for c in body["children"]] == [("32", 50.0),
                                                                                              ("52", 100.0)]
    assert client.get("/api/monitoring/children", {"region": "32.01"}).json()["children"] == []
    body = client.get("/api/monitoring/trend", {"region": "32.01", "months": 3}).json()
    assert [m["month"] for m in body["months"]] == [f"{months_ago(n):%Y-%m}" for n in (2, 1, 0)]
    assert [m["values"]["visits"] for m in body["months"]] == [None, 6, 4]


@pytest.mark.parametrize("period", ["2026-13", "besok", "2999", "2026-06..2026-01", "1999-01"])
def test_a_bad_period_is_422_naming_it(client, programme, period):
    client.force_login(programme.national)
    for url in ("/api/monitoring/figures", "/api/monitoring/children", "/api/monitoring/map"):
        response = client.get(url, {"period": period})
        assert response.status_code == 422, (url, period)
        assert response.json()["detail"][0]["loc"] == ["query", "period"]


def test_other_bad_parameters_are_422_or_404_never_500(client, programme):
    client.force_login(programme.national)
    assert client.get("/api/monitoring/trend", {"months": 0}).status_code == 422
    assert client.get("/api/monitoring/trend", {"months": 121}).status_code == 422
    assert client.get("/api/monitoring/figures", {"region": "x" * 14}).status_code == 422
    for code in ("99", "32.01.01", "a\x00", "32."):
        assert client.get("/api/monitoring/figures", {"region": code}).status_code in (400, 404, 422), code
    assert client.get("/api/monitoring/groups").status_code == 404  # the nation is not a regency
    assert client.get("/api/monitoring/groups/999999").status_code == 404
    assert client.get("/api/monitoring/groups/0").status_code == 422


def test_scope_in_every_parameter(client, programme):
    client.force_login(programme.district_other)
    for url in ("/api/monitoring/figures", "/api/monitoring/children", "/api/monitoring/trend",
                "/api/monitoring/groups", "/api/monitoring/map"):
        assert client.get(url, {"region": "32.01"}).status_code == 404, url
        assert client.get(url, {"region": "32"}).status_code == 404, url
        assert client.get(url, {"region": ""}).status_code in (200, 404), url
    assert client.get("/api/monitoring/figures").json()["region"]["code"] == "32.02"


def test_field_roles_only_reach_their_own(client, programme):
    client.force_login(programme.tks_in)
    for url in ("/api/monitoring/figures", "/api/monitoring/children", "/api/monitoring/trend",
                "/api/monitoring/groups", "/api/monitoring/map", "/api/monitoring/budgets"):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/monitoring/mine").json()["groups"] == []
    client.force_login(programme.district)
    assert client.get("/api/monitoring/mine").status_code == 403
