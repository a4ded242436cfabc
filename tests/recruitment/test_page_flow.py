"""Acceptance: a campaign of 664 seats over the 38 provinces, run from the pages alone —
created, apportioned, filled (staff entry and import), screened, scored, selected, exported
and announced."""

import io
from datetime import timedelta

import openpyxl
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sukarela.engines.synthetic_applicants import generate_rows, write_csv
from sukarela.recruitment.models import Application, Campaign
from sukarela.recruitment.services import imports
from sukarela.regions.models import Region
from tests.recruitment.conftest import applicant


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def test_664_seats_over_38_provinces_from_the_pages(client, world, monkeypatch, tmp_path):
    # The test slice loads two provinces; 36 more rows make the country's 38.
    for n in range(36):
        Region.objects.create(code=str(60 + n), name=f"Provinsi Uji {n}", level=1, kind="provinsi")
    monkeypatch.setattr(imports, "start_in_background", lambda job: imports.run(job.pk))  # no thread in a test
    client.force_login(world.national)
    today = timezone.localdate()
    _ok(client.post(reverse("recruitment:campaign_create"), {
        "name": "Rekrutmen TKS Nasional", "year": today.year, "target_seats": 664,
        "opens_on": today - timedelta(days=5), "closes_on": today + timedelta(days=20), "published": "on",
        "min_age": 20, "max_age": 35, "min_education": "D3", "test_weight": 60, "interview_weight": 40,
        "household_cap": 2, "overflow": "national", "consent_purpose": "Untuk seleksi TKS."}))
    campaign = Campaign.objects.get()
    _ok(client.post(reverse("recruitment:campaign_regions", args=[campaign.pk]), {"preset": "provinces"}))
    assert campaign.quota_regions.count() == 38
    _ok(client.post(reverse("recruitment:quotas", args=[campaign.pk]), {"method": "webster", "minimum": 5}))
    quotas = dict(campaign.quota_regions.values_list("region_id", "quota"))
    assert sum(quotas.values()) == 664 and min(quotas.values()) >= 5
    _ok(client.post(reverse("recruitment:quota_edit", args=[campaign.pk, "32"]),
                    {"quota": quotas["32"] + 1, "reason": "Banyak kelompok TKM di Jawa Barat"}))

    # One application typed in by an officer, thirty from a labour office's file.
    raw = applicant(world.village_in.code)
    form = {k: v for k, v in raw.items() if k != "consent"} | {"consent": "on"}
    _ok(client.post(reverse("recruitment:application_create", args=[campaign.pk]), form))
    villages = list(Region.objects.filter(level=4, code__startswith="32.").values_list("code", flat=True))
    path = tmp_path / "dinas.csv"
    write_csv(path, generate_rows(30, villages, seed=7, today=today), delimiter=";")
    _ok(client.post(reverse("recruitment:import_new", args=[campaign.pk]), {
        "kind": "applications", "mode": "valid", "file": SimpleUploadedFile("dinas.csv", path.read_bytes())}))
    assert Application.objects.filter(campaign=campaign).count() == 31

    _ok(client.post(reverse("recruitment:screen", args=[campaign.pk])))
    eligible = Application.objects.filter(campaign=campaign, eligible=True)
    assert eligible.exists()
    for i, app in enumerate(eligible):
        _ok(client.post(reverse("recruitment:application_verify", args=[app.pk]), {"admin_status": "verified"}))
        _ok(client.post(reverse("recruitment:application_score", args=[app.pk]),
                        {"test_score": str(60 + i), "interview_score": "75,5"}))
    dry = _ok(client.post(reverse("recruitment:selection", args=[campaign.pk]), {"dry_run": "1"}), 200)
    assert "Uji coba" in dry.content.decode() and not Application.objects.exclude(decision="").exists()
    _ok(client.post(reverse("recruitment:selection", args=[campaign.pk]), {"dry_run": "0"}))
    selected = Application.objects.filter(campaign=campaign, decision="selected").count()
    assert selected == eligible.count()  # 665 seats for a few dozen applicants: everyone eligible gets one

    export = _ok(client.get(reverse("recruitment:results_export", args=[campaign.pk])), 200)
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 31 and sum(r[1] == "Terpilih" for r in rows) == selected
    assert all("*" in r[6] for r in rows)  # national officers get the NIK masked
    _ok(client.post(reverse("recruitment:announce", args=[campaign.pk])))
    assert Application.objects.filter(campaign=campaign, volunteer__isnull=False).count() == selected
    assert len(mail.outbox) >= selected
