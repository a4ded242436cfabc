"""The recruitment commands: create-campaign, apportion, import-applications, import-scores,
screen, select and announce, one by one and as a whole small campaign from the command line.

Every input file is written in tmp_path from synthetic applicants; the test region slice
has only provinces 32 and 52, so campaigns are made with --weights.
"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from sukarela.core.models import AuditEvent, User
from sukarela.core.roles import Role
from sukarela.recruitment.columns import APPLICANT_COLUMNS
from sukarela.recruitment.models import Application, Campaign, CampaignRegion, ImportJob, ImportState
from tests.conftest import first_village
from tests.recruitment.conftest import applicant

HEADERS = [c.header for c in APPLICANT_COLUMNS]
KEYS = [c.key for c in APPLICANT_COLUMNS]
def today():
    return timezone.localdate()  # read when used: a run may cross midnight in Jakarta (17:00 UTC)


def cmd(*args) -> str:
    out = io.StringIO()
    call_command(*map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def applications_csv(tmp_path: Path, rows, name="lamaran.csv") -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([[r.get(k, "") for k in KEYS] for r in rows])
    return write(tmp_path, name, out.getvalue())


def weights_csv(tmp_path: Path, lines=("32.01,3", "32.02,1", "52.03,1")) -> Path:
    return write(tmp_path, "bobot.csv", "\r\n".join(["Kode Wilayah,Bobot", *lines]) + "\r\n")


def create(tmp_path, *extra, seats=10) -> Campaign:
    out = cmd("create-campaign", "Rekrutmen TKS Baris Perintah", "--seats", seats,
              "--opens", today() - timedelta(days=10), "--closes", today() + timedelta(days=10),
              "--weights", weights_csv(tmp_path), "--no-admin-check", *extra)
    return Campaign.objects.get(pk=int(out.strip()))


@pytest.fixture
def villages(world):
    return SimpleNamespace(bogor=world.village_in.code, bogor2=first_village("32.01.02").code,
                           sukabumi=world.village_out.code, lotim=first_village("52.03.01").code)


def count(campaign) -> int:
    return Application.objects.filter(campaign=campaign).count()


def report_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# ------------------------------------------------------------------------------------ create-campaign


def test_create_campaign_with_weights_file(world, tmp_path):
    campaign = create(tmp_path, "--min-age", 21, "--max-age", 30, "--min-education", "S1", "--test-weight", 70,
                      "--interview-weight", 30, "--household-cap", 1, "--overflow", "province", "--published",
                      "--year", 2026)
    assert (campaign.name, campaign.year, campaign.target_seats) == ("Rekrutmen TKS Baris Perintah", 2026, 10)
    assert (campaign.opens_on, campaign.closes_on) == (today() - timedelta(days=10), today() + timedelta(days=10))
    assert campaign.screening_closes_on == campaign.closes_on
    assert (campaign.min_age, campaign.max_age, campaign.min_education) == (21, 30, "S1")
    assert (campaign.test_weight, campaign.interview_weight) == (Decimal("70"), Decimal("30"))
    assert (campaign.household_cap, campaign.overflow, campaign.published, campaign.use_admin_check) == (
        1, "province", True, False)
    assert dict(campaign.quota_regions.values_list("region_id", "weight")) == {
        "32.01": Decimal("3"), "32.02": Decimal("1"), "52.03": Decimal("1")}
    assert AuditEvent.objects.filter(action="create", actor=world.national, target_id=str(campaign.pk)).exists()


def test_create_campaign_from_xlsx_weights_with_decimal_comma(world, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Region Code", "Weight"])
    book.active.append(["32.01", "2,5"])
    book.active.append(["52.03", 7.25])
    path = tmp_path / "bobot.xlsx"
    book.save(path)
    out = cmd("create-campaign", "Uji XLSX", "--seats", 5, "--opens", today(), "--closes", today(), "--weights", path)
    campaign = Campaign.objects.get(pk=int(out))
    assert dict(campaign.quota_regions.values_list("region_id", "weight")) == {
        "32.01": Decimal("2.50"), "52.03": Decimal("7.25")}
    assert campaign.use_admin_check is True


def test_create_campaign_over_every_loaded_province(world):
    out = cmd("create-campaign", "Semua Provinsi", "--seats", 664, "--opens", today(), "--closes", today(),
              "--provinces")
    campaign = Campaign.objects.get(pk=int(out))
    # The test slice loads two provinces; a full installation has 38.
    assert set(campaign.quota_regions.values_list("region_id", flat=True)) == {"32", "52"}
    assert set(campaign.quota_regions.values_list("weight", flat=True)) == {Decimal("1")}


@pytest.mark.parametrize("args, words", [
    (["--weights", "bobot-salah.csv"], "Kode wilayah tidak dikenal: 99.99"),
    (["--weights", "tanpa-bobot.csv"], "Kolom wajib tidak ditemukan: Bobot"),
    (["--weights", "tidak-ada.csv"], "tidak-ada.csv"),
    (["--weights", "bobot.csv", "--closes", "2000-01-01"], "closes_on:"),
    (["--weights", "bobot.csv", "--min-education", "SD"], "min_education:"),
    (["--weights", "bobot.csv", "--as", "kab-bogor"], "nasional"),
    (["--weights", "bobot.csv", "--as", "nobody"], "No active user 'nobody'"),
])
def test_create_campaign_errors_are_command_errors(world, tmp_path, args, words):
    weights_csv(tmp_path)
    write(tmp_path, "bobot-salah.csv", "Kode Wilayah,Bobot\r\n32.01,3\r\n99.99,1\r\n")
    write(tmp_path, "tanpa-bobot.csv", "Kode Wilayah\r\n32.01\r\n")
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    with pytest.raises(CommandError, match=re.escape(words)):
        cmd("create-campaign", "Salah", "--seats", 10, "--opens", today(), *(
            [] if "--closes" in args else ["--closes", today()]), *args)
    assert not Campaign.objects.exists()


def test_create_campaign_weights_errors_name_the_files_rows(world, tmp_path):
    path = write(tmp_path, "bobot.csv", "Kode Wilayah;Bobot\r\n32.01;3\r\n32.02;abc\r\n\r\n52.03;\r\n")
    with pytest.raises(CommandError) as err:
        cmd("create-campaign", "Salah", "--seats", 3, "--opens", today(), "--closes", today(), "--weights", path)
    assert str(err.value) == "regions: Baris 3: bobot 'abc' bukan angka. Baris 5: bobot '-' bukan angka."
    assert not Campaign.objects.exists()


def test_create_campaign_refuses_an_empty_weights_file(world, tmp_path):
    path = write(tmp_path, "bobot.csv", "Kode Wilayah,Bobot\r\n")
    with pytest.raises(CommandError, match="tidak berisi wilayah"):
        cmd("create-campaign", "Kosong", "--seats", 3, "--opens", today(), "--closes", today(), "--weights", path)
    assert not Campaign.objects.exists()


def test_create_campaign_needs_a_national_officer(regions, tmp_path):
    with pytest.raises(CommandError, match="createnationalofficer"):
        cmd("create-campaign", "Awal", "--seats", 1, "--opens", today(), "--closes", today(),
            "--weights", weights_csv(tmp_path))


# ------------------------------------------------------------------------------------------ apportion


def test_apportion_methods_and_minimum(world, tmp_path):
    campaign = create(tmp_path)
    out = cmd("apportion", campaign.pk)
    assert out.splitlines() == ["32.01\t6", "32.02\t2", "52.03\t2"]
    quotas = dict(CampaignRegion.objects.filter(campaign=campaign).values_list("region_id", "quota"))
    assert quotas == {"32.01": 6, "32.02": 2, "52.03": 2} and sum(quotas.values()) == 10

    out = cmd("apportion", campaign.pk, "--method", "dhondt", "--minimum", 3)
    assert out.splitlines() == ["32.01\t4", "32.02\t3", "52.03\t3"]
    campaign.refresh_from_db()
    assert (campaign.apportion_method, campaign.apportion_minimum) == ("dhondt", 3)
    assert AuditEvent.objects.filter(action="apportion", target_id=str(campaign.pk)).count() == 2


@pytest.mark.parametrize("args, words", [
    (["--minimum", "4"], "minimum"),
    (["--as", "prov-jabar"], "nasional"),
])
def test_apportion_errors(world, tmp_path, args, words):
    campaign = create(tmp_path)
    with pytest.raises(CommandError, match=words):
        cmd("apportion", campaign.pk, *args)
    assert set(campaign.quota_regions.values_list("quota", flat=True)) == {0}


def test_commands_refuse_an_unknown_campaign(world, tmp_path):
    path = applications_csv(tmp_path, [])
    for args in (["apportion", 999], ["screen", "999"], ["select", "abc"], ["announce", 999],
                 ["import-applications", 999, path], ["import-scores", 999, path]):
        with pytest.raises(CommandError, match="No campaign with id"):
            cmd(*args)


# ----------------------------------------------------------------------------------- import-applications


def test_import_mode_all_refuses_a_file_with_one_bad_row(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor), applicant(villages.lotim), applicant(villages.bogor, birth_date="31-02-2000")]
    path = applications_csv(tmp_path, rows)
    before = count(campaign)
    report = tmp_path / "laporan.csv"
    with pytest.raises(CommandError) as err:
        cmd("import-applications", campaign.pk, path, "--mode", "all", "--report", report)
    assert err.value.returncode == 2
    assert "1 baris salah" in str(err.value)
    assert count(campaign) == before
    job = ImportJob.objects.get()
    assert (job.state, job.mode, job.original_name) == (ImportState.REJECTED, "all", "lamaran.csv")
    assert [(r["Baris"], r["Kolom"], r["Kode"]) for r in report_csv(report)] == [
        ("4", "Tanggal Lahir", "date_invalid")]


def test_import_mode_valid_stores_the_valid_rows_and_writes_both_report_formats(world, campaign, villages,
                                                                               tmp_path):
    formula = '=HYPERLINK("http://contoh.invalid","klik")'
    rows = [applicant(villages.bogor), applicant(villages.lotim), applicant(villages.bogor, nik=formula),
            applicant(villages.bogor2, phone="021-555-1234")]
    path = applications_csv(tmp_path, rows)
    before = count(campaign)
    out = cmd("import-applications", campaign.pk, path, "--report", tmp_path / "laporan.xlsx")
    assert "Selesai: 2 baris disimpan, 2 baris ditolak." in out
    assert "lamaran.csv: storing 2/2 (100%)" in out
    assert f"report: {tmp_path / 'laporan.xlsx'}" in out
    assert count(campaign) == before + 2
    assert set(Application.objects.filter(campaign=campaign, source="import").values_list("nik", flat=True)) == {
        rows[0]["nik"], rows[1]["nik"]}

    sheet = openpyxl.load_workbook(tmp_path / "laporan.xlsx").worksheets[0]
    cells = list(sheet.iter_rows())
    assert [c.value for c in cells[0]] == ["Baris", "Kolom", "Kode", "Alasan", "Nilai"]
    assert [(r[0].value, r[1].value, r[2].value) for r in cells[1:]] == [
        ("4", "NIK", "nik_format"), ("5", "Nomor HP", "phone_not_mobile")]
    assert cells[1][4].value == "'" + formula and cells[1][4].data_type == "s"
    assert all(c.data_type != "f" for row in cells for c in row)

    cmd("import-applications", campaign.pk, path, "--report", tmp_path / "laporan.csv")
    again = report_csv(tmp_path / "laporan.csv")  # the same file twice: now every row is wrong
    assert [(r["Baris"], r["Kode"]) for r in again] == [
        ("2", "already_registered"), ("3", "already_registered"), ("4", "nik_format"), ("5", "phone_not_mobile")]
    assert again[2]["Nilai"] == "'" + formula
    assert count(campaign) == before + 2


def test_import_of_an_unreadable_file_fails_the_command_without_a_report(world, campaign, villages, tmp_path):
    path = write(tmp_path, "lamaran.csv", "NIK,Nama\r\n1,Ani\r\n".encode("utf-16"))
    report = tmp_path / "laporan.csv"
    with pytest.raises(CommandError, match="bukan CSV") as err:
        cmd("import-applications", campaign.pk, path, "--mode", "valid", "--report", report)
    assert err.value.returncode == 2
    assert not report.exists() and count(campaign) == 0


def test_import_argument_errors(world, campaign, villages, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        cmd("import-applications", campaign.pk, tmp_path / "tidak-ada.csv")
    empty = write(tmp_path, "kosong.csv", b"")
    with pytest.raises(CommandError, match="file: Pilih berkas"):
        cmd("import-applications", campaign.pk, empty)
    good = applications_csv(tmp_path, [applicant(villages.bogor)])
    with pytest.raises(CommandError, match="mode"):
        cmd("import-applications", campaign.pk, good, "--mode", "semua")
    with pytest.raises(CommandError, match="petugas"):
        cmd("import-applications", campaign.pk, good, "--as", "tks-bogor")
    assert not ImportJob.objects.exists() and count(campaign) == 0


def test_import_as_a_district_officer_refuses_other_regencies(world, campaign, villages, tmp_path):
    rows = [applicant(villages.bogor), applicant(villages.sukabumi)]
    out = cmd("import-applications", campaign.pk, applications_csv(tmp_path, rows), "--as", "KAB-BOGOR",
              "--report", tmp_path / "laporan.csv")
    assert "1 baris disimpan, 1 baris ditolak" in out
    assert list(Application.objects.filter(campaign=campaign).values_list("nik", flat=True)) == [rows[0]["nik"]]
    assert [(r["Baris"], r["Kolom"], r["Kode"]) for r in report_csv(tmp_path / "laporan.csv")] == [
        ("3", "Kode Desa/Kelurahan", "out_of_scope")]
    assert ImportJob.objects.get().created_by == world.district


def test_import_failure_while_storing_is_a_command_error(world, campaign, villages, tmp_path, monkeypatch):
    from sukarela.core import bulk

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(bulk, "insert_frame", broken)
    with pytest.raises(CommandError, match="Kesalahan tak terduga: OSError") as err:
        cmd("import-applications", campaign.pk, applications_csv(tmp_path, [applicant(villages.bogor)]))
    assert err.value.returncode == 1
    assert ImportJob.objects.get().state == ImportState.FAILED and count(campaign) == 0


# ------------------------------------------------------------------------------------------ import-scores


def test_import_scores(world, campaign, villages, apply, tmp_path):
    a, b, c = apply(villages.bogor), apply(villages.bogor2), apply(villages.lotim)
    Application.objects.filter(pk=c.pk).update(test_score=Decimal("55"))
    path = write(tmp_path, "nilai.csv", "NIK;Nilai Wawancara\r\n"
                                        f"{a.nik};85,5\r\n{b.nik};100\r\n3201011111900001;70\r\n{c.nik};100,5\r\n")
    with pytest.raises(CommandError) as err:
        cmd("import-scores", campaign.pk, path, "--mode", "all")
    assert err.value.returncode == 2
    assert set(Application.objects.values_list("interview_score", flat=True)) == {None}

    out = cmd("import-scores", campaign.pk, path, "--report", tmp_path / "laporan.csv")
    assert "Selesai: 2 baris disimpan, 2 baris ditolak." in out
    values = dict(Application.objects.values_list("pk", "interview_score"))
    assert values == {a.pk: Decimal("85.50"), b.pk: Decimal("100.00"), c.pk: None}
    assert Application.objects.get(pk=c.pk).test_score == Decimal("55.00")
    assert [(r["Baris"], r["Kolom"], r["Kode"]) for r in report_csv(tmp_path / "laporan.csv")] == [
        ("4", "NIK", "unknown_nik"), ("5", "Nilai Wawancara", "score_range")]


# -------------------------------------------------------------------------- screen, select, announce


def _scores_csv(tmp_path, scores: dict) -> Path:
    lines = ["NIK;Nilai Tes;Nilai Wawancara"] + [f"{nik};{t};{i}" for nik, (t, i) in scores.items()]
    return write(tmp_path, "nilai.csv", "\r\n".join(lines) + "\r\n")


def decisions(campaign) -> list[tuple]:
    return list(Application.objects.filter(campaign=campaign).order_by("pk").values_list(
        "pk", "eligible", "decision", "decision_reason", "score", "region_rank", "waitlist_position",
        "seat_region_id"))


def test_small_campaign_from_the_command_line(world, villages, tmp_path):
    """create → apportion → import → screen → scores → select (dry run, then for real) → announce."""
    campaign = create(tmp_path, seats=5)
    assert cmd("apportion", campaign.pk).splitlines() == ["32.01\t3", "32.02\t1", "52.03\t1"]

    kk = "3201010101100001"
    bogor = [applicant(villages.bogor, household_id=kk), applicant(villages.bogor, household_id=kk),
             applicant(villages.bogor2, household_id=kk), applicant(villages.bogor2), applicant(villages.bogor)]
    sukabumi = [applicant(villages.sukabumi, sex="P"), applicant(villages.sukabumi)]
    ineligible = [
        applicant(villages.bogor, birth=today().replace(year=today().year - 16)),        # too young
        applicant(villages.lotim, birth=date(today().year - 50, 3, 1)),                 # too old
        applicant(villages.sukabumi, education_level="SMK"),                          # below D3
    ]
    rows = [*bogor, *sukabumi, *ineligible]
    out = cmd("import-applications", campaign.pk, applications_csv(tmp_path, rows), "--mode", "all")
    assert "Selesai: 10 baris disimpan, 0 baris ditolak." in out
    assert count(campaign) == 10

    out = cmd("screen", campaign.pk)
    assert out.splitlines() == [
        "eligible: 7",
        "failed too_young (Usia di bawah batas minimum pada tanggal penutupan): 1",
        "failed too_old (Usia di atas batas maksimum pada tanggal penutupan): 1",
        "failed education (Pendidikan di bawah syarat minimum): 1",
        "failed domicile (Domisili di luar wilayah kampanye): 0",
    ]
    rules = dict(Application.objects.filter(eligible=False).values_list("nik", "ineligible_rule"))
    assert rules == {ineligible[0]["nik"]: "too_young", ineligible[1]["nik"]: "too_old",
                     ineligible[2]["nik"]: "education"}

    # Weighted 60/40; the three of one family card score highest in Bogor.
    scores = {bogor[0]["nik"]: ("95", "90"), bogor[1]["nik"]: ("92,5", "88"), bogor[2]["nik"]: ("90", "86,75"),
              bogor[3]["nik"]: ("70", "70"), bogor[4]["nik"]: ("60", "65"),
              sukabumi[0]["nik"]: ("80", "80"), sukabumi[1]["nik"]: ("75", "79")}
    out = cmd("import-scores", campaign.pk, _scores_csv(tmp_path, scores), "--mode", "all")
    assert "Selesai: 7 baris disimpan, 0 baris ditolak." in out
    assert Application.objects.get(nik=bogor[1]["nik"]).test_score == Decimal("92.50")

    before = decisions(campaign)
    events = AuditEvent.objects.count()
    out = cmd("select", campaign.pk, "--dry-run")
    assert "dry run: selected 4, waitlisted 2" in out
    assert decisions(campaign) == before
    assert AuditEvent.objects.count() == events
    campaign.refresh_from_db()
    assert campaign.selected_at is None

    out = cmd("select", campaign.pk)
    lines = out.splitlines()
    assert lines[-1] == "selected 4, waitlisted 2"
    table = {line.split()[0]: line.split()[1:] for line in lines if line[:2] in ("32", "52")}
    #               quota applicants eligible selected waitlisted
    assert table == {"32.01": ["3", "6", "5", "3", "1"], "32.02": ["1", "3", "2", "1", "1"],
                     "52.03": ["1", "1", "0", "0", "0"]}

    by_nik = {a.nik: a for a in Application.objects.filter(campaign=campaign)}
    quotas = dict(campaign.quota_regions.values_list("region_id", "quota"))
    selected = Application.objects.filter(campaign=campaign, decision="selected")
    per_region = dict(selected.values("seat_region_id").annotate(n=Count("id")).values_list("seat_region_id", "n"))
    assert all(n <= quotas[code] for code, n in per_region.items())
    assert per_region == {"32.01": 3, "32.02": 1}
    # At most two of one family card: the third (third-best score) gives way to the next in Bogor.
    assert {a.nik for a in selected} == {bogor[0]["nik"], bogor[1]["nik"], bogor[3]["nik"], sukabumi[0]["nik"]}
    assert (by_nik[bogor[2]["nik"]].decision, by_nik[bogor[2]["nik"]].decision_reason) == (
        "not_selected", "household_limit")
    # A merit rank (engines.ranking): the household-blocked third keeps place 3.
    assert [by_nik[bogor[i]["nik"]].region_rank for i in (0, 1, 3)] == [1, 2, 4]
    assert (by_nik[bogor[4]["nik"]].decision, by_nik[bogor[4]["nik"]].waitlist_position) == ("waitlisted", 1)
    assert (by_nik[sukabumi[1]["nik"]].decision, by_nik[sukabumi[1]["nik"]].waitlist_position) == ("waitlisted", 1)
    for row in ineligible:
        assert (by_nik[row["nik"]].decision, by_nik[row["nik"]].decision_reason) == ("not_selected", "ineligible")
    assert by_nik[bogor[0]["nik"]].score == pytest.approx(0.6 * 95 + 0.4 * 90)

    first = decisions(campaign)
    cmd("select", campaign.pk)
    assert decisions(campaign) == first  # the same input gives the same result

    # Closed to new applications once selection ran.
    with pytest.raises(CommandError, match="Seleksi sudah dijalankan"):
        cmd("import-applications", campaign.pk, applications_csv(tmp_path, [applicant(villages.bogor)], "baru.csv"))

    out = cmd("announce", campaign.pk)
    assert out.strip() == "notified: 10, mail_failed: 0, tks_accounts: 4"
    assert len(mail.outbox) == 10
    assert {m.to[0] for m in mail.outbox} == {r["email"] for r in rows}
    chosen = {m.to[0]: m for m in mail.outbox if m.subject.endswith("terpilih")}
    assert set(chosen) == {by_nik[n].email for n in
                           (bogor[0]["nik"], bogor[1]["nik"], bogor[3]["nik"], sukabumi[0]["nik"])}
    for app in Application.objects.filter(campaign=campaign, decision="selected").select_related("volunteer"):
        user = app.volunteer
        assert user is not None and user.role == Role.TKS and user.region_id == app.domicile_id
        assert user.username == f"tks-{campaign.year}-{app.pk}" and user.username in chosen[app.email].body
        assert not user.has_usable_password()
    assert User.objects.filter(role=Role.TKS).count() == 2 + 4  # the fixture's two TKS and the new ones
    assert sum(m.subject.endswith("cadangan") for m in mail.outbox) == 2

    assert cmd("announce", campaign.pk).strip() == "notified: 0, mail_failed: 0, tks_accounts: 0"
    assert len(mail.outbox) == 10


def test_select_and_screen_are_national_decisions(world, campaign):
    for name in ("screen", "select", "announce"):
        with pytest.raises(CommandError, match="nasional"):
            cmd(name, campaign.pk, "--as", "prov-jabar")


def test_announce_needs_a_selection_first(world, campaign, villages, apply):
    apply(villages.bogor)
    with pytest.raises(CommandError, match="Jalankan seleksi"):
        cmd("announce", campaign.pk)
    assert not mail.outbox


def test_select_dry_run_on_a_campaign_without_scores_writes_nothing(world, campaign, villages, apply):
    cmd("apportion", campaign.pk)
    apps = [apply(villages.bogor), apply(villages.sukabumi)]
    assert cmd("screen", campaign.pk).splitlines()[0] == "eligible: 2"
    out = cmd("select", campaign.pk, "--dry-run")
    assert "dry run: selected 0, waitlisted 0" in out
    assert "selection: " in out  # progress
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("decision", flat=True)) == {""}
    out = cmd("select", campaign.pk)
    assert out.splitlines()[-1] == "selected 0, waitlisted 0"
    reasons = set(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("decision_reason", flat=True))
    assert reasons == {"test_score_missing"}

