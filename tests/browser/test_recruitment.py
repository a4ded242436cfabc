"""Recruitment in the browser: the public application form on a phone, and a district
officer's bulk import with its progress bar, on the real background thread."""

import csv
import io
import os
import re
import struct
import zlib
from datetime import date

import openpyxl
import pytest
from playwright.sync_api import expect

from sukarela.recruitment.columns import APPLICANT_COLUMNS
from sukarela.recruitment.models import Application, Document, ImportJob, ImportState, Status
from sukarela.regions.models import Region
from tests.browser.test_shell import assert_fits_phone, login, settled
from tests.recruitment import conftest as recruitment
from tests.recruitment.conftest import applicant, nik_for

pytestmark = pytest.mark.browser

# The recruitment fixtures: an open campaign over 32.01, 32.02 and 52.03; uploads in the test's own folder.
campaign = recruitment.campaign
_media = recruitment._media

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A real (decodable) PNG: signature, IHDR, one zlib IDAT, IEND, with CRCs."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    scanlines = b"".join(b"\x00" + b"\xc0\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(scanlines)) + chunk(b"IEND", b""))


def exactly(label: str) -> re.Pattern:
    """A form label as Django writes it: the text, then a colon unless it ends in punctuation."""
    return re.compile(rf"^{re.escape(label)}:?$")


def field_errors(page, label: str):
    """The error block of the form field labelled `label`."""
    return page.locator(".field", has=page.get_by_label(exactly(label))).locator(".errors")


def fill_application(page, *, nik: str, name: str, birth: date, sex: str, village: Region, consent: bool):
    page.get_by_label(exactly("NIK")).fill(nik)
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Tanggal lahir").fill(birth.isoformat())
    page.get_by_label("Jenis kelamin").select_option(sex)
    page.get_by_label("Nomor HP").fill("0813-1111-2222")
    page.get_by_label("Email").fill("siti.browser@contoh.id")
    page.get_by_label("Pendidikan terakhir").select_option("S1")
    page.get_by_label("Jurusan").fill("Manajemen")
    # The domicile picker starts at the provinces; each choice redraws it one level deeper.
    chain = village.code.split(".")
    for level, label in enumerate(("Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan"), start=1):
        page.get_by_label(label, exact=True).select_option(".".join(chain[:level]))
        settled(page)
    expect(page.locator("input[type=hidden][name=domicile]")).to_have_value(village.code)
    expect(page.locator(".region-picker .picked")).to_contain_text(village.name)
    page.get_by_label("Alamat").fill("Jl. Mawar No. 7, RT 01/RW 02")
    page.get_by_label("Nomor KK").fill(nik[:6] + "0101990042")
    page.get_by_label("Motivasi").fill("Ingin mendampingi usaha warga desa")
    page.get_by_label("Pengalaman").fill("Pengurus karang taruna")
    page.get_by_label("Saya menyetujui pemrosesan data pribadi").set_checked(consent)


def test_public_application_correct_and_erase_on_a_phone(phone, world, campaign, mailoutbox):
    village = world.village_in
    birth, sex = date(1999, 8, 9), "P"  # a woman: the NIK's day is 9 + 40
    nik = nik_for(village.code, birth, sex, serial=7)
    png = tiny_png()

    phone.goto("/daftar/")
    card = phone.locator("section.card", has_text=campaign.name)
    card.get_by_role("link", name="Daftar").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Formulir lamaran TKS")
    expect(phone.locator("#purpose")).to_contain_text(campaign.consent_purpose[:40])
    assert_fits_phone(phone)
    fill_application(phone, nik=nik, name="Siti Peramban", birth=birth, sex=sex, village=village, consent=True)
    phone.get_by_label("KTP").set_input_files({"name": "ktp-siti.png", "mimeType": "image/png", "buffer": png})
    assert_fits_phone(phone)
    phone.get_by_role("button", name="Kirim lamaran").click()

    # The status page, reached by the private link, says so once.
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Status lamaran")
    status_url = phone.url
    assert re.search(r"/daftar/lamaran/[\w-]{20,}/$", status_url), status_url
    notice = phone.locator("#private-link")
    expect(notice).to_contain_text("tautan pribadi")
    expect(notice.locator("code")).to_have_text(status_url)
    expect(phone.locator("#status")).to_contain_text("Siti Peramban")
    assert_fits_phone(phone)
    app = Application.objects.get(campaign=campaign)
    assert (app.nik, app.sex, app.birth_date, app.domicile_id) == (nik, "P", birth, village.code)
    assert app.phone == "+6281311112222" and app.status == Status.ACTIVE and app.consent_at is not None
    doc = app.documents.get()
    assert (doc.kind, doc.content_type, doc.original_name) == ("ktp", "image/png", "ktp-siti.png")
    # The applicant gets the same bytes back through the private link.
    link = phone.get_by_role("link", name=re.compile("ktp-siti.png"))
    served = phone.request.get(link.get_attribute("href"))
    assert served.status == 200 and served.headers["content-type"] == "image/png" and served.body() == png
    stored_file = doc.file.path
    # The receipt e-mail carries the same private link.
    assert [m.to for m in mailoutbox] == [["siti.browser@contoh.id"]]
    assert status_url.split("/daftar/", 1)[1] in mailoutbox[0].body
    # Opening the link again (a bookmark) shows the status without the one-time notice.
    phone.reload()
    expect(phone.locator("#status")).to_contain_text("Siti Peramban")
    expect(phone.locator("#private-link")).to_have_count(0)

    # A NIK whose date disagrees with the birth date is refused on the NIK field; nothing is stored.
    phone.goto(f"/daftar/{campaign.pk}/")
    wrong_nik = nik_for(village.code, date(1999, 8, 10), sex, serial=8)
    fill_application(phone, nik=wrong_nik, name="Budi Peramban", birth=birth, sex=sex, village=village,
                     consent=True)
    phone.get_by_role("button", name="Kirim lamaran").click()
    expect(field_errors(phone, "NIK")).to_contain_text("NIK tidak cocok dengan tanggal lahir 1999-08-09")
    expect(phone.get_by_label(exactly("NIK"))).to_have_value(wrong_nik)
    # The chosen village survives the round trip.
    expect(phone.locator("input[type=hidden][name=domicile]")).to_have_value(village.code)
    assert_fits_phone(phone)
    assert Application.objects.filter(campaign=campaign).count() == 1

    # Without consent the form names consent (and only consent), and stores nothing.
    phone.get_by_label(exactly("NIK")).fill(nik_for(village.code, birth, sex, serial=8))
    phone.get_by_label("Saya menyetujui pemrosesan data pribadi").uncheck()
    phone.get_by_role("button", name="Kirim lamaran").click()
    consent_errors = field_errors(phone, "Saya menyetujui pemrosesan data pribadi saya untuk tujuan di atas.")
    expect(consent_errors).to_contain_text("Persetujuan pemrosesan data wajib")
    expect(phone.locator(".field.has-error")).to_have_count(1)
    assert Application.objects.filter(campaign=campaign).count() == 1

    # Back through the private link: correct the name.
    phone.goto(status_url)
    phone.get_by_role("link", name="Perbaiki data").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Perbaiki data lamaran")
    expect(phone.get_by_label(exactly("NIK"))).to_have_value(nik)
    expect(phone.locator("input[type=hidden][name=domicile]")).to_have_value(village.code)
    assert_fits_phone(phone)
    phone.get_by_label("Nama lengkap").fill("Siti Nurhaliza Peramban")
    phone.get_by_role("button", name="Simpan perbaikan").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Status lamaran")
    expect(phone.get_by_text("Perbaikan data disimpan.")).to_be_visible()
    expect(phone.locator("#status")).to_contain_text("Siti Nurhaliza Peramban")
    app.refresh_from_db()
    assert app.full_name == "Siti Nurhaliza Peramban" and app.nik == nik and app.documents.count() == 1

    # Withdrawing consent erases the person; the row stays (anonymised) so counts stay right.
    erase = phone.locator("form#erase")
    erase.get_by_role("button", name="Hapus data saya").click()
    expect(phone.get_by_text("Centang konfirmasi untuk menghapus data Anda.")).to_be_visible()
    assert Application.objects.get(pk=app.pk).status == Status.ACTIVE
    erase.get_by_label("Saya mengerti dan ingin data saya dihapus.").check()
    erase.get_by_role("button", name="Hapus data saya").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Data dihapus")
    expect(phone.get_by_role("status")).to_contain_text("Tautan pribadi ini tidak berlaku lagi")
    assert_fits_phone(phone)
    app.refresh_from_db()
    assert app.status == Status.ERASED and app.full_name == "[dihapus]"
    assert (app.nik, app.birth_date, app.phone, app.email, app.address, app.household_id) == (None, None, "", "", "",
                                                                                              "")
    assert (app.motivation, app.experience, app.education_field, app.access_digest) == ("", "", "", None)
    assert (app.campaign_id, app.domicile_id, app.sex, app.education_level) == (campaign.pk, village.code, "P", "S1")
    assert not Document.objects.filter(application=app).exists()
    assert not os.path.exists(stored_file)
    assert phone.goto(status_url).status == 404


# ------------------------------------------------------------------------ import


HEADERS = [c.header for c in APPLICANT_COLUMNS]


def csv_file(rows: list[dict]) -> bytes:
    """As a labour office saves it from Excel: semicolons, UTF-8 with BOM, Indonesian headers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for raw in rows:
        writer.writerow([raw.get(c.key, "") for c in APPLICANT_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def upload(page, campaign, content: bytes, name: str, mode: str):
    page.goto(f"/rekrutmen/{campaign.pk}/impor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impor berkas")
    page.get_by_label("Isi berkas").select_option("applications")
    page.get_by_label(mode).check()
    page.get_by_label("Berkas CSV atau XLSX").set_input_files({"name": name, "mimeType": "text/csv",
                                                              "buffer": content})
    assert_fits_phone(page)
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_url(re.compile(r"/rekrutmen/impor/\d+/$"))
    return ImportJob.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def test_import_with_progress_and_error_report(phone, world, campaign):
    villages = list(Region.objects.filter(level=4, code__startswith="32.01.").order_by("code")
                    .values_list("code", flat=True))
    birth = date(1997, 3, 21)
    # Enough valid rows that the import is still running when the page first shows.
    valid = [applicant(villages[i % len(villages)], birth=birth, sex="LP"[i % 2], serial=i + 1,
                       full_name=f"Pelamar Impor {i + 1}") for i in range(2500)]
    # Three bad rows: a NIK of another birth date, an impossible date, a village outside the officer's
    # regency. File rows count the header as row 1.
    wrong_nik = applicant(villages[0], birth=birth, nik=nik_for(villages[0], date(1997, 3, 22), "L", 9001))
    no_such_date = applicant(villages[1], birth_date="31-02-1997")
    outside = applicant(world.village_out.code, birth=birth, serial=9002)
    rows = valid[:700] + [wrong_nik, no_such_date] + valid[700:] + [outside]
    bad_rows = [702, 703, len(rows) + 1]

    login(phone, "kab-bogor")
    polls = []
    phone.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") == "true" else None)
    job = upload(phone, campaign, csv_file(rows), "lamaran-kab-bogor.csv", "Simpan baris yang valid")
    progress = phone.locator("#import-progress")
    first_state = progress.get_attribute("hx-trigger")
    first_label = progress.locator("label").inner_text()
    result = phone.locator("#import-result")
    expect(result).to_have_attribute("data-state", "done", timeout=60_000)
    # The page was never reloaded: htmx polled the progress section until the job finished.
    assert first_state == "every 700ms", "the import had already finished when its page first showed"
    assert first_label in ("Membaca berkas…", "Memeriksa baris…", "Menyimpan…"), first_label
    assert polls and all(u.endswith(f"/rekrutmen/impor/{job.pk}/") for u in polls), polls
    assert progress.get_attribute("hx-trigger") is None
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(result).to_have_text(f"{len(valid)} baris disimpan, 3 baris ditolak.")
    facts = progress.locator("dl.facts")
    expect(facts).to_contain_text(f"Baris dalam berkas{len(rows)}")
    expect(facts).to_contain_text(f"Disimpan{len(valid)}")
    expect(facts).to_contain_text("Ditolak3")
    assert_fits_phone(phone)
    job.refresh_from_db()
    assert (job.state, job.stored_rows, job.error_rows, job.total_rows) == (ImportState.DONE, len(valid), 3, len(rows))
    stored = Application.objects.filter(campaign=campaign)
    assert stored.count() == len(valid)
    assert set(stored.values_list("nik", flat=True)) == {r["nik"] for r in valid}
    assert not stored.filter(domicile_id=world.village_out.code).exists()

    # The XLSX error report names every rejected row.
    link = progress.get_by_role("link", name="XLSX")
    with phone.expect_response(re.compile(r"/laporan\.xlsx$")) as response_info, phone.expect_download() as dl:
        link.click()
    response = response_info.value
    assert response.status == 200 and response.headers["content-type"] == XLSX
    assert dl.value.suggested_filename == f"laporan-impor-{job.pk}.xlsx"
    with open(dl.value.path(), "rb") as f:
        body = f.read()
    assert body[:4] == b"PK\x03\x04"
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == ("Baris", "Kolom", "Kode", "Alasan", "Nilai")
    by_row = {}
    for row, column, code, reason, value in table[1:]:
        by_row.setdefault(int(row), []).append((column, code, reason, value))
    assert sorted(by_row) == bad_rows
    assert [(c, code) for c, code, _r, _v in by_row[702]] == [("NIK", "nik_birth_date_mismatch")]
    assert "tidak cocok dengan tanggal lahir 1997-03-21" in by_row[702][0][2]
    assert [(c, v) for c, _code, _r, v in by_row[703]] == [("Tanggal Lahir", "31-02-1997")]
    assert [(c, code) for c, code, _r, _v in by_row[len(rows) + 1]] == [("Kode Desa/Kelurahan", "out_of_scope")]

    # All or nothing: one bad row and nothing is stored.
    fresh = [applicant(villages[0], birth=birth, serial=5000 + i) for i in range(4)]
    broken = fresh[:2] + [applicant(villages[0], birth=birth, serial=5100, phone="12")] + fresh[2:]
    job2 = upload(phone, campaign, csv_file(broken), "semua-atau-tidak.csv", "Semua atau tidak sama sekali")
    result = phone.locator("#import-result")
    expect(result).to_have_attribute("data-state", "rejected", timeout=30_000)
    expect(result).to_contain_text("1 baris salah")
    expect(result).to_contain_text("tidak ada yang disimpan")
    expect(phone.locator("#import-progress dl.facts")).to_contain_text("Disimpan0")
    expect(phone.locator("#import-progress").get_by_role("link", name="XLSX")).to_be_visible()
    job2.refresh_from_db()
    assert (job2.state, job2.stored_rows, job2.error_rows, job2.total_rows) == (ImportState.REJECTED, 0, 1, 5)
    assert Application.objects.filter(campaign=campaign).count() == len(valid)
    assert not Application.objects.filter(nik__in=[r["nik"] for r in broken]).exists()
