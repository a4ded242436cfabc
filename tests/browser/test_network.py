"""The network page on a phone: Cytoscape.js comes from our own static files (npm → WhiteNoise) and
draws the district's network on a canvas; the status filter redraws it; the figures are tables that
stay whole when the script cannot load or the region holds too many nodes.
The dataset is tests/partners/test_network_figures.py's (its docstring)."""

import pytest
from playwright.sync_api import expect

from sukarela.partners.selectors import network
from tests.browser.test_shell import assert_fits_phone, login, painted
from tests.partners import conftest as partner_fixtures
from tests.partners.test_network_figures import build_network

pytestmark = pytest.mark.browser
partners_world = partner_fixtures.partners_world  # the partners' fixture, outside their directory

VENDOR = "/static/vendor/cytoscape/"

PAINTED = painted("#network-graph canvas")


@pytest.fixture
def net(partners_world):
    return build_network(partners_world)


def test_the_graph_is_drawn_from_static_cytoscape_and_filtered_by_status(phone, net):
    vendor = []
    phone.on("response", lambda r: vendor.append((r.url, r.status)) if VENDOR in r.url else None)
    login(phone, "kab-bogor")
    phone.goto("/mitra/jaringan/")
    graph = phone.locator("#network-graph")
    expect(graph).to_have_attribute("data-state", "drawn")
    assert vendor and all(status == 200 for _, status in vendor), vendor
    assert any(url.endswith("cytoscape.min.js") for url, _ in vendor)
    expect(graph.locator("canvas").first).to_be_attached()
    phone.wait_for_function(PAINTED)
    expect(graph).to_have_attribute("data-nodes", "9")
    expect(graph).to_have_attribute("data-edges", "7")
    expect(phone.locator("#network-note")).to_have_text("9 simpul, 7 keterkaitan.")
    # The figures, as tables.
    expect(phone.locator("#figure-share tbody td")).to_have_text(["Kabupaten Bogor 32.01", "4", "2", "50,0"])
    expect(phone.locator("#figure-credit tbody")).to_contain_text("15.000.000")
    expect(phone.locator("#figure-partners tbody tr").first).to_contain_text(net.pw.bogor.name)
    expect(phone.locator("#unlinked-groups tbody")).to_contain_text("Kelompok Dahlia")
    expect(phone.locator("#unlinked-groups tbody")).to_contain_text(net.world.tks_in.full_name)
    assert_fits_phone(phone)

    phone.get_by_label("Status keterkaitan").select_option(label="Terealisasi")
    phone.get_by_role("button", name="Saring").click()
    expect(graph).to_have_attribute("data-state", "drawn")
    expect(graph).to_have_attribute("data-edges", "4")
    expect(graph).to_have_attribute("data-nodes", "7")
    expect(phone.get_by_label("Status keterkaitan")).to_have_value("terealisasi")
    phone.wait_for_function(PAINTED)
    assert "status=terealisasi" in phone.url
    assert_fits_phone(phone)


def test_the_tables_stay_when_cytoscape_does_not_load(phone, net):
    login(phone, "kab-bogor")
    phone.route(f"**{VENDOR}**", lambda route: route.abort())
    phone.goto("/mitra/jaringan/")
    expect(phone.locator("#network-graph")).to_have_attribute("data-state", "failed")
    expect(phone.locator("#network-graph")).to_be_hidden()
    expect(phone.locator("#network-note")).to_contain_text("Peta tidak dapat dimuat")
    expect(phone.locator("#figure-share tbody td")).to_have_text(["Kabupaten Bogor 32.01", "4", "2", "50,0"])
    expect(phone.locator("#figure-status tbody tr")).to_have_count(5)
    assert_fits_phone(phone)


def test_past_the_cap_the_page_asks_to_narrow_the_region(phone, net, monkeypatch):
    monkeypatch.setattr(network, "NODE_CAP", 5)
    login(phone, "kab-bogor")
    phone.goto("/mitra/jaringan/")
    expect(phone.locator("#network-graph")).to_have_attribute("data-state", "too-many")
    expect(phone.locator("#network-note")).to_contain_text("Terlalu banyak simpul untuk digambar (9, paling banyak 5)")
    expect(phone.locator("#network-graph canvas")).to_have_count(0)
    expect(phone.locator("#figure-credit tbody")).to_contain_text("15.000.000")
