"""Input a client or a file can send that no form would: NUL characters, absurd numbers and codes,
a home region for a national partner. Each is a clear error naming the field or the row's column,
never a 500 (PostgreSQL refuses NUL in text and overflows on huge integers)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.web import spreadsheet
from sukarela.partners import rules
from sukarela.partners.models import Linkage, Partner, Reach
from sukarela.partners.services import imports as partner_imports
from sukarela.partners.services import linkage_imports
from sukarela.partners.services.partners import create_partner, update_partner

pytestmark = pytest.mark.django_db


def send(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_nul_in_the_partner_type_is_a_422_naming_kind(client, partners_world):
    client.force_login(partners_world.national)
    response = send(client, "/api/partners", {"name": "Dinas Y", "kind": "pem\u0000da", "reach": "nasional"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "kind"]
    response = send(client, f"/api/partners/{partners_world.bri.pk}", {"kind": "b\u0000"}, "patch")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "kind"]
    response = send(client, f"/api/partners/{partners_world.bri.pk}", {"region": "3\u00002"}, "patch")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "region"]
    assert not Partner.objects.filter(name="Dinas Y").exists()


@pytest.mark.parametrize("value", ["pem\x00da", "x" * 5000, "²", None, ""])
def test_check_kind_refuses_what_no_type_is_without_asking_the_database(value, django_assert_num_queries):
    errors = {}
    with django_assert_num_queries(0 if value in ("pem\x00da", "x" * 5000, None, "") else 1):
        assert rules.check_kind(value, errors) is None
    assert errors["kind"] == "Pilih jenis mitra yang dikenal."


@pytest.mark.parametrize("text, pk", [("12", 12), (" 7 ", 7), ("9" * 5000, None), ("9" * 18, None), ("²", None),
                                       ("١٢", None), ("-3", None), ("", None), (None, None)])
def test_as_id_takes_plain_short_digits_only(text, pk):
    assert rules.as_id(text) == pk


# --------------------------------------------------------------------- national reach has no home region

def test_a_national_partner_with_a_home_region_is_refused_everywhere(client, partners_world):
    w = partners_world
    with pytest.raises(Exception) as caught:
        create_partner(w.national, name="Lembaga Z Internasional", kind="pemberdayaan", reach=Reach.INTERNATIONAL,
                       region=w.village_out.code)
    assert "tidak memiliki wilayah asal" in caught.value.message_dict["region"][0]
    client.force_login(w.national)
    response = send(client, "/api/partners", {"name": "Lembaga Z Internasional", "kind": "pemberdayaan",
                                              "reach": "internasional", "region": "52"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "region"]
    response = client.post(reverse("partners:partner_create"), {
        "name": "Lembaga Z Internasional", "kind": "pemberdayaan", "reach": "internasional", "region": "32"})
    assert response.status_code in (200, 422)
    assert "tidak memiliki wilayah asal" in response.content.decode()
    assert not Partner.objects.filter(name="Lembaga Z Internasional").exists()
    made = create_partner(w.national, name="Lembaga Z Internasional", kind="pemberdayaan", reach=Reach.INTERNATIONAL)
    assert made.region is None


def test_turning_a_partner_national_drops_its_home_region(partners_world):
    """Otherwise Bogor's officers would keep editing a partner of the whole country."""
    w = partners_world
    changed = update_partner(w.national, w.bogor, reach=Reach.NATIONAL)
    assert changed.reach == Reach.NATIONAL and changed.region is None
    with pytest.raises(Exception) as caught:
        update_partner(w.national, w.jabar, reach=Reach.NATIONAL, region="32")
    assert "region" in caught.value.message_dict


def test_the_import_refuses_a_region_for_a_national_partner(partners_world):
    headers = [c.header for c in partner_imports.COLUMNS]
    row = {"name": "Bank Nusantara Jaya", "kind": "bank", "reach": "nasional", "region": "32.01"}
    upload = SimpleUploadedFile("mitra.xlsx", spreadsheet(
        "xlsx", headers, [[row.get(c.key, "") for c in partner_imports.COLUMNS]], "Mitra"))
    result = partner_imports.import_partners(partners_world.national, upload, "valid")
    assert result.stored == 0
    [error] = result.errors
    assert (error.row, error.column) == (2, "Kode Wilayah Asal") and "tidak memiliki wilayah asal" in error.reason


# --------------------------------------------------------------------- imports: NUL and absurd values

def test_partner_import_with_absurd_cells_reports_rows(partners_world):
    headers = [c.header for c in partner_imports.COLUMNS]
    rows = [
        {"name": "N" * 5000, "kind": "bank", "region": "32.01"},
        {"name": "Bank Satu", "kind": "bank" * 1000, "region": "32.01"},
        {"name": "Bank Dua", "kind": "bank", "region": "3" * 10_000},
        {"name": "Bank Tiga", "kind": "bank", "region": "32.01", "served": "9" * 5000},
        {"name": "Bank Empat", "kind": "bank", "region": "32.01", "reach": "x" * 3000},
    ]
    upload = SimpleUploadedFile("mitra.xlsx", spreadsheet(
        "xlsx", headers, [[r.get(c.key, "") for c in partner_imports.COLUMNS] for r in rows], "Mitra"))
    result = partner_imports.import_partners(partners_world.district, upload, "valid")
    assert result.stored == 0
    assert {(e.row, e.column) for e in result.errors} >= {
        (2, "Nama Lembaga"), (3, "Jenis"), (4, "Kode Wilayah Asal"), (5, "Wilayah Layanan"), (6, "Cakupan")}
    assert all(len(e.value) <= 100 for e in result.errors)


def test_partner_import_with_a_nul_byte_is_refused_whole(client, partners_world):
    client.force_login(partners_world.district)
    body = "Nama Lembaga,Jenis,Kode Wilayah Asal\nBank\x00Nul,bank,32.01\n".encode()
    response = client.post(reverse("partners:partner_import"),
                           {"mode": "valid", "file": SimpleUploadedFile("mitra.csv", body, content_type="text/csv")})
    assert response.status_code in (200, 422)
    assert not Partner.objects.filter(name__startswith="Bank").exclude(
        pk__in=[partners_world.bogor.pk, partners_world.bri.pk]).exists()


@pytest.mark.parametrize("cell", ["9" * 5000, "9" * 30, "²", "١٢"])
def test_linkage_import_with_an_absurd_id_names_the_column(client, partners_world, cell):
    client.force_login(partners_world.national)
    headers = [c.header for c in linkage_imports.COLUMNS]
    rows = [[cell, "", partners_world.bri.pk, "pinjaman"] + [""] * (len(headers) - 4),   # group id
            ["", cell, partners_world.bri.pk, "pinjaman"] + [""] * (len(headers) - 4),   # centre id
            ["1", "", cell, "pinjaman"] + [""] * (len(headers) - 4)]                     # partner id
    upload = SimpleUploadedFile("k.csv", spreadsheet("csv", headers, rows, "K"), content_type="text/csv")
    response = client.post(reverse("partners:linkage_import"), {"mode": "valid", "file": upload})
    assert response.status_code in (200, 422)
    result = linkage_imports.import_linkages(partners_world.national, SimpleUploadedFile(
        "k.csv", spreadsheet("csv", headers, rows, "K")), "valid")
    columns = {(e.row, e.column) for e in result.errors}
    assert {(2, "ID Kelompok"), (3, "ID BLK"), (4, "Mitra")} <= columns
    assert result.stored == 0 and not Linkage.objects.exists()
