"""The dashboard pages on aggregates written by hand (tests/monitoring/dashboard_data.py: its
docstring works out every expected number). Where a page reads a number, the test names the sum."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sukarela.core.roles import Role
from tests.conftest import make_user
from tests.monitoring.dashboard_data import months_ago, put, small_programme, this_month


@pytest.fixture
def programme(world):
    small_programme()
    return world


def figure(body: str, code: str) -> str:
    """The value shown for indicator `code` among the headline figures."""
    match = re.search(rf'data-indicator="{code}">.*?<dd class="value">(.*?)</dd>', body, re.S)
    assert match, f"no headline figure {code}"
    return match[1].strip()


def table_rows(body: str, key: str) -> list[list[str]]:
    match = re.search(rf'<table id="table-{key}">(.*?)</table>', body, re.S)
    assert match, f"no table {key}"
    rows = re.findall(r"<tr>(.*?)</tr>", match[1].split("<tbody>")[1], re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in rows]


def test_the_national_dashboard_shows_the_hand_computed_figures(client, programme):
    client.force_login(programme.national)
    body = client.get("/pantau/nasional/").content.decode()
    assert figure(body, "visited_30d") == "66,7 %"      # (2 + 1 + 3) / (4 + 2 + 3) this month
    assert figure(body, "visits") == "20"               # 6 + 4 (Bogor) + 1 (Sukabumi) + 9 (Lombok)
    assert figure(body, "jobs_created") == "5"          # 2 + 3 (Bogor)
    assert figure(body, "tks_active") == "6"            # this month: 2 + 1 + 3
    # (8 + 14) visits and activities over (3 + 6) active TKS-months = 22 / 9
    assert figure(body, "visit_frequency") == "2,4"
    assert figure(body, "groups_registered") == "—"     # no component: not counted, never 0
    assert "Data per " in body and 'id="refresh-now"' in body
    # The ranking of provinces by the default indicator (visited in 30 days): NTB 100 %, Jawa Barat 50 %.
    assert table_rows(body, "peringkat")[:2] == [["Nusa Tenggara Barat", "52", "100,0 %"],
                                                 ["Jawa Barat", "32", "50,0 %"]]
    assert 'href="/pantau/wilayah/32/"' in body and 'href="/pantau/wilayah/52/"' in body
    # The funnel and the mix come from the same components.
    assert table_rows(body, "corong")[:3] == [["Pelamar", "20"], ["Memenuhi syarat", "15"], ["Terpilih", "8"]]
    # Roles over both months: motivator 8 + 2 + 1 + 9 = 20 of 22 visits and activities.
    assert table_rows(body, "peran")[0] == ["Peran Motivator", "90,9 %"]


def test_ranking_follows_the_chosen_indicator_and_the_period(client, programme):
    client.force_login(programme.national)
    body = client.get("/pantau/nasional/", {"indikator": "visits"}).content.decode()
    assert [r[:3] for r in table_rows(body, "peringkat")[:2]] == [["Jawa Barat", "32", "11"],
                                                                  ["Nusa Tenggara Barat", "52", "9"]]
    # Only last month: Jawa Barat had 6 visits and NTB none (a province without data has no value).
    body = client.get("/pantau/nasional/", {"indikator": "visits", "periode": f"{months_ago(1):%Y-%m}"}).content.decode()
    rows = table_rows(body, "peringkat")
    assert rows[0] == ["Jawa Barat", "32", "6"]
    assert ["Nusa Tenggara Barat", "52", "—"] in rows


def test_a_province_ranks_its_regencies_and_a_regency_lists_groups_and_tks(client, programme):
    client.force_login(programme.provincial)
    response = client.get("/pantau/")
    assert response.status_code == 302 and response["Location"] == "/pantau/wilayah/32/"
    body = client.get("/pantau/wilayah/32/").content.decode()
    assert figure(body, "visited_30d") == "50,0 %"      # (2 + 1) / (4 + 2)
    rows = table_rows(body, "peringkat")
    assert [r[1] for r in rows[:2]] == ["32.01", "32.02"]  # both 50 %: by code
    assert 'href="/pantau/wilayah/32.01/"' in body
    assert 'id="refresh-now"' not in body                 # only national officers refresh
    body = client.get("/pantau/wilayah/32.01/").content.decode()
    assert figure(body, "visits") == "10"
    assert 'id="table-kelompok"' in body and 'id="table-tks"' in body
    assert "peringkat" not in body.split('id="dashboard-options"')[1].split("</form>")[0]
    assert "Belum ada kelompok." in body
    assert [r[0] for r in table_rows(body, "tks")] == [programme.tks_in.full_name]


def test_the_trend_has_24_months_ending_with_the_period(client, programme):
    client.force_login(programme.district)
    body = client.get("/pantau/wilayah/32.01/").content.decode()
    rows = table_rows(body, "tren")
    assert len(rows) == 24
    assert rows[-1][1:4] == ["4", "2", "50,0 %"]  # this month: 4 visits, 2 active TKS, 2 of 4 visited
    assert rows[-2][1:4] == ["6", "3", "75,0 %"]
    assert rows[0][1] == "—"


def test_breadcrumb_links_only_what_the_user_may_open(client, programme):
    client.force_login(programme.district)
    body = client.get("/pantau/wilayah/32.01/").content.decode()
    crumbs = body.split('class="crumbs"')[1].split("</nav>")[0]
    assert "Indonesia" in crumbs and "Jawa Barat" in crumbs and "Kabupaten Bogor" in crumbs
    assert "href" not in crumbs  # neither the nation nor the province is theirs; the regency is this page
    client.force_login(programme.national)
    crumbs = client.get("/pantau/wilayah/32.01/").content.decode().split('class="crumbs"')[1].split("</nav>")[0]
    assert 'href="/pantau/nasional/"' in crumbs and 'href="/pantau/wilayah/32/"' in crumbs


def test_a_bad_period_is_a_form_error_and_the_default_is_shown(client, programme):
    client.force_login(programme.district)
    for bad in ("2026-13", "kemarin", "2030", "2026-05..2026-01", "x" * 39):
        response = client.get("/pantau/wilayah/32.01/", {"periode": bad, "indikator": "tidak-ada"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Periode tidak dapat dibaca" in body, bad
        assert f"Periode: {months_ago(11):%Y-%m}..{this_month():%Y-%m}" in body
        assert figure(body, "visits") == "10"
    response = client.get("/pantau/wilayah/32.01/", {"periode": "a\x00b"})
    assert response.status_code in (200, 400)  # never a 500


def test_unknown_or_deeper_regions_are_not_found(client, programme):
    client.force_login(programme.national)
    for code in ("99", "32.01.01", "32.99", "x" * 20):
        assert client.get(f"/pantau/wilayah/{code}/").status_code == 404, code


def test_each_table_downloads_as_xlsx_and_csv_with_the_same_numbers(client, programme):
    client.force_login(programme.national)
    response = client.get("/pantau/nasional/", {"unduh": "csv", "tabel": "peringkat", "indikator": "visits"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Wilayah", "Kode", "Kunjungan"]
    assert rows[1] == ["Jawa Barat", "32", "11"]
    response = client.get("/pantau/nasional/", {"unduh": "xlsx", "tabel": "angka"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[1]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["visits"] == 20 and values["visited_30d"] == pytest.approx(66.67)
    assert client.get("/pantau/nasional/", {"unduh": "pdf", "tabel": "angka"}).status_code == 404
    assert client.get("/pantau/nasional/", {"unduh": "csv", "tabel": "rahasia"}).status_code == 404


def test_home_sends_each_role_to_its_dashboard(client, programme):
    expected = {"national": "/pantau/nasional/", "provincial": "/pantau/wilayah/32/",
                "district": "/pantau/wilayah/32.01/", "tks_in": "/pantau/saya/"}
    for who, where in expected.items():
        client.force_login(getattr(programme, who))
        response = client.get("/pantau/")
        assert response.status_code == 302 and response["Location"] == where, who
    client.force_login(make_user("pelatih", Role.TRAINER, "32.01"))
    assert client.get("/pantau/").status_code == 403
    assert client.get("/pantau/saya/").status_code == 403


def test_the_navigation_stage_opens_the_dashboard(client, programme):
    client.force_login(programme.district)
    body = client.get(reverse("core:home")).content.decode()
    assert 'href="/pantau/"' in body


def test_pages_keep_their_tables_without_the_chart_library(client, programme, monkeypatch):
    from sukarela.monitoring.views import options

    client.force_login(programme.national)
    body = client.get("/pantau/nasional/").content.decode()
    assert "chart.umd.min.js" in body and "<canvas" in body
    monkeypatch.setattr(options, "CHART_JS", "vendor/chartjs/tidak-ada.js")
    body = client.get("/pantau/nasional/").content.decode()
    assert "<canvas" not in body and "chart.umd" not in body and "charts.js" not in body
    assert '<details class="table-details" open>' in body
    assert table_rows(body, "peringkat")[0] == ["Nusa Tenggara Barat", "52", "100,0 %"]


def test_figures_without_a_refresh_say_so(client, world):
    put("32.01", this_month(), visits=1)
    client.force_login(world.district)
    body = client.get("/pantau/wilayah/32.01/").content.decode()
    assert "Data belum pernah dihitung" in body


def test_refresh_now_runs_once_then_waits(client, programme, monkeypatch):
    from sukarela.monitoring.services import refresh as refreshing
    from sukarela.monitoring.services.refresh import RefreshResult

    calls = []
    monkeypatch.setattr(refreshing, "refresh", lambda **kw: calls.append(kw) or RefreshResult(2, 5, 7, 0.5))
    client.force_login(programme.national)
    response = client.post("/pantau/perbarui/", follow=True)
    assert calls == [{}]
    assert ("Data diperbarui: 2 bulan, 5 baris wilayah, 7 kelompok-bulan dalam 0,5 detik."
            in response.content.decode())
    response = client.post("/pantau/perbarui/", follow=True)
    assert calls == [{}] and "coba lagi sebentar lagi" in response.content.decode()
    assert client.get("/pantau/perbarui/").status_code == 405


def test_a_regency_lists_its_groups_a_page_at_a_time_and_downloads_them_all(client, monkeypatch, world, regions):
    """A regency of a thousand groups rendered whole took most of a 470 ms request at 10× scale."""
    from sukarela.groups.models import Group, Sector
    from sukarela.monitoring.services.refresh import refresh
    from sukarela.monitoring.views import dashboards

    monkeypatch.setattr(dashboards, "GROUP_PAGE_ROWS", 2)
    sector = Sector.objects.first()
    for n in range(5):
        Group.objects.create(name=f"Kelompok Halaman {n}", sector=sector, village=world.village_in)
    refresh(full=True)
    client.force_login(world.district)
    first = client.get("/pantau/wilayah/32.01/").content.decode()
    assert first.count("Kelompok Halaman") == 2 and "page=2" in first
    last = client.get("/pantau/wilayah/32.01/", {"page": 3}).content.decode()
    assert last.count("Kelompok Halaman") == 1
    csv = client.get("/pantau/wilayah/32.01/", {"unduh": "csv", "tabel": "kelompok"}).content.decode()
    assert csv.count("Kelompok Halaman") == 5
