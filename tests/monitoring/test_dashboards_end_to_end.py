"""The dashboards over raw rows folded in by the real refresh (tests/monitoring/dashboard_data.py,
real_programme: its docstring works out each number)."""

import pytest
from django.utils.formats import date_format

from tests.monitoring.dashboard_data import real_programme
from tests.monitoring.test_dashboards_pages import figure, table_rows


@pytest.fixture
def real(world):
    return real_programme(world)


def test_the_regency_page_shows_groups_tks_and_figures(client, real):
    w = real.world
    client.force_login(w.district)
    body = client.get("/pantau/wilayah/32.01/").content.decode()
    assert figure(body, "visits") == "2"
    assert figure(body, "jobs_created") == "3"
    assert figure(body, "groups_mentored") == "2"
    assert figure(body, "visited_30d") == "50,0 %"
    assert figure(body, "turnover_growth") == "50,0 %"
    assert table_rows(body, "peran")[:2] == [["Peran Motivator", "66,7 %"], ["Peran Fasilitator", "33,3 %"]]
    groups = {r[0]: r for r in table_rows(body, "kelompok")}
    assert set(groups) == {"Kelompok Melati", "Kelompok Mawar", "Kelompok Kenanga"}
    melati = groups["Kelompok Melati"]
    assert melati[5] == w.tks_in.full_name and melati[6] == "2"
    assert melati[7] == date_format(real.two_days_ago, "j M Y")
    assert melati[8:] == ["Rp 1.500.000", "50,0 %", "3", "ya"]
    assert groups["Kelompok Mawar"][6] == "1" and groups["Kelompok Mawar"][11] == "tidak"
    assert groups["Kelompok Kenanga"][5] == "—"
    assert f'href="/pantau/kelompok/{real.g1.pk}/"' in body
    assert table_rows(body, "tks") == [[w.tks_in.full_name, "2", "3", date_format(real.two_days_ago, "j M Y")]]


def test_the_province_and_nation_rank_what_the_refresh_rolled_up(client, real):
    client.force_login(real.world.national)
    body = client.get("/pantau/nasional/").content.decode()
    assert figure(body, "visits") == "3"
    assert table_rows(body, "peringkat")[0] == ["Jawa Barat", "32", "33,3 %"]
    body = client.get("/pantau/wilayah/32/").content.decode()
    assert figure(body, "visited_30d") == "33,3 %"
    assert [r[1:] for r in table_rows(body, "peringkat")] == [["32.01", "50,0 %"], ["32.02", "0,0 %"]]


def test_the_group_page_and_my_groups(client, real):
    w = real.world
    client.force_login(w.tks_in)
    body = client.get("/pantau/saya/").content.decode()
    assert [r[0] for r in table_rows(body, "kelompok")] == ["Kelompok Mawar", "Kelompok Melati"]
    assert f'href="/pantau/kelompok/{real.g1.pk}/"' in body
    body = client.get(f"/pantau/kelompok/{real.g1.pk}/").content.decode()
    assert '<dd id="group-visits">2</dd>' in body
    assert 'id="group-record"' not in body  # the group's record page is the officers'
    monthly = table_rows(body, "bulanan")
    assert len(monthly) == 24
    assert sum(int(r[1]) for r in monthly) == 2 and sum(int(r[4]) for r in monthly) == 3
    assert table_rows(body, "peran")[0] == ["Motivator", "2"]
    assert client.get(f"/pantau/kelompok/{real.g3.pk}/").status_code == 404  # not theirs
    client.force_login(w.district)
    body = client.get(f"/pantau/kelompok/{real.g1.pk}/").content.decode()
    assert 'id="group-record"' in body
    assert client.get(f"/pantau/kelompok/{real.g4.pk}/").status_code == 404


def test_the_api_answers_the_same_numbers(client, real):
    w = real.world
    client.force_login(w.district)
    body = client.get("/api/monitoring/figures").json()  # region omitted: the caller's own
    assert body["region"] == {"code": "32.01", "name": "Kabupaten Bogor", "level": 2, "parent": "32"}
    assert body["values"]["visits"] == 2 and body["values"]["visited_30d"] == 50.0
    assert body["refreshed_at"] is not None
    groups = client.get("/api/monitoring/groups").json()["groups"]
    melati = next(g for g in groups if g["name"] == "Kelompok Melati")
    assert melati["turnover_growth"] == 50.0 and melati["new_workers"] == 3 and melati["visited_30d"] is True
    detail = client.get(f"/api/monitoring/groups/{real.g1.pk}").json()
    assert len(detail["months"]) == 24 and sum(m["visits"] for m in detail["months"]) == 2
    client.force_login(w.tks_in)
    mine = client.get("/api/monitoring/mine").json()
    assert sorted(g["name"] for g in mine["groups"]) == ["Kelompok Mawar", "Kelompok Melati"]
