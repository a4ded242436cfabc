"""The group import: rows tied by Kode Kelompok, both modes, the report (row, column, reason, value),
one NIK in one active group, one chair per group, the importer's region, XLSX and the page."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.importing import error_report
from sukarela.core.models import AuditEvent
from sukarela.engines.tabular import read_table
from sukarela.groups.models import Group, Member
from sukarela.groups.services.imports import COLUMNS, import_groups
from tests.groups.conftest import make_group, nik

HEADERS = [c.header for c in COLUMNS]


def row(key, member_nik, name="Anggota", *, chair="tidak", born="1995-07-05", sex="L", unemployed="ya",
        **group) -> dict:
    cells = dict.fromkeys(HEADERS, "")
    cells.update({"Kode Kelompok": key, "NIK": member_nik, "Nama Lengkap": name, "Jenis Kelamin": sex,
                  "Tanggal Lahir": born, "Ketua": chair, "Belum Bekerja": unemployed})
    cells.update(group)
    return cells


def group_cells(world, name, **over) -> dict:
    return {"Nama Kelompok": name, "Tingkat": "Pemula", "Sektor": "Jasa boga / makanan",
            "Kode Desa/Kelurahan": world.village_in.code.replace(".", ""), "Bank": "BRI",
            "Nomor Rekening": "0123456789012", "Bantuan (Rp)": "10.000.000", "Tanggal Bantuan": "02/03/2026",
            "Rencana Alat (Rp)": "6000000", "Rencana Bahan (Rp)": "4000000", **over}


def upload(rows, name="kelompok.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def two_groups(world, *, bad_member=False):
    """K01 (chair + one member) and K02 (chair + member; the member's birth date disagrees with the NIK)."""
    return [
        row("K01", nik(), "Ketua Satu", chair="ya", **group_cells(world, "Tani Makmur")),
        row("K01", nik(sex="P"), "Anggota Satu", sex="P"),
        row("K02", nik(), "Ketua Dua", chair="ya", **group_cells(world, "Boga Sejahtera")),
        row("K02", nik(), "Anggota Dua", born="1996-07-05" if bad_member else "1995-07-05"),
    ]


def test_a_clean_file_stores_groups_with_members_and_one_audit_record(world, sectors):
    result = import_groups(world.district, upload(two_groups(world)), "all")
    assert result.errors == [] and (result.groups, result.stored) == (2, 4)
    k01 = Group.objects.get(name="Tani Makmur")
    assert k01.village_id == world.village_in.code and k01.sector_id == "jasa-boga"
    assert (k01.aid_amount, k01.aid_tools, k01.aid_materials) == (10_000_000, 6_000_000, 4_000_000)
    assert k01.aid_received_on.isoformat() == "2026-03-02"
    assert list(k01.members.values_list("full_name", "is_chair")) == [("Ketua Satu", True), ("Anggota Satu", False)]
    event = AuditEvent.objects.get(action="import_groups")
    assert event.changes["groups"] == [None, 2] and event.changes["members"] == [None, 4]


def test_mode_all_stores_nothing_when_one_row_is_wrong(world, sectors):
    result = import_groups(world.district, upload(two_groups(world, bad_member=True)), "all")
    assert not result.applied and result.rejected == 1
    assert not Group.objects.exists() and not AuditEvent.objects.filter(action="import_groups").exists()
    [error] = result.errors
    assert (error.row, error.column, error.value) == (5, "NIK", error.value)
    assert "tanggal lahir" in error.reason


def test_mode_valid_rejects_a_group_with_a_bad_member_as_a_whole(world, sectors):
    result = import_groups(world.district, upload(two_groups(world, bad_member=True)), "valid")
    assert result.applied and (result.groups, result.stored, result.groups_rejected) == (1, 2, 1)
    assert list(Group.objects.values_list("name", flat=True)) == ["Tani Makmur"]
    by_row = {e.row: e for e in result.errors}
    assert set(by_row) == {4, 5}
    assert by_row[5].column == "NIK" and "1996-07-05" in by_row[5].reason
    # The group's sound row says why it was not stored.
    assert by_row[4].column == "Kode Kelompok" and "ditolak seluruhnya" in by_row[4].reason
    assert "baris 5" in by_row[4].reason and by_row[4].value == "K02"
    report = list(csv.reader(io.StringIO(error_report(result.errors).decode("utf-8-sig"))))
    assert report[0] == ["Baris", "Kolom", "Alasan", "Nilai"] and [r[0] for r in report[1:]] == ["4", "5"]


def test_a_nik_already_in_an_active_group_is_refused_with_both_named(world, sectors):
    existing = make_group(world, "out", name="Ikan Segar")
    taken = existing.members.get().nik
    rows = two_groups(world)
    rows[1]["NIK"], rows[1]["Jenis Kelamin"] = taken, "L"
    result = import_groups(world.district, upload(rows), "valid")
    error = next(e for e in result.errors if e.column == "NIK")
    assert error.row == 3 and error.value == taken
    assert "Ikan Segar" in error.reason and world.village_out.name in error.reason
    assert "Tani Makmur" in error.reason and world.village_in.name in error.reason


def test_file_rules_duplicate_nik_chairs_and_conflicting_group_fields(world, sectors):
    same = nik()
    rows = [
        row("K01", same, "Ketua", chair="ya", **group_cells(world, "Satu")),
        row("K01", same, "Kembar"),
        row("K02", nik(), "Bukan Ketua", **group_cells(world, "Dua")),
        row("K03", nik(), "Ketua A", chair="ya", **group_cells(world, "Tiga")),
        row("K03", nik(), "Ketua B", chair="ya", **{"Nama Kelompok": "Tiga Lain"}),
        row("", nik(), "Tanpa Kelompok"),
    ]
    result = import_groups(world.district, upload(rows), "all")
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "baris 2" in reasons[(3, "NIK")]
    assert "tidak punya ketua" in reasons[(4, "Ketua")]
    assert "sudah punya ketua di baris 5" in reasons[(6, "Ketua")]
    assert "baris 5" in reasons[(6, "Nama Kelompok")]
    assert "wajib diisi" in reasons[(7, "Kode Kelompok")]
    assert not Group.objects.exists()


def test_group_field_errors_name_the_column_and_mask_the_account(world, sectors):
    rows = [row("K01", nik(), "Ketua", chair="ya", **group_cells(
        world, "Salah Semua", **{"Sektor": "Tambang", "Lintang": "-6,5", "Nomor Rekening": "12AB34567890",
                                 "Rencana Alat (Rp)": "5000000", "Rencana Bahan (Rp)": "5000000"}))]
    result = import_groups(world.district, upload(rows), "all")
    by_column = {e.column: e for e in result.errors}
    assert set(by_column) == {"Sektor", "Bujur", "Nomor Rekening", "Rencana Alat (Rp)"}
    assert "60%" in by_column["Rencana Alat (Rp)"].reason
    assert "12AB34567890" not in by_column["Nomor Rekening"].value


def test_only_groups_in_the_importers_region(world, sectors):
    rows = [row("K01", nik(), "Ketua", chair="ya", **group_cells(
        world, "Di Sukabumi", **{"Kode Desa/Kelurahan": world.village_out.code}))]
    result = import_groups(world.district, upload(rows), "valid")
    [error] = result.errors
    assert error.column == "Kode Desa/Kelurahan" and "di luar wilayah kerja" in error.reason
    assert not Group.objects.exists()
    assert import_groups(world.provincial, upload(rows), "valid").groups == 1


def test_xlsx_template_imports_as_is(world, sectors, client):
    client.force_login(world.district)
    response = client.get(reverse("groups:group_import_template"))
    assert response.status_code == 200
    table = read_table(response.content, COLUMNS)
    assert table.frame.height == 3 and table.ignored_headers == []
    xlsx = SimpleUploadedFile("templat.xlsx", response.content)
    result = import_groups(world.district, xlsx, "all")
    assert result.errors == [] and (result.groups, result.stored) == (2, 3)


def test_page_shows_the_report_and_offers_it_as_csv(world, sectors, client):
    client.force_login(world.district)
    url = reverse("groups:group_import")
    response = client.post(url, {"mode": "valid", "file": upload(two_groups(world, bad_member=True))})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in body and "ditolak seluruhnya" in body
    report = client.get(url + "?laporan=csv")
    assert report["Content-Type"].startswith("text/csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Baris,Kolom,Alasan,Nilai" and len(lines) == 3


def test_a_few_thousand_rows_in_one_go(world, sectors):
    rows = []
    for g in range(300):
        for m in range(10):
            cells = group_cells(world, f"Kelompok {g:03d}") if m == 0 else {}
            rows.append(row(f"K{g:03d}", nik(sex="LP"[m % 2]), f"Anggota {g}-{m}", sex="LP"[m % 2],
                            chair="ya" if m == 0 else "tidak", **cells))
    result = import_groups(world.district, upload(rows), "all")
    assert result.errors == [] and (result.groups, result.stored) == (300, 3000)
    assert Member.objects.filter(active=True).count() == 3000


@pytest.mark.parametrize("mode", ["semua", ""])
def test_unknown_mode_is_refused(world, sectors, mode):
    with pytest.raises(Exception) as exc:
        import_groups(world.district, upload(two_groups(world)), mode)
    assert "mode" in exc.value.message_dict
