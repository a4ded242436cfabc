"""The monitoring dashboards on a phone: a national officer drills down nation → Jawa Barat (32) →
Kab. Bogor (32.01) → a group by following links, Chart.js (npm, our own static files) draws the
charts and the tables under them carry the numbers worked out by hand in
tests/monitoring/dashboard_data.py (real_programme); a district officer lands on their regency and
another regency is not there; the map draws its circles with no tile server; without Chart.js the
tables stay."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from sukarela.regions.models import Region
from tests.browser.test_shell import assert_fits_phone, login, painted
from tests.monitoring.dashboard_data import real_programme

pytestmark = pytest.mark.browser

VENDOR = "/static/vendor/chartjs/"
CHART_FILE = Path(settings.NODE_MODULES) / "chart.js" / "dist" / "chart.umd.min.js"

PAINTED = painted("figure.chart canvas")


@pytest.fixture
def real(world):
    return real_programme(world)


def test_a_national_officer_drills_down_to_a_group(phone, real):
    login(phone, "pusat")
    phone.goto("/pantau/")
    phone.wait_for_url("**/pantau/nasional/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Indonesia")
    ranking = phone.locator("#table-peringkat")
    expect(ranking.locator("tbody tr").first).to_contain_text("33,3 %")
    if CHART_FILE.exists():
        expect(phone.locator("figure.chart[data-state=drawn]").first).to_be_attached()
        phone.wait_for_function(PAINTED)
    assert_fits_phone(phone)

    ranking.get_by_role("link", name="Jawa Barat").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Jawa Barat")
    expect(phone.locator("[data-indicator=visited_30d] .value")).to_have_text("33,3 %")
    phone.locator("#table-peringkat").get_by_role("link", name="Kabupaten Bogor").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Kabupaten Bogor")
    assert phone.url.endswith("/pantau/wilayah/32.01/")
    expect(phone.locator("[data-indicator=visits] .value")).to_have_text("2")
    expect(phone.locator("[data-indicator=jobs_created] .value")).to_have_text("3")
    crumbs = phone.get_by_role("navigation", name="Jejak wilayah")
    expect(crumbs.get_by_role("link", name="Jawa Barat")).to_be_visible()
    assert_fits_phone(phone)
    phone.locator("#table-kelompok").get_by_role("link", name="Kelompok Melati").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Kelompok Melati")
    expect(phone.locator("#group-visits")).to_have_text("2")
    expect(phone.locator("#group-facts")).to_contain_text("Rp 1.500.000")
    expect(phone.locator("#group-facts")).to_contain_text("50,0 %")
    expect(crumbs.get_by_role("link", name="Kabupaten Bogor")).to_be_visible()
    if CHART_FILE.exists():
        expect(phone.locator("figure.chart[data-state=drawn]")).to_have_count(5)
        phone.wait_for_function(PAINTED)
    expect(phone.locator("#table-bulanan tbody tr")).to_have_count(24)
    assert_fits_phone(phone)


def test_a_district_officer_lands_on_their_regency_only(phone, real):
    login(phone, "kab-bogor")
    phone.goto("/pantau/")
    assert phone.url.endswith("/pantau/wilayah/32.01/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Kabupaten Bogor")
    expect(phone.locator("[data-indicator=visited_30d] .value")).to_have_text("50,0 %")
    response = phone.goto("/pantau/wilayah/32.02/")
    assert response.status == 404
    response = phone.goto(f"/pantau/kelompok/{real.g4.pk}/")
    assert response.status == 404


def test_the_tables_stay_when_chart_js_does_not_load(phone, real):
    login(phone, "pusat")
    phone.route(f"**{VENDOR}**", lambda route: route.abort())
    phone.goto("/pantau/wilayah/32.01/")
    expect(phone.locator("figure.chart").first).to_have_attribute("data-state", "unavailable")
    expect(phone.locator("figure.chart").first).to_be_hidden()
    expect(phone.locator("#table-peran")).to_be_visible()
    expect(phone.locator("#table-peran tbody tr").first).to_contain_text("66,7 %")
    assert_fits_phone(phone)


def test_the_map_draws_circles_without_a_tile_server(phone, real):
    for code, lat, lon in (("32", -6.9, 107.6), ("52", -8.6, 116.1), ("32.01", -6.6, 106.8), ("32.02", -6.9, 106.9)):
        Region.objects.filter(code=code).update(lat=lat, lon=lon)
    Region.objects.filter(code=real.world.village_in.code).update(lat=-6.55, lon=106.75)
    Region.objects.filter(code=real.world.village_out.code).update(lat=-6.95, lon=106.55)
    outside = []
    login(phone, "pusat")
    phone.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://localhost",
                                                                                   "http://127.0.0.1", "data:"))
             else None)
    phone.goto("/pantau/peta/")
    shown = phone.locator("#monitoring-map")
    expect(shown).to_have_attribute("data-state", "drawn")
    expect(shown).to_have_attribute("data-circles", "2")
    expect(shown.locator("path.region-circle")).to_have_count(2)
    expect(phone.locator("#map-regions")).to_contain_text("Jawa Barat")
    assert_fits_phone(phone)
    # A click on Jawa Barat's circle opens its map: its regencies, and the groups and TKS as points.
    shown.locator("path.region-circle").first.click(force=True)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Jawa Barat")
    expect(phone.locator("#monitoring-map")).to_have_attribute("data-state", "drawn")
    expect(phone.locator("#monitoring-map path.region-circle")).to_have_count(2)
    expect(phone.locator("#monitoring-map path.point-groups")).to_have_count(4)
    assert outside == [], outside
