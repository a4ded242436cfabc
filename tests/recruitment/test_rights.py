"""The applicant's rights whatever the way in (form, staff entry, import), erasure that leaves
nothing behind, and the decisions that stay right after results are announced."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.models import AuditEvent, User
from sukarela.recruitment.models import Application, ImportJob, Status
from sukarela.recruitment.services import applications, imports, notices, quotas, screening, selection
from tests.recruitment.conftest import applicant

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def _one_row_file(path, raw: dict) -> None:
    """A labour office's file with one applicant, the required columns only."""
    keys = ("nik", "full_name", "birth_date", "sex", "phone", "education_level", "domicile", "address", "consent")
    path.write_text("NIK;Nama Lengkap;Tanggal Lahir;Jenis Kelamin;Nomor HP;Pendidikan Terakhir;"
                    "Kode Desa/Kelurahan;Alamat;Persetujuan Data\n" + ";".join(raw[k] for k in keys) + "\n")


def _link(message) -> str:
    return re.search(r"(/daftar/lamaran/[^/\s]+/)", message.body).group(1)


def test_staff_entry_mails_the_applicant_their_private_link(client, world, campaign):
    client.force_login(world.district)
    raw = applicant(world.village_in.code)
    form = {k: v for k, v in raw.items() if k != "consent"} | {"consent": "on"}
    assert client.post(reverse("recruitment:application_create", args=[campaign.pk]), form).status_code == 302
    (message,) = mail.outbox
    assert message.to == [raw["email"]]
    client.logout()
    page = client.get(_link(message))
    assert page.status_code == 200 and raw["full_name"] in page.content.decode()


def test_lost_or_missing_link_can_be_asked_for_again(client, world, campaign, apply):
    app = apply(world.village_in.code)
    old_digest = Application.objects.get(pk=app.pk).access_digest
    mail.outbox.clear()
    url = reverse("recruitment:request_link")
    wrong = client.post(url, {"campaign": campaign.pk, "nik": app.nik, "email": "orang.lain@contoh.id"})
    right = client.post(url, {"campaign": campaign.pk, "nik": app.nik, "email": app.email.upper()})
    # The same answer either way: the page does not tell who applied.
    assert wrong.content.decode().count("link-sent") == right.content.decode().count("link-sent") == 1
    (message,) = mail.outbox
    assert message.to == [app.email]
    app.refresh_from_db()
    assert app.access_digest != old_digest
    assert client.get(_link(message)).status_code == 200
    assert AuditEvent.objects.filter(action="renew_link", target_id=str(app.pk)).exists()


def test_imported_applicants_can_get_a_link(world, campaign, tmp_path):
    raw = applicant(world.village_in.code)
    path = tmp_path / "dinas.csv"
    headers = {"nik": "NIK", "full_name": "Nama Lengkap", "birth_date": "Tanggal Lahir", "sex": "Jenis Kelamin",
               "phone": "Nomor HP", "email": "Email", "education_level": "Pendidikan Terakhir",
               "domicile": "Kode Desa/Kelurahan", "address": "Alamat", "consent": "Persetujuan Data"}
    path.write_text(";".join(headers.values()) + "\n" + ";".join(raw[k] for k in headers) + "\n")
    from django.core.files import File

    with path.open("rb") as f:
        job = imports.start(world.national, campaign, "applications", "valid", File(f, name="dinas.csv"))
    job = imports.run(job.pk)
    assert job.stored_rows == 1
    assert not ImportJob.objects.get(pk=job.pk).source  # the upload, every row in clear, is not kept
    found = applications.renew_link(campaign, raw["nik"], raw["email"])
    assert found is not None and found[0].nik == raw["nik"]


def test_erasure_leaves_nothing_of_the_person(world, campaign, apply, django_capture_on_commit_callbacks):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    app, _token = applications.submit(campaign, applicant(world.village_in.code, full_name="Rahasia Orang",
                                                           motivation="motivasi pribadi rahasia"),
                                      [("ktp", SimpleUploadedFile("ktp.png", PNG))])
    Application.objects.filter(pk=app.pk).update(test_score=80, interview_score=80)
    applications.verify(world.district, app, "verified", "KTP sesuai, Rahasia Orang")
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    notices.announce(world.national, campaign)
    app.refresh_from_db()
    volunteer = app.volunteer
    assert volunteer is not None and volunteer.full_name == "Rahasia Orang"
    with django_capture_on_commit_callbacks(execute=True):
        applications.erase(app)
    trail = " ".join(f"{e.target_label} {e.changes}" for e in AuditEvent.objects.all())
    for secret in ("Rahasia Orang", "motivasi pribadi rahasia", app.nik or "x" * 16, "KTP sesuai"):
        assert secret not in trail
    volunteer.refresh_from_db()
    assert (volunteer.full_name, volunteer.email, volunteer.phone, volunteer.is_active) == ("[dihapus]", "", "",
                                                                                             False)
    assert not User.objects.filter(full_name="Rahasia Orang").exists()


def test_officer_erases_on_request(client, world, campaign, apply):
    app = apply(world.village_in.code)
    client.force_login(world.district)
    url = reverse("recruitment:application_erase", args=[app.pk])
    client.post(url, {})
    assert Application.objects.get(pk=app.pk).status == Status.ACTIVE  # the confirmation box is required
    client.post(url, {"confirm": "yes"})
    assert Application.objects.get(pk=app.pk).status == Status.ERASED


def test_documents_download_and_never_render(client, world, campaign):
    app, token = applications.submit(campaign, applicant(world.village_in.code),
                                     [("ktp", SimpleUploadedFile("ktp.html", PNG))])
    doc = app.documents.get()
    response = client.get(reverse("recruitment:my_document", args=[token, doc.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment") and 'ktp.png"' in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox"


def test_api_declarations_cannot_stand_in_for_fields(client, world, campaign):
    client.force_login(world.district)
    body = applicant(world.village_in.code) | {"consent": False, "declarations": {"consent": True}}
    response = client.post(f"/api/campaigns/{campaign.pk}/applications", data=body, content_type="application/json")
    assert response.status_code == 422 and not Application.objects.exists()
    assert ["body", "declarations"] in [e["loc"] for e in response.json()["detail"]]


def test_a_failing_mail_server_loses_no_application(client, world, campaign, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP")

    monkeypatch.setattr(notices, "send_mail", broken)
    raw = applicant(world.village_in.code)
    form = {k: v for k, v in raw.items() if k != "consent"} | {"consent": "on"}
    response = client.post(reverse("recruitment:apply", args=[campaign.pk]), form)
    assert response.status_code == 302  # to the status page, which shows the private link
    assert "private-link" in client.get(response["Location"]).content.decode()


def _selected(apply, village, n, campaign, world):
    apps = []
    for i in range(n):
        app = apply(village)
        Application.objects.filter(pk=app.pk).update(test_score=90 - i, interview_score=50)
        apps.append(app)
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    for a in apps:
        a.refresh_from_db()
    return apps


def test_no_reselection_after_announcement(world, campaign, apply):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    _selected(apply, world.village_in.code, 7, campaign, world)
    notices.announce(world.national, campaign)
    with pytest.raises(ValidationError, match="sudah diumumkan"):
        selection.run(world.national, campaign)
    assert selection.run(world.national, campaign, dry_run=True).selected == 6  # a dry run still shows


def test_replacement_after_announcement_through_the_applicants_link(world, campaign, apply,
                                                                    django_capture_on_commit_callbacks):
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    apps = _selected(apply, world.village_in.code, 7, campaign, world)
    notices.announce(world.national, campaign)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        replacement = applications.withdraw(apps[0])  # actor None: the applicant, by their link
    replacement.refresh_from_db()
    assert replacement.pk == apps[6].pk and replacement.decision == "selected"
    assert replacement.volunteer is not None and replacement.notified_at is not None
    assert [m.to for m in mail.outbox] == [[replacement.email]]


def test_a_freed_seat_moves_within_the_province_when_its_region_has_no_waitlist(world, campaign, apply):
    from tests.conftest import first_village

    campaign.overflow = "province"
    campaign.save()
    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)  # 32.01: 6, 32.02: 2, 52.03: 2
    sukabumi = apply(world.village_out.code)
    bogor = [apply(world.village_in.code) for _ in range(9)]
    lombok = apply(first_village("52.03.01").code)
    for app, score in [(sukabumi, 60)] + [(a, 70 - i) for i, a in enumerate(bogor)] + [(lombok, 99)]:
        Application.objects.filter(pk=app.pk).update(test_score=score, interview_score=50)
    screening.screen(world.national, campaign)
    selection.run(world.national, campaign)
    sukabumi.refresh_from_db()
    assert sukabumi.decision == "selected"
    replacement = applications.withdraw(sukabumi, actor=world.national)
    # Sukabumi has nobody waiting; the best waitlisted of Jawa Barat takes the seat, not Lombok Timur's.
    assert replacement is not None and replacement.quota_region_id == "32.01"
    replacement.refresh_from_db()
    assert replacement.seat_region_id == "32.02"


def test_import_cannot_land_after_selection(world, campaign, monkeypatch, tmp_path):
    from django.core.files import File

    raw = applicant(world.village_in.code)
    path = tmp_path / "dinas.csv"
    _one_row_file(path, raw)
    with path.open("rb") as f:
        job = imports.start(world.national, campaign, "applications", "valid", File(f, name="dinas.csv"))
    selection.run(world.national, campaign)  # between the upload and its processing
    job = imports.run(job.pk)
    assert job.state == "rejected" and "Seleksi sudah dijalankan" in job.message
    assert not Application.objects.exists()


def test_district_summary_counts_only_its_own_applicants(client, world, campaign, apply):
    from sukarela.recruitment.services import campaigns

    campaigns.set_regions(world.national, campaign, [("32", 1), ("52.03", 1)])
    apply(world.village_in.code)
    apply(world.village_out.code)  # Sukabumi: same province, another regency
    client.force_login(world.district)
    summary = client.get(f"/api/campaigns/{campaign.pk}/summary").json()
    assert summary == []  # the province row would count Sukabumi's applicant
    quotas_seen = {q["region"] for q in client.get(f"/api/campaigns/{campaign.pk}/quotas").json()}
    assert quotas_seen == {"32"}  # the quota itself is a public fact
    page = client.get(reverse("recruitment:campaign_detail", args=[campaign.pk])).content.decode()
    assert "1 lamaran" in page


def test_upload_cap_binds_the_browser_not_the_command_line(world, campaign, monkeypatch, tmp_path):
    from django.core.files import File
    from django.core.management import call_command

    raw = applicant(world.village_in.code)
    path = tmp_path / "besar.csv"
    _one_row_file(path, raw)
    monkeypatch.setattr(imports, "MAX_UPLOAD", 10)
    monkeypatch.setattr(imports.start, "__kwdefaults__", {"max_bytes": 10})
    with path.open("rb") as f, pytest.raises(ValidationError, match="Berkas lebih dari"):
        imports.start(world.national, campaign, "applications", "valid", File(f, name="besar.csv"))
    call_command("import-applications", campaign.pk, str(path), stdout=__import__("io").StringIO())
    assert Application.objects.filter(nik=raw["nik"]).exists()


def test_public_forms_are_throttled_per_address(client, world, campaign, settings):
    settings.SUKARELA_PUBLIC_POSTS_PER_HOUR = 3
    url = reverse("recruitment:request_link")
    answers = [client.post(url, {"campaign": campaign.pk, "nik": "3201010101990001", "email": "a@b.id"},
                           REMOTE_ADDR="10.0.0.7").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.post(url, {}, REMOTE_ADDR="10.0.0.8").status_code == 200  # another address is not held up
    assert client.get(url, REMOTE_ADDR="10.0.0.7").status_code == 200  # reading the page stays open


def test_an_import_left_running_by_a_stopped_server_ends(client, world, campaign, tmp_path):
    from datetime import timedelta

    from django.core.files import File
    from django.utils import timezone

    path = tmp_path / "a.csv"
    _one_row_file(path, applicant(world.village_in.code))
    with path.open("rb") as f:
        job = imports.start(world.national, campaign, "applications", "valid", File(f, name="a.csv"))
    ImportJob.objects.filter(pk=job.pk).update(state="running", created_at=timezone.now() - timedelta(minutes=30))
    client.force_login(world.national)
    url = reverse("recruitment:import_detail", args=[job.pk])
    client.get(url)
    assert ImportJob.objects.get(pk=job.pk).state == "running"  # young: it may still be working
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=3))
    page = client.get(url).content.decode()
    assert ImportJob.objects.get(pk=job.pk).state == "failed" and "hx-trigger" not in page


def test_reselection_after_announcement_is_refused_on_every_path(client, world, campaign, apply):
    from io import StringIO

    from django.core.management import CommandError, call_command

    quotas.apportion_quotas(world.national, campaign, "hamilton", 1)
    _selected(apply, world.village_in.code, 7, campaign, world)
    notices.announce(world.national, campaign)
    client.force_login(world.national)
    page = client.post(reverse("recruitment:selection", args=[campaign.pk]), {"dry_run": "0"}, follow=True)
    assert page.status_code == 200 and "sudah diumumkan" in page.content.decode()
    api = client.post(f"/api/campaigns/{campaign.pk}/selection", data={}, content_type="application/json")
    assert api.status_code == 422 and "sudah diumumkan" in api.json()["detail"][0]["msg"]
    with pytest.raises(CommandError, match="sudah diumumkan"):
        call_command("select", campaign.pk, stdout=StringIO())
