"""Bulk import of applications and scores (issue 3, section 4 and the Acceptance list).

Every input file is written here, in the test's tmp_path, from synthetic applicants.
Each case states the database the chosen mode promises (Application rows counted
before and after) and reads the error report, which must name row, column and reason.
The same files also go through the upload page, where nothing may answer 500.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sukarela.core.models import AuditEvent
from sukarela.core import bulk
from sukarela.recruitment.columns import APPLICANT_COLUMNS
from sukarela.recruitment.models import Application, ImportJob, ImportState
from sukarela.recruitment.services import campaigns, imports
from tests.conftest import first_village
from tests.recruitment.conftest import applicant

HEADERS = {c.key: c.header for c in APPLICANT_COLUMNS}  # the template's Indonesian headers
KEYS = tuple(HEADERS)
ENGLISH = {
    "nik": "nik", "full_name": "Full Name", "birth_date": "Date of Birth", "sex": "Gender", "phone": "Mobile",
    "email": "E-mail", "education_level": "Education Level", "education_field": "Field of Study",
    "domicile": "Village Code", "address": "Address", "motivation": "Motivation", "experience": "Experience",
    "household_id": "Family Card Number", "consent": "Consent",
}
BOM = b"\xef\xbb\xbf"
NOT_A_TABLE = "bukan CSV (UTF-8 atau Windows-1252) maupun workbook XLSX"
TEN_MB = 10_000_000  # characters: the reader's bound for one cell (engines.tabular)
HYPERLINK = '=HYPERLINK("http://contoh.invalid/curi","klik di sini")'


# ----------------------------------------------------------------------------------------- helpers


@pytest.fixture
def villages(world):
    return SimpleNamespace(
        bogor=world.village_in.code,                   # Kab. Bogor 32.01: the district officer's regency
        bogor2=first_village("32.01.02").code,
        sukabumi=world.village_out.code,               # Kab. Sukabumi 32.02, same province
        lotim=first_village("52.03.01").code,          # Lombok Timur 52.03, another province
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # progress lives in the cache, keyed by job id, which the databases reuse


def csv_bytes(rows, keys=KEYS, *, headers=HEADERS, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([headers[k] for k in keys])
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    data = out.getvalue().encode(encoding)
    return BOM + data if bom else data


def xlsx_bytes(rows, keys=KEYS, *, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([headers[k] for k in keys])
    for row in rows:
        sheet.append([row.get(k, "") for k in keys])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def run_import(actor, campaign, path: Path, mode="valid", kind="applications") -> ImportJob:
    job = imports.start(actor, campaign, kind, mode, upload(path))
    imports.run(job.pk)
    job.refresh_from_db()
    return job


def count(campaign) -> int:
    return Application.objects.filter(campaign=campaign).count()


def report_rows(job) -> list[dict]:
    """The CSV error report: UTF-8 with BOM, headers Baris, Kolom, Kode, Alasan, Nilai."""
    assert job.report, f"no report for job in state {job.state}: {job.message}"
    with job.report.open("rb") as f:
        raw = f.read()
    assert raw.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows and list(rows[0]) == ["Baris", "Kolom", "Kode", "Alasan", "Nilai"]
    for row in rows:
        assert row["Baris"].isdigit() and row["Kode"] and row["Alasan"], row
    return rows


def reported(job) -> set[tuple[int, str, str]]:
    return {(int(r["Baris"]), r["Kolom"], r["Kode"]) for r in report_rows(job)}


def stored_niks(campaign) -> set[str]:
    return set(Application.objects.filter(campaign=campaign).values_list("nik", flat=True))


@pytest.fixture
def bulk_calls(monkeypatch):
    """Which bulk path stored the rows: PostgreSQL must go through COPY, SQLite through executemany."""
    calls = []
    for name in ("_copy", "_executemany"):
        def spy(*args, _real=getattr(bulk, name), _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)
        monkeypatch.setattr(bulk, name, spy)
    return calls


def expected_path() -> str:
    return "_copy" if connection.vendor == "postgresql" else "_executemany"


@pytest.fixture
def inline_imports(monkeypatch):
    """The page starts a thread, which cannot see the test's transaction: run the import inline instead."""
    monkeypatch.setattr(imports, "start_in_background", lambda job: imports.run(job.pk))


def post_import(client, campaign, path: Path, *, mode="valid", kind="applications"):
    return client.post(reverse("recruitment:import_new", args=[campaign.pk]),
                       {"kind": kind, "mode": mode, "file": upload(path)})


def page_job(client, response) -> ImportJob:
    """Follow the upload's redirect like the browser: the detail page and both report downloads."""
    assert response.status_code == 302, response.content[:500]
    job = ImportJob.objects.order_by("-id").first()
    assert response["Location"] == reverse("recruitment:import_detail", args=[job.pk])
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert escape(job.message) in detail.content.decode()
    assert escape(job.get_state_display()) in detail.content.decode()
    progress = client.get(response["Location"], headers={"HX-Request": "true"})
    assert progress.status_code == 200 and b'id="import-progress"' in progress.content
    for fmt in ("csv", "xlsx"):
        download = client.get(reverse("recruitment:import_report", args=[job.pk, fmt]))
        if not job.report:
            assert download.status_code == 404
            continue
        assert download.status_code == 200
        assert download["Content-Disposition"].endswith(f'.{fmt}"')
        if fmt == "csv":
            with job.report.open("rb") as f:
                assert download.content == f.read()
        else:
            xlsx_report_cells(download.content)  # opens, and has the report's shape
    return job


def xlsx_report_cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows()]
    assert [c.value for c in rows[0]] == ["Baris", "Kolom", "Kode", "Alasan", "Nilai"]
    return rows[1:]


# ------------------------------------------------------------------------- formats the offices send


def assert_stored(campaign, job, rows, before):
    assert job.state == ImportState.DONE, job.message
    assert not job.report, report_rows(job)
    assert (job.total_rows, job.stored_rows, job.error_rows) == (len(rows), len(rows), 0)
    assert count(campaign) == before + len(rows)
    assert stored_niks(campaign) >= {r["nik"] for r in rows}


def test_csv_comma_with_indonesian_headers_stores_every_row_through_the_bulk_path(
        world, campaign, villages, tmp_path, bulk_calls):
    rows = [applicant(villages.bogor, birth_date="17-05-1998"),
            applicant(villages.bogor2, sex="P", birth=date(1999, 1, 2)),
            applicant(villages.lotim, household_id="5203 0101 0101 0001")]
    before = count(campaign)
    job = run_import(world.national, campaign, save(tmp_path, "lamaran.csv", csv_bytes(rows)))
    assert_stored(campaign, job, rows, before)
    assert bulk_calls == [expected_path()]  # PostgreSQL: COPY, really

    first = Application.objects.get(campaign=campaign, nik=rows[0]["nik"])
    assert (first.full_name, first.birth_date, first.sex) == (rows[0]["full_name"], date(1998, 5, 17), "L")
    assert first.phone == "+62" + rows[0]["phone"][1:]
    assert (first.domicile_id, first.quota_region_id) == (villages.bogor, "32.01")
    assert (first.source, first.import_job_id, first.status) == ("import", job.pk, "active")
    assert first.consent_text.text == campaign.consent_purpose and first.consent_at is not None
    assert first.declarations == {} and first.eligible is None and first.decision == ""
    second = Application.objects.get(campaign=campaign, nik=rows[1]["nik"])
    assert (second.sex, second.birth_date, second.quota_region_id) == ("P", date(1999, 1, 2), "32.01")
    third = Application.objects.get(campaign=campaign, nik=rows[2]["nik"])
    assert (third.quota_region_id, third.household_id) == ("52.03", "5203010101010001")
    assert timezone.is_aware(third.submitted_at) and abs(timezone.now() - third.submitted_at).total_seconds() < 60

    event = AuditEvent.objects.get(action="import_applications")
    assert event.actor == world.national and event.target_id == str(campaign.pk)
    assert event.changes["stored"] == [None, 3]
    assert imports.progress_of(job) == {"step": "done", "done": 3, "total": 3}


def test_csv_semicolon_with_english_alias_headers(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor, birth_date="17/05/1998", sex="male", education_level="s1"),
            dict(applicant(villages.bogor2, sex="P", birth=date(1997, 12, 3)), sex="female",
                 domicile=villages.bogor2.replace(".", ""))]
    before = count(campaign)
    data = csv_bytes(rows, headers=ENGLISH, delimiter=";")
    job = run_import(world.national, campaign, save(tmp_path, "applications.csv", data))
    assert_stored(campaign, job, rows, before)
    a = Application.objects.get(nik=rows[0]["nik"])
    b = Application.objects.get(nik=rows[1]["nik"])
    assert (a.birth_date, a.sex, a.education_level) == (date(1998, 5, 17), "L", "S1")
    assert (b.sex, b.domicile_id) == ("P", villages.bogor2)


def test_csv_utf8_with_bom(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor, full_name="Siti Nurhaliza Ağaoğlu"), applicant(villages.lotim)]
    before = count(campaign)
    data = csv_bytes(rows, bom=True)
    assert data.startswith(BOM + b"NIK,")  # the BOM sits on the required NIK header
    job = run_import(world.national, campaign, save(tmp_path, "lamaran-bom.csv", data))
    assert_stored(campaign, job, rows, before)
    assert Application.objects.get(nik=rows[0]["nik"]).full_name == "Siti Nurhaliza Ağaoğlu"


def test_csv_windows_1252_keeps_accented_names(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor, full_name="José Ramírez", address="Jl. Café No. 5"),
            applicant(villages.bogor2, full_name="Renée Müller")]
    before = count(campaign)
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")
    assert b"Jos\xe9" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    job = run_import(world.national, campaign, save(tmp_path, "lamaran-excel.csv", data))
    assert_stored(campaign, job, rows, before)
    jose = Application.objects.get(nik=rows[0]["nik"])
    assert (jose.full_name, jose.address) == ("José Ramírez", "Jl. Café No. 5")
    assert Application.objects.get(nik=rows[1]["nik"]).full_name == "Renée Müller"


def test_xlsx_with_date_cells_and_nik_as_number(world, campaign, villages, tmp_path, bulk_calls):
    rows = [applicant(villages.bogor, birth=date(1998, 5, 17)), applicant(villages.lotim, sex="P",
                                                                           birth=date(2000, 2, 29))]
    cells = [dict(rows[0], nik=int(rows[0]["nik"]), birth_date=date(1998, 5, 17)),
             # what Excel keeps after "convert to number": a float NIK and a phone without its 0
             dict(rows[1], nik=float(rows[1]["nik"]), birth_date=datetime(2000, 2, 29),
                  phone=int(rows[1]["phone"]))]
    data = xlsx_bytes(cells)
    check = openpyxl.load_workbook(io.BytesIO(data)).active
    assert check["A2"].data_type == "n" and check["C2"].is_date  # really a number and a date cell
    before = count(campaign)
    job = run_import(world.national, campaign, save(tmp_path, "lamaran.xlsx", data))
    assert_stored(campaign, job, rows, before)
    assert bulk_calls == [expected_path()]
    a = Application.objects.get(nik=rows[0]["nik"])
    b = Application.objects.get(nik=rows[1]["nik"])
    assert a.birth_date == date(1998, 5, 17) and b.birth_date == date(2000, 2, 29)
    assert b.phone == "+62" + rows[1]["phone"][1:] and b.sex == "P"


def test_declaration_columns_are_read_and_stored_as_json(world, campaign, villages, tmp_path):
    campaigns.add_rule(world.national, campaign, key="tidak_bekerja", statement="Saya tidak sedang bekerja")
    keys = (*KEYS, "tidak_bekerja")
    headers = {**HEADERS, "tidak_bekerja": "Saya tidak sedang bekerja"}
    rows = [applicant(villages.bogor, tidak_bekerja="Ya"), applicant(villages.bogor2, tidak_bekerja="tidak"),
            applicant(villages.lotim, tidak_bekerja="mungkin")]
    before = count(campaign)
    job = run_import(world.national, campaign, save(tmp_path, "lamaran.csv", csv_bytes(rows, keys, headers=headers)))
    assert job.state == ImportState.DONE and job.stored_rows == 2
    assert count(campaign) == before + 2
    assert Application.objects.get(nik=rows[0]["nik"]).declarations == {"tidak_bekerja": True}
    assert Application.objects.get(nik=rows[1]["nik"]).declarations == {"tidak_bekerja": False}
    assert reported(job) == {(4, "Saya tidak sedang bekerja", "declaration_invalid")}


# ------------------------------------------------------------------------------- malformed: one row


def _defect(name, villages, good, registered):
    """(bad row, column the report names, code, words of the reason) for each defect of the Acceptance list."""
    v = villages.bogor
    if name == "bad_nik":
        return applicant(v, nik="3201011705980"), "NIK", "nik_format", "16 digit"
    if name == "nik_birth_date_mismatch":
        return (applicant(v, birth=date(1998, 5, 17), birth_date="18-05-1998"), "NIK", "nik_birth_date_mismatch",
                "tidak cocok dengan tanggal lahir 1998-05-18")
    if name == "duplicate_in_file":
        return dict(good[0], phone="081299990000"), "NIK", "duplicate_in_file", "sudah ada di baris 2"
    if name == "already_registered":
        return applicant(v, nik=registered.nik, birth=registered.birth_date), "NIK", "already_registered", \
            "sudah terdaftar"
    if name == "impossible_date":
        return applicant(v, birth_date="31-02-2000"), "Tanggal Lahir", "date_invalid", "tidak ada di kalender"
    if name == "formula_in_nik":
        return applicant(v, nik=HYPERLINK), "NIK", "nik_format", "16 digit"
    if name == "formula_in_name":
        # A name cell long enough to fail, so the formula itself lands in the report.
        name_cell = HYPERLINK[:-1] + "," + "A" * 150 + ")"
        return applicant(v, full_name=name_cell), "Nama Lengkap", "too_long", "terlalu panjang"
    if name == "ten_megabyte_cell":
        return applicant(v, address="x" * TEN_MB), "Alamat", "too_long", f"{TEN_MB} karakter (maksimal 10000)"
    raise AssertionError(name)


DEFECTS = ["bad_nik", "nik_birth_date_mismatch", "duplicate_in_file", "already_registered", "impossible_date",
           "formula_in_nik", "formula_in_name", "ten_megabyte_cell"]


def defect_file(tmp_path, villages, apply, name, fmt="csv"):
    registered = apply(villages.bogor2)  # one application already in the campaign, through the form
    good = [applicant(villages.bogor), applicant(villages.bogor2)]
    bad, column, code, reason = _defect(name, villages, good, registered)
    rows = [*good, bad]  # spreadsheet rows 2, 3 and 4
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    return save(tmp_path, f"{name}.{fmt}", data), good, (4, column, code), reason


def check_defect_report(job, expected, reason, name):
    rows = report_rows(job)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (int(row["Baris"]), row["Kolom"], row["Kode"]) == expected
    assert reason in row["Alasan"]
    assert len(row["Nilai"]) <= 101
    if name.startswith("formula"):
        assert row["Nilai"].startswith("'=HYPERLINK("), row["Nilai"]
        with job.report.open("rb") as f:
            raw = f.read()
        assert b'"\'=HYPERLINK(' in raw  # neutralised in the file's bytes, not only once parsed
        assert b',=' not in raw and b',"=' not in raw  # no cell of the report starts a formula


@pytest.mark.parametrize("name", DEFECTS)
def test_one_bad_row_in_mode_all_stores_nothing(world, campaign, villages, apply, tmp_path, name):
    path, good, expected, reason = defect_file(tmp_path, villages, apply, name)
    before = count(campaign)
    job = run_import(world.national, campaign, path, mode="all")
    assert job.state == ImportState.REJECTED
    assert "1 baris salah" in job.message and "tidak ada yang disimpan" in job.message
    assert (job.total_rows, job.stored_rows, job.error_rows) == (3, 0, 1)
    assert count(campaign) == before
    assert not Application.objects.filter(nik__in=[g["nik"] for g in good]).exists()
    assert not AuditEvent.objects.filter(action="import_applications").exists()
    check_defect_report(job, expected, reason, name)


@pytest.mark.parametrize("name", DEFECTS)
def test_one_bad_row_in_mode_valid_stores_the_others(world, campaign, villages, apply, tmp_path, name):
    path, good, expected, reason = defect_file(tmp_path, villages, apply, name)
    before = count(campaign)
    job = run_import(world.national, campaign, path, mode="valid")
    assert job.state == ImportState.DONE, job.message
    assert job.message == "2 baris disimpan, 1 baris ditolak."
    assert (job.total_rows, job.stored_rows, job.error_rows) == (3, 2, 1)
    assert count(campaign) == before + 2
    for g in good:  # the first row of a duplicated NIK is the one kept
        assert Application.objects.get(campaign=campaign, nik=g["nik"]).full_name == g["full_name"]
    check_defect_report(job, expected, reason, name)


def test_every_defect_at_once_names_each_row(world, campaign, villages, apply, tmp_path):
    registered = apply(villages.bogor2)
    good = [applicant(villages.bogor), applicant(villages.lotim)]
    rows, expected = list(good), set()
    for name in DEFECTS:
        bad, column, code, _reason = _defect(name, villages, good, registered)
        rows.append(bad)
        expected.add((len(rows) + 1, column, code))
    path = save(tmp_path, "semua-salah.csv", csv_bytes(rows))
    before = count(campaign)

    job = run_import(world.national, campaign, path, mode="all")
    assert job.state == ImportState.REJECTED and count(campaign) == before
    assert reported(job) == expected and job.error_rows == len(DEFECTS)

    job = run_import(world.national, campaign, path, mode="valid")
    assert job.state == ImportState.DONE and job.stored_rows == 2
    assert count(campaign) == before + 2
    assert reported(job) == expected


def test_a_row_split_by_an_unquoted_delimiter_is_reported_and_the_rest_kept(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor), applicant(villages.bogor2), applicant(villages.lotim)]
    lines = csv_bytes(rows).split(b"\r\n")
    # As a hand-edited file has it: "Jl. Mawar, No. 5" in the address without quotes.
    lines[2] = lines[2].replace(rows[1]["address"].encode(), b"Jl. Mawar, No. 5")
    before = count(campaign)
    path = save(tmp_path, "lamaran.csv", b"\r\n".join(lines))
    job = run_import(world.national, campaign, path, mode="all")
    assert job.state == ImportState.REJECTED and count(campaign) == before
    job = run_import(world.national, campaign, path, mode="valid")
    assert (job.state, job.stored_rows, job.error_rows) == (ImportState.DONE, 2, 1)
    assert count(campaign) == before + 2
    [row] = report_rows(job)
    assert (row["Baris"], row["Kolom"], row["Kode"]) == ("3", "", "row_shape")
    assert "berisi 15 kolom" in row["Alasan"] and "14 kolom" in row["Alasan"]


def test_error_report_neutralises_formulas_in_csv_and_xlsx(world, campaign, villages, apply, tmp_path, client,
                                                            inline_imports):
    rows = [applicant(villages.bogor), applicant(villages.bogor, nik=HYPERLINK),
            applicant(villages.bogor, full_name="@SUM(1+1)" + "B" * 150),
            applicant(villages.bogor, full_name="=1+1\x07")]  # a control character fails the name
    path = save(tmp_path, "rumus.csv", csv_bytes(rows))
    client.force_login(world.district)
    job = page_job(client, post_import(client, campaign, path, mode="valid"))
    assert job.stored_rows == 1
    text = client.get(reverse("recruitment:import_report", args=[job.pk, "csv"])).content.decode("utf-8-sig")
    assert "'" + HYPERLINK.replace('"', '""') in text
    values = {r["Kode"]: r["Nilai"] for r in report_rows(job)}
    assert values == {"nik_format": "'" + HYPERLINK, "too_long": "'@SUM(1+1)" + "B" * 91,
                      "name_control": "'=1+1\x07"}
    cells = xlsx_report_cells(client.get(reverse("recruitment:import_report", args=[job.pk, "xlsx"])).content)
    value_cells = [row[4] for row in cells]
    assert [c.value[:2] for c in value_cells] == ["'=", "'@", "'="]
    assert all(c.data_type == "s" for row in cells for c in row if isinstance(c.value, str))
    # No cell of the workbook is a formula.
    assert all(c.data_type != "f" for row in cells for c in row)


# --------------------------------------------------------------------------- malformed: whole file


def _file_error(name, villages):
    """(file name, bytes, words of the message) for files nothing can be read from."""
    rows = [applicant(villages.bogor), applicant(villages.bogor2)]
    if name == "utf16":
        return "lamaran.csv", csv_bytes(rows).decode().encode("utf-16"), NOT_A_TABLE
    if name == "binary_garbage":
        return "lamaran.csv", bytes(range(256)) * 64, NOT_A_TABLE
    if name == "broken_xlsx":
        return "lamaran.xlsx", b"PK\x03\x04" + b"\x8f\x13 bukan zip" * 50, NOT_A_TABLE
    if name == "legacy_xls":
        return "lamaran.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Excel 97-2003 (.xls) tidak didukung"
    if name == "missing_column":
        keys = [k for k in KEYS if k != "birth_date"]
        return "lamaran.csv", csv_bytes(rows, keys), "Kolom wajib tidak ditemukan: Tanggal Lahir."
    if name == "missing_columns_english":
        keys = [k for k in KEYS if k not in ("nik", "consent")]
        return "lamaran.csv", csv_bytes(rows, keys, headers=ENGLISH), "Kolom wajib tidak ditemukan: NIK, Persetujuan Data."
    if name == "duplicate_header":
        data = csv_bytes(rows).replace(b"Persetujuan Data", b"Persetujuan Data,Name", 1)
        return "lamaran.csv", data, 'Kolom "Nama Lengkap" dan "Name" sama-sama berarti "Nama Lengkap"'
    if name == "blank":
        return "lamaran.csv", b" \r\n\r\n ", "File kosong."
    if name == "cell_beyond_reader_bound":
        rows.append(applicant(villages.bogor, motivation="m" * (TEN_MB + 1)))
        return "lamaran.csv", csv_bytes(rows), 'Sel baris 4 kolom "Motivasi" berisi 10.000.001 karakter'
    raise AssertionError(name)


FILE_ERRORS = ["utf16", "binary_garbage", "broken_xlsx", "legacy_xls", "missing_column", "missing_columns_english",
               "duplicate_header", "blank", "cell_beyond_reader_bound"]


@pytest.mark.parametrize("mode", ["all", "valid"])
@pytest.mark.parametrize("name", FILE_ERRORS)
def test_unreadable_file_is_rejected_with_a_message_in_either_mode(world, campaign, villages, apply, tmp_path,
                                                                   name, mode):
    apply(villages.bogor)
    filename, data, words = _file_error(name, villages)
    before = count(campaign)
    job = run_import(world.national, campaign, save(tmp_path, filename, data), mode=mode)
    assert job.state == ImportState.REJECTED
    assert words in job.message
    assert count(campaign) == before
    assert not job.report and job.stored_rows == 0
    assert job.finished_at is not None


def test_an_empty_upload_is_refused_before_a_job_exists(world, campaign, tmp_path):
    with pytest.raises(ValidationError) as err:
        imports.start(world.national, campaign, "applications", "valid", upload(save(tmp_path, "kosong.csv", b"")))
    assert "file" in err.value.message_dict
    assert not ImportJob.objects.exists()


# ------------------------------------------------------------------------------------------- scope


def test_district_officer_cannot_import_rows_outside_the_regency(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor), applicant(villages.sukabumi), applicant(villages.bogor2),
            applicant(villages.lotim)]
    path = save(tmp_path, "lamaran.csv", csv_bytes(rows))
    before = count(campaign)

    job = run_import(world.district, campaign, path, mode="all")
    assert job.state == ImportState.REJECTED and count(campaign) == before
    assert job.scope_region_id == "32.01"

    job = run_import(world.district, campaign, path, mode="valid")
    assert job.state == ImportState.DONE and (job.stored_rows, job.error_rows) == (2, 2)
    assert count(campaign) == before + 2
    assert stored_niks(campaign) >= {rows[0]["nik"], rows[2]["nik"]}
    assert not Application.objects.filter(nik__in=[rows[1]["nik"], rows[3]["nik"]]).exists()
    report = report_rows(job)
    assert {(int(r["Baris"]), r["Kolom"], r["Kode"]) for r in report} == {
        (3, "Kode Desa/Kelurahan", "out_of_scope"), (5, "Kode Desa/Kelurahan", "out_of_scope")}
    assert all("32.01" in r["Alasan"] for r in report)
    assert {r["Nilai"] for r in report} == {villages.sukabumi, villages.lotim}


def test_provincial_officer_may_import_across_the_province_only(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor), applicant(villages.sukabumi), applicant(villages.lotim)]
    job = run_import(world.provincial, campaign, save(tmp_path, "lamaran.csv", csv_bytes(rows)))
    assert job.stored_rows == 2
    assert reported(job) == {(4, "Kode Desa/Kelurahan", "out_of_scope")}


def test_import_pages_answer_only_inside_the_importers_scope(world, campaign, villages, tmp_path, client):
    job = run_import(world.district, campaign, save(tmp_path, "lamaran.csv", csv_bytes(
        [applicant(villages.bogor), applicant(villages.lotim)])))
    assert job.report
    client.force_login(world.district_other)
    for url in (reverse("recruitment:import_detail", args=[job.pk]),
                reverse("recruitment:import_report", args=[job.pk, "csv"]),
                reverse("recruitment:import_report", args=[job.pk, "xlsx"])):
        assert client.get(url).status_code == 404
    client.force_login(world.provincial)
    assert client.get(reverse("recruitment:import_detail", args=[job.pk])).status_code == 200


# ------------------------------------------------------------------------------------------ scores


@pytest.fixture
def scored(campaign, villages, apply):
    """Three active applicants in Kab. Bogor and one in Kab. Sukabumi; the first already has an interview score."""
    apps = SimpleNamespace(a=apply(villages.bogor), b=apply(villages.bogor2), c=apply(villages.bogor),
                           out=apply(villages.sukabumi))
    Application.objects.filter(pk=apps.a.pk).update(interview_score=Decimal("70"))
    return apps


def scores(apps) -> dict:
    return {k: tuple(Application.objects.filter(pk=getattr(apps, k).pk).values_list(
        "test_score", "interview_score").get()) for k in ("a", "b", "c", "out")}


def score_csv(lines, header="NIK;Nilai Tes") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


UNKNOWN_NIK = "3201011111900001"


def test_score_import_by_nik_with_decimal_comma(world, campaign, scored, tmp_path):
    path = save(tmp_path, "nilai.csv", score_csv([f"{scored.a.nik};85,5", f"{scored.b.nik};90",
                                                 f"{UNKNOWN_NIK};75", f"{scored.c.nik};101"]))
    apps_before = count(campaign)
    untouched = scores(scored)

    job = run_import(world.national, campaign, path, mode="all", kind="scores")
    assert job.state == ImportState.REJECTED
    assert scores(scored) == untouched

    job = run_import(world.national, campaign, path, mode="valid", kind="scores")
    assert job.state == ImportState.DONE and (job.total_rows, job.stored_rows, job.error_rows) == (4, 2, 2)
    now = scores(scored)
    assert now["a"] == (Decimal("85.50"), Decimal("70.00"))   # only the present column changed
    assert now["b"] == (Decimal("90.00"), None)
    assert now["c"] == (None, None) and now["out"] == (None, None)
    assert count(campaign) == apps_before
    report = {(int(r["Baris"]), r["Kolom"], r["Kode"]): r for r in report_rows(job)}
    assert set(report) == {(4, "NIK", "unknown_nik"), (5, "Nilai Tes", "score_range")}
    assert "tidak terdaftar" in report[4, "NIK", "unknown_nik"]["Alasan"]
    assert report[4, "NIK", "unknown_nik"]["Nilai"] == UNKNOWN_NIK
    assert "lebih dari 100" in report[5, "Nilai Tes", "score_range"]["Alasan"]
    assert AuditEvent.objects.filter(action="import_scores").count() == 1


def test_interview_scores_from_xlsx_leave_test_scores_alone(world, campaign, scored, tmp_path):
    Application.objects.filter(pk=scored.b.pk).update(test_score=Decimal("66"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIK", "Interview Score"])
    sheet.append([int(scored.a.nik), 85.5])
    sheet.append([float(scored.b.nik), 90])
    sheet.append([scored.c.nik, "-5"])
    sheet.append([scored.a.nik, 40])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run_import(world.national, campaign, save(tmp_path, "wawancara.xlsx", buffer.getvalue()), kind="scores")
    assert job.state == ImportState.DONE and job.stored_rows == 2
    now = scores(scored)
    assert now["a"] == (None, Decimal("85.50"))
    assert now["b"] == (Decimal("66.00"), Decimal("90.00"))
    assert now["c"] == (None, None)
    report = {(int(r["Baris"]), r["Kolom"], r["Kode"]): r["Nilai"] for r in report_rows(job)}
    assert report == {(4, "Nilai Wawancara", "score_negative"): "'-5", (5, "NIK", "duplicate_in_file"): scored.a.nik}


def test_both_score_columns_and_a_blank_cell_keeps_the_stored_score(world, campaign, scored, tmp_path):
    path = save(tmp_path, "nilai.csv", score_csv([f"{scored.a.nik};80;", f"{scored.b.nik};;77,25"],
                                                 header="NIK;Nilai Tes;Nilai Wawancara"))
    job = run_import(world.national, campaign, path, kind="scores")
    assert job.state == ImportState.DONE and job.error_rows == 0
    now = scores(scored)
    # A blank cell says "no score in this file", not "erase the score entered earlier".
    assert now["a"] == (Decimal("80.00"), Decimal("70.00"))
    assert now["b"] == (None, Decimal("77.25"))


def test_score_file_without_score_columns_is_rejected(world, campaign, scored, tmp_path):
    job = run_import(world.national, campaign, save(tmp_path, "nilai.csv", score_csv([scored.a.nik], header="NIK")),
                     kind="scores")
    assert job.state == ImportState.REJECTED and "Nilai Tes" in job.message and "Nilai Wawancara" in job.message


def test_district_officer_scores_only_inside_the_regency(world, campaign, scored, tmp_path):
    path = save(tmp_path, "nilai.csv", score_csv([f"{scored.a.nik};88", f"{scored.out.nik};99"]))
    job = run_import(world.district, campaign, path, kind="scores")
    assert job.stored_rows == 1
    assert scores(scored)["a"][0] == Decimal("88.00") and scores(scored)["out"] == (None, None)
    # Outside the regency reads exactly like a NIK that never applied: the file learns nothing more.
    assert reported(job) == {(3, "NIK", "unknown_nik")}


def test_withdrawn_applicants_are_unknown_to_score_files(world, campaign, scored, tmp_path):
    Application.objects.filter(pk=scored.b.pk).update(status="withdrawn")
    job = run_import(world.national, campaign, save(tmp_path, "nilai.csv", score_csv([f"{scored.b.nik};70"])),
                     kind="scores")
    assert reported(job) == {(2, "NIK", "unknown_nik")} and scores(scored)["b"] == (None, None)


# ---------------------------------------------------------------------------- nothing half-written


def test_failure_while_storing_leaves_no_row(world, campaign, villages, apply, tmp_path, monkeypatch):
    apply(villages.bogor)
    real = bulk.insert_frame

    def insert_then_fail(model, frame, progress=None):
        n = real(model, frame, progress=progress)
        assert Application.objects.filter(campaign=campaign).count() == 1 + n  # really written, for now
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "insert_frame", insert_then_fail)
    rows = [applicant(villages.bogor), applicant(villages.bogor2), applicant(villages.lotim)]
    job = run_import(world.national, campaign, save(tmp_path, "lamaran.csv", csv_bytes(rows)))
    assert job.state == ImportState.FAILED
    assert job.message == "Kesalahan tak terduga: RuntimeError"
    assert job.stored_rows == 0 and job.finished_at is not None
    assert count(campaign) == 1
    assert not AuditEvent.objects.filter(action="import_applications").exists()
    assert imports.progress_of(job)["step"] == "failed"


def test_database_error_in_a_later_chunk_rolls_back_the_earlier_chunks(world, campaign, villages, apply, tmp_path,
                                                                      monkeypatch, bulk_calls):
    """A real constraint violation half-way (a NIK registered between validation and storing)."""
    registered = apply(villages.bogor2)
    real_validate = imports.validate_frame
    monkeypatch.setattr(imports, "validate_frame",
                        lambda frame, ref, existing_niks=(): real_validate(frame, ref, existing_niks=()))
    monkeypatch.setattr(bulk, "CHUNK", 2)
    rows = [applicant(villages.bogor) for _ in range(4)]
    rows.append(applicant(villages.bogor2, nik=registered.nik, birth=registered.birth_date))
    job = run_import(world.national, campaign, save(tmp_path, "lamaran.csv", csv_bytes(rows)))
    assert bulk_calls == [expected_path()] * 3  # two chunks went in before the third failed
    assert job.state == ImportState.FAILED and "Kesalahan tak terduga" in job.message
    assert count(campaign) == 1
    # The connection is still usable after the rollback.
    assert run_import(world.national, campaign, save(tmp_path, "ulang.csv", csv_bytes(rows[:4]))).stored_rows == 4


def test_failure_while_storing_scores_changes_no_score(world, campaign, scored, tmp_path, monkeypatch):
    real = bulk.update_rows

    def update_then_fail(model, columns, rows, **options):
        real(model, columns, rows, **options)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(bulk, "update_rows", update_then_fail)
    before = scores(scored)
    job = run_import(world.national, campaign, save(tmp_path, "nilai.csv", score_csv(
        [f"{scored.a.nik};50", f"{scored.b.nik};60"])), kind="scores")
    assert job.state == ImportState.FAILED and job.message == "Kesalahan tak terduga: RuntimeError"
    assert scores(scored) == before


def test_score_update_uses_copy_on_postgresql(world, campaign, scored, tmp_path):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        job = run_import(world.national, campaign, save(tmp_path, "nilai.csv", score_csv(
            [f"{scored.a.nik};50", f"{scored.b.nik};60"])), kind="scores")
    assert job.stored_rows == 2
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "CREATE TEMP TABLE bulk_update" in sql and 'UPDATE "recruitment_application" AS t' in sql
    else:
        assert "CREATE TEMP TABLE" not in sql
    assert scores(scored)["a"][0] == Decimal("50.00") and scores(scored)["b"][0] == Decimal("60.00")


# ---------------------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("mode", ["all", "valid"])
@pytest.mark.parametrize("name", DEFECTS)
def test_page_upload_of_a_bad_row(world, campaign, villages, apply, tmp_path, client, inline_imports, name, mode):
    path, good, expected, reason = defect_file(tmp_path, villages, apply, name)
    before = count(campaign)
    client.force_login(world.district)
    job = page_job(client, post_import(client, campaign, path, mode=mode))
    assert job.created_by == world.district and job.scope_region_id == "32.01"
    if mode == "all":
        assert job.state == ImportState.REJECTED and count(campaign) == before
    else:
        assert job.state == ImportState.DONE and count(campaign) == before + 2
    check_defect_report(job, expected, reason, name)
    cells = xlsx_report_cells(client.get(reverse("recruitment:import_report", args=[job.pk, "xlsx"])).content)
    assert [(c[0].value, c[1].value, c[2].value) for c in cells] == [tuple(map(str, expected))]
    if name.startswith("formula"):
        assert cells[0][4].value.startswith("'=HYPERLINK(") and cells[0][4].data_type == "s"


@pytest.mark.parametrize("mode", ["all", "valid"])
@pytest.mark.parametrize("name", FILE_ERRORS)
def test_page_upload_of_an_unreadable_file(world, campaign, villages, tmp_path, client, inline_imports, name, mode):
    filename, data, words = _file_error(name, villages)
    before = count(campaign)
    client.force_login(world.district)
    job = page_job(client, post_import(client, campaign, save(tmp_path, filename, data), mode=mode))
    assert job.state == ImportState.REJECTED and words in job.message
    assert count(campaign) == before


@pytest.mark.parametrize("fmt", ["csv-semicolon", "cp1252", "bom", "xlsx"])
def test_page_upload_of_good_files(world, campaign, villages, tmp_path, client, inline_imports, fmt):
    rows = [applicant(villages.bogor, full_name="José Ramírez"), applicant(villages.bogor2)]
    data = {"csv-semicolon": lambda: csv_bytes(rows, headers=ENGLISH, delimiter=";"),
            "cp1252": lambda: csv_bytes(rows, encoding="cp1252"),
            "bom": lambda: csv_bytes(rows, bom=True),
            "xlsx": lambda: xlsx_bytes([dict(r, nik=int(r["nik"]), birth_date=date(1998, 5, 17)) for r in rows])}[fmt]()
    before = count(campaign)
    client.force_login(world.district)
    job = page_job(client, post_import(client, campaign, save(tmp_path, f"lamaran.{fmt[:4]}", data)))
    assert job.state == ImportState.DONE and job.stored_rows == 2
    assert count(campaign) == before + 2
    assert Application.objects.get(nik=rows[0]["nik"]).full_name == "José Ramírez"


def test_page_upload_of_scores(world, campaign, scored, tmp_path, client, inline_imports):
    client.force_login(world.district)
    path = save(tmp_path, "nilai.csv", score_csv([f"{scored.a.nik};85,5", f"{scored.out.nik};70", "123;80"]))
    job = page_job(client, post_import(client, campaign, path, kind="scores"))
    assert job.state == ImportState.DONE and job.stored_rows == 1
    assert scores(scored)["a"] == (Decimal("85.50"), Decimal("70.00"))
    assert reported(job) == {(3, "NIK", "unknown_nik"), (4, "NIK", "nik_format")}


@pytest.mark.parametrize("post", [
    {"kind": "applications", "mode": "valid"},                     # no file
    {"kind": "applications", "mode": "semua", "file": True},       # unknown mode
    {"kind": "pelamar", "mode": "valid", "file": True},            # unknown kind
    {"kind": "applications", "mode": "valid", "file": b""},        # empty file
])
def test_page_refuses_a_bad_form_without_a_job(world, campaign, tmp_path, client, inline_imports, post):
    client.force_login(world.district)
    data = dict(post)
    if "file" in data:
        content = b"NIK\r\n1\r\n" if data["file"] is True else data["file"]
        data["file"] = SimpleUploadedFile("lamaran.csv", content)
    response = client.post(reverse("recruitment:import_new", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_no_applications_import_after_selection(world, campaign, villages, tmp_path, client, inline_imports):
    type(campaign).objects.filter(pk=campaign.pk).update(selected_at=timezone.now())
    campaign.refresh_from_db()
    path = save(tmp_path, "lamaran.csv", csv_bytes([applicant(villages.bogor)]))
    client.force_login(world.district)
    response = post_import(client, campaign, path)
    assert response.status_code == 200 and "Seleksi sudah dijalankan" in response.content.decode()
    assert not ImportJob.objects.exists() and count(campaign) == 0


def test_templates_download_and_import_back(world, campaign, tmp_path, client):
    """The downloadable template is itself an importable file (its example row is fictitious but valid)."""
    client.force_login(world.national)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("recruitment:import_template", args=[campaign.pk, fmt]))
        assert response.status_code == 200
        path = save(tmp_path, f"templat.{fmt}", response.content)
        job = run_import(world.national, campaign, path, mode="all")
        assert job.total_rows == 1
        # The example NIK 3201014101990001 is a woman born 01-01-1999 in 32.01.01, matching the example row.
        if fmt == "csv":
            assert job.state == ImportState.DONE, (job.message, job.report and report_rows(job))
        else:
            assert job.state == ImportState.REJECTED and reported(job) == {(2, "NIK", "already_registered")}
