"""Linkage import (both modes, every row checked by the linkage rules, one "imported" step) and the
export of the linkages an officer sees."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.core.web import spreadsheet
from sukarela.partners.models import Linkage
from sukarela.partners.services.linkage_imports import COLUMNS, import_linkages
from tests.conftest import make_user
from tests.partners.conftest import partner
from tests.partners.test_linkages import group_in, group_out, linked, make_centre

HEADERS = [c.header for c in COLUMNS]
def today():
    return timezone.localdate()  # read when used: a run may cross midnight in Jakarta (17:00 UTC)


def upload(rows, fmt="xlsx"):
    return SimpleUploadedFile(f"keterkaitan.{fmt}", spreadsheet(fmt, HEADERS, rows, "Keterkaitan"))


def row(group="", centre="", partner_ref="", purpose="pinjaman", status="", proposed="", status_on="", value="",
        people="", broker="", reason="", notes=""):
    return [group, centre, partner_ref, purpose, status, proposed, status_on, value, people, broker, reason, notes]


@pytest.fixture
def iw(world):
    world.tks = make_user("tks-impor", "tks", world.village_in.code)
    world.group = group_in(world, world.tks)
    world.centre = make_centre(world)
    world.bpr = partner(world, name="BPR Bogor Makmur", region="32.01")
    return world


def good_rows(w):
    week = (today() - dt.timedelta(days=7)).isoformat()
    return [row(w.group.pk, "", w.bpr.pk, "pinjaman", "terealisasi", week, today().isoformat(), "25000000", "",
                "tks-impor"),
            row("", w.centre.pk, "bpr bogor  makmur", "Pelatihan", "disepakati", week, week),
            row(w.group.pk, "", w.bpr.pk, "pasar")]


def test_valid_rows_are_stored_with_one_imported_step_and_one_audit_record(iw):
    result = import_linkages(iw.district, upload(good_rows(iw)), "all")
    assert (result.total, result.stored, result.errors) == (3, 3, [])
    realised = Linkage.objects.get(status="terealisasi")
    assert realised.value_amount == 25_000_000 and realised.broker == iw.tks
    assert [(s.status, s.note) for s in realised.steps.all()] == [("terealisasi", "Diimpor pada status Terealisasi")]
    centre_row = Linkage.objects.get(centre=iw.centre)
    assert (centre_row.purpose, centre_row.status, centre_row.partner) == ("pelatihan", "disepakati", iw.bpr)
    plain = Linkage.objects.get(purpose="pasar")
    assert plain.status == "diusulkan" and plain.proposed_on == today() and plain.broker == iw.tks  # current mentor
    event = AuditEvent.objects.get(action="import_linkages")
    assert event.changes["linkages"] == [None, 3]


def bad_rows(w):
    outside = group_out(w)
    ntb = partner(w, region="52", reach="provinsi", created_by=w.provincial_other)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    return [
        row(outside.pk, "", w.bpr.pk),                                          # 2: group out of scope
        row(w.group.pk, w.centre.pk, w.bpr.pk),                                 # 3: both group and centre
        row(w.group.pk, "", ntb.pk),                                            # 4: partner not visible
        row(w.group.pk, "", w.bpr.pk, "pinjaman", "terealisasi"),               # 5: realised without value
        row(w.group.pk, "", w.bpr.pk, "pelatihan", "gagal"),                    # 6: failed without reason
        row(w.group.pk, "", w.bpr.pk, "pinjaman", "selesai", tomorrow),         # 7: status, date
        row(w.group.pk, "", w.bpr.pk, "pinjaman", "dihubungi", "2025-03-10", "2025-03-01"),  # 8: before proposal
        row(w.group.pk, "", w.bpr.pk, "pinjaman", "", "", "", "", "", "kab-bogor"),  # 9: broker not a TKS
        row(w.group.pk, "", "Bank Tidak Ada", "hadiah"),                        # 10: partner, purpose
    ]


def test_mode_all_stores_nothing_and_reports_each_row_and_column(iw):
    result = import_linkages(iw.district, upload(good_rows(iw) + bad_rows(iw)), "all")
    assert not result.applied and not Linkage.objects.exists()
    assert not AuditEvent.objects.filter(action="import_linkages").exists()
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(5, "ID Kelompok"), (6, "ID Kelompok"), (7, "Mitra"), (8, "Nilai (Rp)"), (9, "Alasan Gagal"),
                     (10, "Status"), (10, "Tanggal Usulan"), (11, "Tanggal Status"), (12, "TKS Perantara"),
                     (13, "Mitra"), (13, "Tujuan")}
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "di luar wilayah kerja" in reasons[(5, "ID Kelompok")]
    assert "sebelum tanggal usulan" in reasons[(11, "Tanggal Status")]


def test_mode_valid_stores_the_good_rows_and_reports_the_rest(iw):
    result = import_linkages(iw.district, upload(good_rows(iw) + bad_rows(iw), "csv"), "valid")
    assert result.applied and result.stored == 3 and result.rejected == 9
    assert Linkage.objects.count() == 3


def test_ambiguous_partner_name_asks_for_the_id(iw):
    partner(iw, name="BPR Bogor Makmur", region="32.01", kind="bumn")
    result = import_linkages(iw.district, upload([row(iw.group.pk, "", "BPR Bogor Makmur")]), "all")
    assert "tulis ID mitranya" in result.errors[0].reason


def test_import_page_report_and_export(iw, client):
    client.force_login(iw.district)
    response = client.post(reverse("partners:linkage_import"), {"mode": "valid",
                                                                "file": upload(good_rows(iw) + bad_rows(iw))})
    body = response.content.decode()
    assert response.status_code == 200 and "3 keterkaitan disimpan" in body and 'id="import-errors"' in body
    report = client.get(reverse("partners:linkage_import") + "?laporan=csv")
    assert report.status_code == 200 and "Kelompok tidak dikenal" in report.content.decode()
    linked(iw, "out")  # Sukabumi's: never in Bogor's export
    export = client.get(reverse("partners:linkage_export") + "?format=csv&status=terealisasi")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "ID Kelompok", "ID BLK"] and len(rows) == 2
    assert rows[1][1] == str(iw.group.pk) and rows[1][8] == "25000000" and rows[1][10] == "tks-impor"
    full = client.get(reverse("partners:linkage_export"))
    assert full.status_code == 200 and full["Content-Type"].startswith("application/vnd.openxmlformats")


def test_exported_file_imports_again(iw, client):
    import_linkages(iw.district, upload(good_rows(iw)), "all")
    client.force_login(iw.district)
    export = client.get(reverse("partners:linkage_export") + "?format=csv").content
    again = import_linkages(iw.provincial, SimpleUploadedFile("lagi.csv", export), "all")
    assert again.errors == [] and again.stored == 3 and Linkage.objects.count() == 6
