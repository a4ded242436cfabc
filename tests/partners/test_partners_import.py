"""The partner import: both modes with the error report (row, column, reason, value), duplicates
against the register and within the file, the override, scope per row, and the template."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.importing import error_report
from sukarela.core.models import AuditEvent
from sukarela.core.web import spreadsheet
from sukarela.partners.models import Partner
from sukarela.partners.services.imports import COLUMNS, import_partners

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in COLUMNS]


def upload(rows, fmt="xlsx"):
    content = spreadsheet(fmt, HEADERS, [[r.get(c.key, "") for c in COLUMNS] for r in rows], "Mitra")
    return SimpleUploadedFile(f"mitra.{fmt}", content)


GOOD = {"name": "Yayasan Tani Leuwiliang", "kind": "pemberdayaan", "reach": "kabupaten", "region": "32.01",
        "served": "32.01.01; 32.01.02", "offers": "pelatihan; Akses pasar", "contact_name": "Ujang",
        "contact_phone": "0812 2222 3333", "contact_email": "ujang@tani.or.id", "website": "tani.or.id"}
ROWS = [
    GOOD,                                                                     # row 2: fine
    {"name": "Bank BPR Bogor Sejahtera", "kind": "bank", "region": "32.01"},  # row 3: duplicate of the register
    {"name": "Dinas Sukabumi", "kind": "pemda", "region": "32.02"},           # row 4: outside the scope
    {"name": "Yayasan Tani Leuwiliang", "kind": "pemberdayaan", "region": "32.01"},  # row 5: duplicate of row 2
    {"name": "Kop. Sinar", "kind": "warung", "region": "32.01", "contact_phone": "0812"},  # row 6: type, contact
    {"name": "Koperasi Tani Cibinong", "kind": "Lembaga pemberdayaan masyarakat", "region": "32.01",
     "active": "tidak"},                                                      # row 7: fine (type by name)
]


def test_mode_valid_stores_good_rows_and_reports_the_rest(partners_world):
    w = partners_world
    result = import_partners(w.district, upload(ROWS), "valid")
    assert (result.total, result.stored, result.rejected) == (6, 2, 4)
    by_row = {}
    for e in result.errors:
        by_row.setdefault(e.row, {})[e.column] = (e.reason, e.value)
    assert by_row[3]["Nama Lembaga"][0].startswith("Kemungkinan duplikat: Bank Perkreditan Rakyat Bogor Sejahtera")
    assert "di luar wilayah kerja" in by_row[4]["Kode Wilayah Asal"][0] and by_row[4]["Kode Wilayah Asal"][1] == "32.02"
    assert "baris 2 berkas ini" in by_row[5]["Nama Lembaga"][0]
    assert set(by_row[6]) == {"Jenis", "Nama Kontak", "Telepon Kontak"}
    stored = Partner.objects.get(name="Yayasan Tani Leuwiliang")
    assert sorted(r.code for r in stored.regions_served.all()) == ["32.01.01", "32.01.02"]
    assert sorted(o.code for o in stored.offers.all()) == ["pasar", "pelatihan"]
    assert stored.contacts.get().phone == "+6281222223333" and stored.website == "https://tani.or.id"
    assert not Partner.objects.get(name="Koperasi Tani Cibinong").active
    event = AuditEvent.objects.get(action="import_partners")
    assert event.changes["partners"] == [None, 2] and event.changes["rejected_rows"] == [None, 4]
    report = error_report(result.errors).decode("utf-8-sig")
    assert report.splitlines()[0] == "Baris,Kolom,Alasan,Nilai" and "Kode Wilayah Asal" in report


def test_mode_all_stores_nothing(partners_world):
    before = Partner.objects.count()
    result = import_partners(partners_world.district, upload(ROWS, "csv"), "all")
    assert not result.applied and result.rejected == 4
    assert Partner.objects.count() == before
    assert not AuditEvent.objects.filter(action="import_partners").exists()
    result = import_partners(partners_world.district, upload([GOOD], "csv"), "all")
    assert result.applied and result.stored == 1


def test_override_column_lets_a_duplicate_in_and_audits_it(partners_world):
    rows = [{"name": "BPR Bogor Sejahtera", "kind": "bank", "region": "32.01", "allow_duplicate": "ya"}]
    result = import_partners(partners_world.district, upload(rows), "all")
    assert result.stored == 1 and result.overridden == 1
    event = AuditEvent.objects.get(action="import_partners")
    assert "BPR Bogor Sejahtera ~ Bank Perkreditan Rakyat Bogor Sejahtera" in event.changes["duplicate_override"][1]


def test_reach_rules_per_row(partners_world):
    rows = [{"name": "Kementerian Desa", "kind": "kementerian", "reach": "nasional"},
            {"name": "Dinas Provinsi", "kind": "pemda", "reach": "provinsi", "region": "32"}]
    result = import_partners(partners_world.district, upload(rows), "valid")
    assert {(e.row, e.column) for e in result.errors} == {(2, "Cakupan"), (3, "Kode Wilayah Asal")}
    result = import_partners(partners_world.provincial, upload(rows[1:]), "valid")
    assert result.stored == 1


def test_import_page_with_report(client, partners_world):
    client.force_login(partners_world.district)
    response = client.post(reverse("partners:partner_import"), {"mode": "valid", "file": upload(ROWS)})
    body = response.content.decode()
    assert "import-errors" in body and "baris 2 berkas ini" in body
    assert 'id="import-result"' in body and "mitra disimpan" in body
    refused = client.post(reverse("partners:partner_import"), {"mode": "all", "file": upload(ROWS)}).content.decode()
    assert "tidak ada yang disimpan" in refused and "mitra disimpan" not in refused
    report = client.get(reverse("partners:partner_import") + "?laporan=csv")
    assert report.status_code == 200 and b"Kode Wilayah Asal" in report.content


def test_template_has_the_headers(client, world):
    client.force_login(world.district)
    response = client.get(reverse("partners:partner_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADERS
    result = import_partners(world.district, SimpleUploadedFile("t.xlsx", response.content), "all")
    assert result.applied and result.stored == 2, result.errors


def test_not_a_table_names_the_file(partners_world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        import_partners(partners_world.district, SimpleUploadedFile("x.csv", b"\x00\x01\x02"), "all")
    assert "file" in caught.value.message_dict
