"""The open data page, CSV and API from a hand-made programme through refresh(full=True), anonymous.

The dataset (`build_open_data`), all this month, read over this year to date (open data is
published per calendar year; people counts rounded to the nearest multiple of 5):
- Jawa Barat (32), Kab. Bogor: 12 groups; TKS tks-bogor makes 15 visits (3 to each of 5 groups);
- Jawa Tengah (33), Kab. Cilacap: 11 groups, no visits;
- NTB (52), Kab. Lombok Timur: 3 groups; its TKS makes 2 visits.
Groups registered: 32 → 12 (shown as 10), 52 → 3 (under 10: "<10"), 33 → 11 (hidden as "✱", not
"<10": with the nation's 26 (shown as 25) exact, 26 − 12 − 11 would give 52's 3 back, and 33 is the
smaller of the others). Visits are not a count of people: 32 → 15, 52 → 2, nation 17, all shown
exactly. Active TKS: 1 in 32, 1 in 52, 2 in the nation: all "<10".
"""

import csv
import datetime as dt
import io
import uuid
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sukarela.core.roles import Role
from sukarela.groups.services import groups as group_services
from sukarela.mentoring.models import Visit
from sukarela.monitoring.services.refresh import refresh
from sukarela.regions.services import load_regions
from tests.conftest import first_village, make_user
from tests.groups.conftest import ensure_sectors, person

SECRET_NAME = "Rahasia"  # in every group's and chair's name: must never reach open data


def _groups(actor, village, n: int, label: str) -> list:
    district = ".".join(village.code.split(".")[:3])
    return [group_services.create_group(
        actor, chair=person(district, name=f"Ketua {SECRET_NAME} {label}{i}"),
        name=f"Kelompok {SECRET_NAME} {label}{i}",
        sector="jasa-boga", village=village, address="Kp. Uji RT 01/02", bank_name="BRI",
        bank_account="0123456789012") for i in range(n)]


def _visits(tks, groups, each: int, started) -> None:
    for g in groups:
        for _ in range(each):
            Visit.objects.create(id=uuid.uuid4(), tks=tks, group=g, started_at=started, duration_minutes=60,
                                 digest="0" * 64, notes="Catatan rahasia kunjungan")


def build_open_data(world) -> SimpleNamespace:
    load_regions(within=["33.01.01"])
    ensure_sectors()
    started = timezone.now() - dt.timedelta(minutes=5)
    v33, v52 = first_village("33.01.01"), first_village("52.03.01")
    tks_ntb = make_user("tks-ntb", Role.TKS, v52.code, full_name="Pendamping Ntb Rahasia", phone="+6281311112222")
    bogor = _groups(world.national, world.village_in, 12, "B")
    _groups(world.national, v33, 11, "C")
    ntb = _groups(world.national, v52, 3, "N")
    _visits(world.tks_in, bogor[:5], 3, started)
    _visits(tks_ntb, ntb[:1], 2, started)
    refresh(full=True)
    return SimpleNamespace(world=world, period=str(timezone.localtime(started).year), tks_ntb=tks_ntb)


@pytest.fixture
def open_data(world):
    return build_open_data(world)


class _Table(HTMLParser):
    """{row data-code: {cell data-code: text}} of #open-data-table."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.inside = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "open-data-table":
            self.inside = True
        elif self.inside and tag == "tr" and "data-code" in attrs:
            self.row = self.rows.setdefault(attrs["data-code"], {})
        elif self.inside and tag == "td" and self.row is not None:
            self.cell = attrs["data-code"]
            self.row[self.cell] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.row[self.cell] += data.strip()


def page_table(response) -> dict:
    parser = _Table()
    parser.feed(response.content.decode())
    return parser.rows


def assert_nothing_personal(text: str, data) -> None:
    world = data.world
    for secret in [SECRET_NAME, "Kp. Uji", "0123456789012", "Catatan rahasia", world.tks_in.username,
                   world.tks_in.full_name, "+62812", "tks.bogor@", data.tks_ntb.username, "+6281311112222"]:
        assert secret not in text, secret
    for field in ["nik", "full_name", "phone", "bank_account", "address", "birth_date", "email"]:
        assert f'"{field}"' not in text and f"{field}," not in text, field


def test_the_page_shows_big_provinces_and_hides_small_ones(client, open_data):
    response = client.get("/data-terbuka/", {"periode": open_data.period})
    assert response.status_code == 200
    table = page_table(response)
    assert table["32"]["groups_registered"] == "10"  # 12, rounded
    assert table["52"]["groups_registered"] == "<10"  # 3: a small count of its own
    assert table["33"]["groups_registered"] == "✱"  # 11: hidden only to protect 52's, not "<10"
    assert table["total"]["groups_registered"] == "25"  # 26, rounded
    assert (table["32"]["visits"], table["52"]["visits"], table["total"]["visits"]) == ("15", "2", "17")
    assert table["52"]["tks_active"] == "<10"
    body = response.content.decode()
    assert 'data-suppressed="small"' in body and 'data-suppressed="protected"' in body
    assert "kurang dari 10 orang atau kelompok" in body  # the legend: "<10", "✱" and the rounding
    assert "disembunyikan agar angka kecil tidak dapat dihitung ulang" in body
    assert "dibulatkan ke kelipatan 5 terdekat" in body and "per tahun kalender" in body
    assert f"Periode: {open_data.period} (" in body
    assert "Definisi indikator" in body and "Kelompok yang belum berhenti pada akhir periode" in body
    assert "Angka diperbarui" in body
    assert f'href="/data-terbuka/provinsi.csv?periode={open_data.period}"' in body
    assert_nothing_personal(body, open_data)


def test_the_csv_is_machine_friendly(client, open_data):
    response = client.get("/data-terbuka/provinsi.csv", {"periode": open_data.period})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"data-terbuka-provinsi-{open_data.period}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)))
    assert header[:2] == ["region_code", "region_name"] and header[-1] == "suppressed"
    assert "groups_registered" in header and "survival_12m" in header
    by_code = {r["region_code"]: r for r in rows}
    assert list(by_code) == ["32", "33", "52", ""]
    assert by_code["32"]["groups_registered"] == "10" and by_code["32"]["visits"] == "15"
    assert by_code["52"]["groups_registered"] == "" and "groups_registered" in by_code["52"]["suppressed"].split()
    assert by_code["33"]["groups_registered"] == "" and "groups_registered" in by_code["33"]["suppressed"].split()
    assert "groups_registered" not in by_code["32"]["suppressed"].split()
    assert (by_code[""]["region_name"], by_code[""]["groups_registered"]) == ("Indonesia", "25")
    assert_nothing_personal(text, open_data)


def test_the_api_answers_anonymous_callers(client, open_data):
    response = client.get("/api/open/provinces", {"period": open_data.period})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["period"] == open_data.period and data["threshold"] == 10 and data["rounding"] == 5
    assert data["months"] == f"{open_data.period}-01..{timezone.localdate():%Y-%m}"
    assert data["refreshed_at"] is not None
    codes = [i["code"] for i in data["indicators"]]
    assert "groups_registered" in codes and "cost_per_job" not in codes
    definition = next(i for i in data["indicators"] if i["code"] == "survival_12m")
    assert definition["unit"] == "percent" and definition["formula"] and definition["source"]
    rows = {r["code"]: r for r in data["rows"]}
    assert list(rows) == ["32", "33", "52"]
    assert rows["32"]["values"]["groups_registered"] == 10 and rows["32"]["values"]["visits"] == 15
    assert rows["52"]["values"]["groups_registered"] is None and "groups_registered" in rows["52"]["suppressed"]
    assert rows["52"]["values"]["visits"] == 2
    assert rows["33"]["values"]["groups_registered"] is None and "groups_registered" in rows["33"]["suppressed"]
    # One TKS visited in 32, one in 52, two in all: each a person, all hidden.
    for row in [rows["32"], rows["52"], data["total"]]:
        assert row["values"]["tks_active"] is None and "tks_active" in row["suppressed"]
    # Nothing realised anywhere: counts of 0 and Rp 0 show (they point at nobody).
    assert rows["33"]["values"]["linkages_realised"] == 0 and rows["33"]["values"]["credit_accessed"] == 0
    assert rows["33"]["suppressed"] == ["groups_registered"]
    assert data["total"]["code"] == "" and data["total"]["name"] == "Indonesia"
    assert data["total"]["values"]["groups_registered"] == 25 and data["total"]["values"]["visits"] == 17
    # No published people count is small, anywhere, and each is a multiple of 5.
    for row in [*data["rows"], data["total"]]:
        for code in ("groups_registered", "funnel_applied", "tks_posted", "tks_active", "jobs_created"):
            assert row["values"][code] is None or (not 1 <= row["values"][code] < 10 and row["values"][code] % 5 == 0)
    assert_nothing_personal(response.content.decode(), open_data)


def test_default_period_is_this_year_to_date(client, open_data):
    today = timezone.localdate()
    data = client.get("/api/open/provinces").json()
    assert data["period"] == str(today.year) and data["months"] == f"{today.year}-01..{today:%Y-%m}"
    response = client.get("/data-terbuka/")
    assert response.status_code == 200 and page_table(response)["32"]["groups_registered"] == "10"
    assert f'name="periode" value="{today.year}"' in response.content.decode()  # resubmitting it works
    assert f'href="/data-terbuka/provinsi.csv?periode={today.year}"' in response.content.decode()


@pytest.mark.parametrize("bad", ["2026-13", "kemarin", "2999", "2026-05..2026-01", "1999"])
def test_a_bad_period_is_named_never_a_500(client, world, bad):
    api = client.get("/api/open/provinces", {"period": bad})
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["query", "period"]
    page = client.get("/data-terbuka/", {"periode": bad})
    assert page.status_code == 200
    assert "Periode tidak dapat dibaca" in page.content.decode()
    assert "open-data-table" in page.content.decode()  # the default period's table, under the error
    download = client.get("/data-terbuka/provinsi.csv", {"periode": bad})
    assert download.status_code == 400 and "periode" in download.content.decode()


def test_too_long_or_nul_period(client, world):
    assert client.get("/api/open/provinces", {"period": "2" * 41}).status_code == 422
    assert client.get("/data-terbuka/", {"periode": "2" * 41}).status_code == 200
    assert client.get("/data-terbuka/provinsi.csv", {"periode": "2026\x00"}).status_code == 400


def test_requests_are_throttled_per_address(client, world, settings):
    settings.SUKARELA_OPEN_DATA_PER_HOUR = 2
    assert client.get("/api/open/provinces").status_code == 200
    assert client.get("/data-terbuka/").status_code == 200
    assert client.get("/data-terbuka/provinsi.csv").status_code == 429
    assert client.get("/api/open/provinces").status_code == 429
    assert client.get("/data-terbuka/").status_code == 429
    other = client.get("/api/open/provinces", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_signed_in_users_see_the_same_public_table(client, open_data):
    client.force_login(open_data.world.district)
    response = client.get("/data-terbuka/", {"periode": open_data.period})
    assert page_table(response)["52"]["groups_registered"] == "<10"


def test_the_landing_page_links_to_open_data(client, world):
    body = client.get("/").content.decode()
    assert 'href="/data-terbuka/"' in body
