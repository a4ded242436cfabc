"""The monitoring map (selectors/map.py, its API operation and page): regions shaded by an
indicator, points of groups, TKS and BLK in scope at province and regency level, cut at a cap; a
plain background when no tile server is configured. Figures: tests/monitoring/dashboard_data.py
(Bogor and Sukabumi 50 % visited, Lombok Timur 100 %, NTB 100 %, Jawa Barat 50 %)."""

import pytest

from sukarela.assignments.models import MentorProfile
from sukarela.core.roles import Role
from sukarela.monitoring.selectors import map as selectors
from sukarela.monitoring.views.options import default_period
from sukarela.partners.models import TrainingCentre
from sukarela.regions.models import Region
from tests.conftest import make_user
from tests.groups.conftest import make_group
from tests.monitoring.dashboard_data import small_programme

POINTS = {"32": (-6.9, 107.6), "52": (-8.6, 116.1), "32.01": (-6.6, 106.8), "32.02": (-6.9, 106.9),
          "52.03": (-8.6, 116.5)}


@pytest.fixture
def mapped(world):
    """The hand-made figures, points for the provinces, regencies and the two villages; in Kab. Bogor a
    group with its own GPS point and one without (at its village's point), a TKS with a profile point,
    a BLK; in Kab. Sukabumi a group, a TKS at their village's point and a BLK."""
    small_programme()
    for code, (lat, lon) in POINTS.items():
        Region.objects.filter(code=code).update(lat=lat, lon=lon)
    Region.objects.filter(code=world.village_in.code).update(lat=-6.55, lon=106.75)
    Region.objects.filter(code=world.village_out.code).update(lat=-6.95, lon=106.55)
    w = world
    w.gps_group = make_group(w, "in", name="Kelompok Bertitik", lat=-6.5, lon=106.7)
    w.village_group = make_group(w, "in", name="Kelompok Desa", chair=None)
    w.other_group = make_group(w, "out", name="Kelompok Sukabumi")
    MentorProfile.objects.create(user=w.tks_in, lat=-6.45, lon=106.65)
    w.blk = TrainingCentre.objects.create(name="BLK Bogor", kind="uptp", region_id="32.01")
    w.blk_out = TrainingCentre.objects.create(name="BLK Sukabumi", kind="uptp", region_id="32.02")
    return w


def test_classes_are_equal_width_over_the_values_present():
    assert selectors.classes([None, None]) == []
    assert selectors.classes([5, 5, None]) == [(5.0, 5.0)]
    bounds = selectors.classes([0, 50, 100])
    assert bounds[0] == (0.0, 20.0) and bounds[-1] == (80.0, 100.0) and len(bounds) == 5
    assert [selectors.shade(v, bounds) for v in (0, 20, 20.5, 100, None)] == [0, 0, 1, 4, None]


def test_the_nation_shows_provinces_shaded_and_no_points(mapped):
    data = selectors.map_data(mapped.national, "", "visited_30d", default_period())
    by_code = {r["code"]: r for r in data.regions}
    assert set(by_code) == {"32", "52"}
    assert by_code["52"]["value"] == 100.0 and by_code["52"]["colour"] == selectors.SHADES[-1]
    assert by_code["32"]["value"] == 50.0 and by_code["32"]["colour"] == selectors.SHADES[0]
    assert (by_code["32"]["lat"], by_code["32"]["lon"]) == POINTS["32"]
    assert data.points == {"groups": [], "tks": [], "centres": []}
    assert data.legend[-1] == {"colour": selectors.NO_VALUE, "low": None, "high": None}


def test_a_province_shows_its_regencies_and_the_points_in_scope(mapped):
    w = mapped
    data = selectors.map_data(w.provincial, "32", "visits", default_period())
    assert [(r["code"], r["value"]) for r in data.regions] == [("32.01", 10), ("32.02", 1)]
    groups = {p["name"]: (p["lat"], p["lon"]) for p in data.points["groups"]}
    assert groups == {"Kelompok Bertitik": (-6.5, 106.7), "Kelompok Desa": (-6.55, 106.75),
                      "Kelompok Sukabumi": (-6.95, 106.55)}
    tks = {p["name"]: (p["lat"], p["lon"]) for p in data.points["tks"]}
    # A TKS's profile point is where they live: never on the map; their village's point instead.
    assert tks[w.tks_in.full_name] == (-6.55, 106.75)
    assert tks[w.tks_out.full_name] == (-6.95, 106.55)
    assert {p["name"] for p in data.points["centres"]} == {"BLK Bogor", "BLK Sukabumi"}
    assert data.capped == {"groups": False, "tks": False, "centres": False}


def test_a_regency_is_drawn_alone_with_only_its_own_points(mapped):
    w = mapped
    Region.objects.filter(code=w.village_in.code).update(lat=None, lon=None)  # the village loses its point
    data = selectors.map_data(w.district, "32.01", "visits", default_period())
    assert [(r["code"], r["value"]) for r in data.regions] == [("32.01", 10)]
    assert {p["name"] for p in data.points["groups"]} == {"Kelompok Bertitik"}  # the other has no point now
    assert data.points["tks"] == []  # the TKS's village has no point either now (their home is never shown)
    assert {p["name"] for p in data.points["centres"]} == {"BLK Bogor"}


def test_points_are_cut_at_the_cap_and_say_so(mapped, monkeypatch):
    monkeypatch.setattr(selectors, "CAP", 2)
    data = selectors.map_data(mapped.provincial, "32", "visits", default_period())
    assert len(data.points["groups"]) == 2 and data.capped["groups"] is True
    assert data.capped["centres"] is False and data.cap == 2


def test_the_api_answers_the_same_and_names_bad_parameters(client, mapped):
    client.force_login(mapped.provincial)
    body = client.get("/api/monitoring/map", {"indicator": "visits"}).json()
    assert body["region"]["code"] == "32" and body["indicator"]["unit"] == "count"
    assert [(r["code"], r["value"]) for r in body["regions"]] == [("32.01", 10.0), ("32.02", 1.0)]
    assert len(body["points"]["groups"]) == 3 and body["cap"] == selectors.CAP
    response = client.get("/api/monitoring/map", {"period": "2026-99"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "period"]
    response = client.get("/api/monitoring/map", {"indicator": "omzet"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "indicator"]
    assert client.get("/api/monitoring/map", {"region": "52"}).status_code == 404


def test_the_page_lists_regions_with_drill_down_links_and_needs_no_tiles(client, mapped, settings):
    client.force_login(mapped.national)
    body = client.get("/pantau/peta/", {"indikator": "visits"}).content.decode()
    assert 'data-tiles=""' in body and "leaflet/leaflet.js" in body
    assert "/api/monitoring/map?region=&amp;indicator=visits" in body
    assert "/pantau/peta/?region=32&amp;indikator=visits" in body  # a province drills down
    assert "Jawa Barat" in body and "Nusa Tenggara Barat" in body
    settings.SUKARELA_MAP_TILES = "https://tiles.contoh.go.id/{z}/{x}/{y}.png"
    body = client.get("/pantau/peta/", {"region": "32"}).content.decode()
    assert 'data-tiles="https://tiles.contoh.go.id/{z}/{x}/{y}.png"' in body
    assert "Titik: 3 kelompok, 2 TKS, 2 BLK." in body


def test_the_page_says_when_points_were_cut(client, mapped, monkeypatch):
    monkeypatch.setattr(selectors, "CAP", 1)
    client.force_login(mapped.district)
    body = client.get("/pantau/peta/").content.decode()
    assert 'id="map-capped"' in body


def test_a_bad_period_on_the_page_is_a_form_error(client, mapped):
    client.force_login(mapped.district)
    response = client.get("/pantau/peta/", {"periode": "2026-99", "indikator": "x"})
    assert response.status_code == 200 and "Periode tidak dapat dibaca" in response.content.decode()


def test_a_tks_of_another_region_is_not_on_the_map(mapped):
    other = make_user("tks-lombok", Role.TKS, "52.03")
    data = selectors.map_data(mapped.national, "32", "visits", default_period())
    assert other.full_name not in {p["name"] for p in data.points["tks"]}
