"""The network page renders every figure as a table (the graph is an extra drawn by the script) and
downloads each table as XLSX. The dataset is test_network_figures.py's (its docstring)."""

import io
import re

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.urls import reverse
from openpyxl import load_workbook

from sukarela.partners.models import LinkageStatus
from tests.partners.test_network_figures import build_network

S = LinkageStatus
URL = "/mitra/jaringan/"


@pytest.fixture
def net(partners_world):
    return build_network(partners_world)


def table(html: str, table_id: str) -> list[list[str]]:
    """The text of a table's body and foot rows, cell by cell."""
    found = re.search(rf'<table id="{table_id}".*?</table>', html, re.S)
    assert found, table_id
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S)[1:]
    return [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in rows]


def sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_district_page_shows_every_figure(client, net, django_assert_max_num_queries):
    w = net.world
    client.force_login(w.district)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert table(html, "figure-share") == [["Kabupaten Bogor 32.01", "4", "2", "50,0"]]
    assert table(html, "figure-credit") == [["Jawa Barat 32", "2", "15.000.000"]]
    assert table(html, "figure-partners") == [[net.pw.bogor.name, "Bank", "2", "15.000.000", "0"],
                                              [net.pw.bri.name, "Bank", "2", "0", "42"]]
    assert [r[1] for r in table(html, "figure-status")] == ["1", "1", "0", "4", "1"]
    assert table(html, "unlinked-groups") == [["Kelompok Dahlia", f"{net.a4.village.name.title()} "
                                                                  f"{net.a4.village_id}", w.tks_in.full_name]]
    # The script draws from the scoped API; Cytoscape comes from the static files, never a CDN.
    assert 'data-src="/api/partners/network/graph"' in html
    assert "/static/vendor/cytoscape/cytoscape.min.js" in html
    assert "http://" not in re.sub(r'href="http://[^"]*"', "", html.split("<main", 1)[1]).split("</main>")[0]
    for name in ("Kelompok Flamboyan", "Kelompok Gardenia", "Kelompok Halia", net.pw.ntb.name):
        assert name not in html


def test_the_national_page_breaks_down_by_province_and_passes_the_filters_on(client, net):
    client.force_login(net.world.national)
    html = client.get(URL).content.decode()
    assert table(html, "figure-share") == [["Jawa Barat 32", "6", "3", "50,0"],
                                           ["Nusa Tenggara Barat 52", "1", "1", "100,0"],
                                           ["Jumlah", "7", "4", "57,1"]]
    assert table(html, "figure-credit")[-1] == ["Jumlah", "5", "45.000.000"]
    html = client.get(URL, {"region": "32", "kind": "bank", "status": S.REALISED}).content.decode()
    assert "data-src=\"/api/partners/network/graph?region=32&amp;kind=bank&amp;status=terealisasi\"" in html
    assert [r[0] for r in table(html, "figure-share")] == ["Kabupaten Bogor 32.01", "Kabupaten Sukabumi 32.02", "Jumlah"]
    # Downloads follow region and partner type (the status belongs to the graph).
    export = reverse("partners:network_export", args=["kelompok"]) + "?region=32&amp;kind=bank"
    assert export in html


def test_a_region_outside_the_scope_shows_nothing(client, net):
    client.force_login(net.world.district)
    response = client.get(URL, {"region": "32.02"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "di luar" in html  # the picker's own message: outside the officer's region
    assert table(html, "figure-share") == [["Tidak ada kelompok aktif."]]
    assert table(html, "unlinked-groups") == [["Semua kelompok aktif sudah memiliki keterkaitan."]]
    assert [r[1] for r in table(html, "figure-status")] == ["0"] * 5
    assert "Kelompok Gardenia" not in html and "Kelompok Flamboyan" not in html
    assert 'data-src="/api/partners/network/graph?region=32.02"' in html  # and that answers nothing


def test_the_unlinked_list_is_paged(client, net, settings):
    settings.SUKARELA_PAGE_SIZE = 1
    client.force_login(net.world.national)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert [r[0] for r in table(first, "unlinked-groups")] == ["Kelompok Dahlia"]
    assert [r[0] for r in table(second, "unlinked-groups")] == ["Kelompok Gardenia"]
    assert "2 kelompok perlu dihubungkan" in first


def test_each_table_downloads_as_xlsx(client, net):
    client.force_login(net.world.national)

    def get(name, **params):
        return sheet(client.get(reverse("partners:network_export", args=[name]), params))

    share = get("kelompok")
    assert share[1:] == [("32", "Jawa Barat", 6, 3, 50), ("52", "Nusa Tenggara Barat", 1, 1, 100),
                         (None, "Jumlah", 7, 4, 57.1)]
    credit = get("kredit")
    assert credit[1:] == [("32", "Jawa Barat", 3, 35_000_000), ("52", "Nusa Tenggara Barat", 2, 10_000_000),
                          (None, "Jumlah", 5, 45_000_000)]
    partners = get("mitra")
    assert [r[0] for r in partners[1:]] == [net.pw.bri.name, net.pw.bogor.name, net.pw.ntb.name]
    assert partners[1][2:] == (3, 20_000_000, 42)
    assert [r[1] for r in get("status")[1:]] == [1, 1, 1, 7, 1]
    unlinked = get("tanpa-keterkaitan")
    assert [(r[0], r[1], r[4]) for r in unlinked[1:]] == [(net.a4.pk, "Kelompok Dahlia", net.world.tks_in.full_name),
                                                         (net.b2.pk, "Kelompok Gardenia", None)]
    assert [r[0] for r in get("tanpa-keterkaitan", region="32.02")[1:]] == [net.b2.pk]
    assert [r[:3] for r in get("kelompok", kind="pemberdayaan")[1:]] == [("32", "Jawa Barat", 6),
                                                                          ("52", "Nusa Tenggara Barat", 1),
                                                                          (None, "Jumlah", 7)]
    assert client.get(reverse("partners:network_export", args=["semua"])).status_code == 404


def test_a_district_officers_download_is_their_district(client, net):
    client.force_login(net.world.district)
    rows = sheet(client.get(reverse("partners:network_export", args=["tanpa-keterkaitan"])))
    assert [r[0] for r in rows[1:]] == [net.a4.pk]
    rows = sheet(client.get(reverse("partners:network_export", args=["tanpa-keterkaitan"]), {"region": "32.02"}))
    assert rows[1:] == []


class NoCytoscape(StaticFilesStorage):
    """A manifest storage built without `npm ci`: it knows every file but Cytoscape.js."""

    def url(self, name):
        if "cytoscape" in name:
            raise ValueError(f"Missing staticfiles manifest entry for '{name}'")
        return super().url(name)


def test_without_cytoscape_the_page_keeps_its_tables_and_says_the_graph_is_unavailable(client, net, settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": f"{__name__}.NoCytoscape"}}
    client.force_login(net.world.district)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Peta jejaring tidak tersedia di server ini" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert 'id="network-graph"' not in html and "network.js" not in html
    assert table(html, "figure-share") == [["Kabupaten Bogor 32.01", "4", "2", "50,0"]]


def test_a_partner_the_officer_cannot_open_is_shown_without_a_link(client, net):
    """A national officer linked a Bogor group to NTB's foundation: Bogor's officer sees the linkage
    and the partner's name in the graph and the figures, but no link that would answer 404."""
    from tests.partners.test_network_figures import link
    from sukarela.partners.models import Purpose

    pw, w = net.pw, net.world
    link(net.a3, pw.ntb, Purpose.TRAINING, S.REALISED, people=5)
    client.force_login(w.district)
    assert client.get(reverse("partners:partner_detail", args=[pw.ntb.pk])).status_code == 404
    nodes = {n["id"]: n for n in client.get("/api/partners/network/graph").json()["nodes"]}
    assert nodes[f"p{pw.ntb.pk}"]["visible"] is False
    assert nodes[f"p{pw.bogor.pk}"]["visible"] is True and nodes[f"p{pw.bri.pk}"]["visible"] is True
    assert all(n["visible"] is None for n in nodes.values() if n["kind"] != "partner")
    figures = client.get("/api/partners/network/figures").json()
    assert {r["name"]: r["visible"] for r in figures["top_partners"]} == {
        pw.bogor.name: True, pw.bri.name: True, pw.ntb.name: False}
    html = client.get(URL).content.decode()
    row = re.search(rf'<tr data-partner="{pw.ntb.pk}">(.*?)</tr>', html, re.S).group(1)
    assert pw.ntb.name in row and "<a " not in row
    row = re.search(rf'<tr data-partner="{pw.bogor.pk}">(.*?)</tr>', html, re.S).group(1)
    assert reverse("partners:partner_detail", args=[pw.bogor.pk]) in row
    # The national officer opens every partner.
    client.force_login(w.national)
    nodes = client.get("/api/partners/network/graph").json()["nodes"]
    assert all(n["visible"] for n in nodes if n["kind"] == "partner")
