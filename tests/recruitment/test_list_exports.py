"""Downloads of the recruitment lists (core.exporting): campaigns, a campaign's applications (NIK,
phone, e-mail, address, birth date, KK), its quotas, and the selection results' own export."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.recruitment.models import Application, Decision
from sukarela.recruitment.services import quotas
from tests.export_helpers import column, get_table, last_export_event, table

PERSONAL = ("NIK", "Tanggal lahir", "Nomor HP", "Email", "Alamat", "Nomor KK")


@pytest.fixture
def apps(world, apply):
    """Ani (32.01, female), Budi (32.01, male, ineligible), Citra (32.02): known personal values."""
    ani = apply(world.village_in.code, full_name="Ani Lestari", sex="P", birth=date(1998, 5, 17), serial=7,
                phone="081234500001", email="ani@contoh.id", address="Jl. Melati No. 5",
                household_id="3201010101010099")
    budi = apply(world.village_in.code, full_name="Budi Santoso", serial=8, phone="081234500002")
    citra = apply(world.village_out.code, full_name="Citra Outside", serial=9)
    Application.objects.filter(pk=budi.pk).update(eligible=False)
    Application.objects.filter(pk=ani.pk).update(eligible=True)
    return ani, budi, citra


def _url(campaign):
    return reverse("recruitment:application_list", args=[campaign.pk])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_applications_are_the_filtered_scoped_list_masked(client, world, campaign, apps, fmt):
    client.force_login(world.district)
    rows = get_table(client, _url(campaign), fmt)
    assert column(rows, "Nama") == ["Ani Lestari", "Budi Santoso"]  # Citra lives in 32.02
    ani = rows[0]
    # NIK 320101 + 57 (17 + 40, a woman) 05 98 + 0007
    assert (ani["NIK"], ani["Tanggal lahir"], ani["Nomor HP"], ani["Email"], ani["Alamat"], ani["Nomor KK"]) == (
        "3201********0007", "***", "0812****0001", "a***@contoh.id", "Jl. ***", "3201********0099")
    assert ani["Jenis kelamin"] == "P" and ani["Kode domisili"] == world.village_in.code
    assert AuditEvent.objects.filter(action="export_personal").count() == 0
    filtered = get_table(client, _url(campaign), fmt, eligible="no")
    assert column(filtered, "Nama") == ["Budi Santoso"] and filtered[0]["Memenuhi syarat"] == "tidak"


def test_an_officer_asking_gets_every_personal_value_and_an_audit_record(client, world, campaign, apps):
    client.force_login(world.district)
    rows = get_table(client, _url(campaign), "xlsx", q="Ani", pribadi="1")
    ani = rows[0]
    assert (ani["NIK"], ani["Tanggal lahir"], ani["Nomor HP"], ani["Email"], ani["Alamat"], ani["Nomor KK"]) == (
        "3201015705980007", datetime(1998, 5, 17), "'+6281234500001", "ani@contoh.id", "Jl. Melati No. 5",
        "3201010101010099")
    event = last_export_event()
    assert event.actor == world.district and event.target_id == _url(campaign)
    assert event.changes["list"] == [None, "Pelamar"] and event.changes["rows"] == [None, 1]
    assert event.changes["filters"] == [None, {"q": "Ani"}]


def test_a_national_officer_may_ask_too(client, world, campaign, apps):
    client.force_login(world.national)
    rows = get_table(client, _url(campaign), "csv", pribadi="1")
    assert column(rows, "NIK") == ["3201015705980007", apps[1].nik, apps[2].nik]
    assert last_export_event().actor == world.national


def test_another_district_never_sees_these_rows(client, world, campaign, apps):
    client.force_login(world.district_other)
    rows = get_table(client, _url(campaign), "csv", pribadi="1", region="32.01")
    assert rows == []  # the region filter cannot widen the scope
    assert column(get_table(client, _url(campaign)), "Nama") == ["Citra Outside"]


def test_field_roles_cannot_download_applications(client, world, campaign, apps):
    client.force_login(world.tks_in)
    assert client.get(_url(campaign) + "?unduh=csv&pribadi=1").status_code == 403


def test_the_row_cap(client, world, campaign, apps, settings):
    settings.SUKARELA_EXPORT_MAX_ROWS = 1
    client.force_login(world.district)
    response = client.get(_url(campaign) + "?eligible=yes&unduh=csv")
    assert column(table(response), "Nama") == ["Ani Lestari"]
    response = client.get(_url(campaign) + "?unduh=csv")
    assert response.status_code == 302 and response["Location"] == _url(campaign)


def test_campaign_list_export(client, world, campaign):
    client.force_login(world.district)
    rows = get_table(client, reverse("recruitment:campaign_list"), "xlsx")
    assert [(r["Kampanye"], r["Kursi"], r["Wilayah kuota"]) for r in rows] == [("Rekrutmen TKS Uji", 10, 3)]


def test_quota_export_holds_the_regions_in_scope(client, world, campaign):
    quotas.apportion_quotas(world.national, campaign, "hamilton")
    url = reverse("recruitment:quotas", args=[campaign.pk])
    client.force_login(world.national)
    rows = get_table(client, url, "csv")
    # 10 seats by weights 3:1:1 -> 6, 2, 2 (Hamilton: quotients 6, 2, 2 exactly)
    assert [(r["Kode wilayah"], r["Kuota"]) for r in rows] == [("32.01", "6"), ("32.02", "2"), ("52.03", "2")]
    client.force_login(world.district_other)
    assert [(r["Kode wilayah"], r["Kuota"]) for r in get_table(client, url, "csv")] == [("32.02", "2")]


def test_results_export_follows_the_same_rule(client, world, campaign, apps):
    ani = apps[0]
    Application.objects.filter(pk=ani.pk).update(decision=Decision.SELECTED, score=80.0, region_rank=1)
    url = reverse("recruitment:results_export", args=[campaign.pk])
    client.force_login(world.national)
    rows = table(client.get(url))
    assert column(rows, "NIK") == ["3201********0007"]  # masked by default, for every officer
    rows = table(client.get(url + "?pribadi=1"))
    assert column(rows, "NIK") == ["3201015705980007"] and last_export_event().changes["rows"] == [None, 1]
    client.force_login(world.district_other)
    assert table(client.get(url + "?pribadi=1")) == []


def test_results_export_over_the_cap_returns_to_the_results_page(client, world, campaign, apps, settings):
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(decision=Decision.SELECTED, score=70.0)
    settings.SUKARELA_EXPORT_MAX_ROWS = 2
    client.force_login(world.national)
    response = client.get(reverse("recruitment:results_export", args=[campaign.pk]) + "?region=32&pribadi=1")
    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:results", args=[campaign.pk]) + "?region=32"


def test_the_pages_offer_the_downloads(client, world, campaign, apps):
    client.force_login(world.district)
    body = client.get(_url(campaign) + "?status=active").content.decode()
    assert "?status=active&amp;unduh=xlsx" in body and "?status=active&amp;unduh=csv&amp;pribadi=1" in body
    body = client.get(reverse("recruitment:results", args=[campaign.pk])).content.decode()
    assert "pribadi=1" in body
    body = client.get(reverse("recruitment:quotas", args=[campaign.pk])).content.decode()
    assert 'href="?unduh=csv"' in body and "pribadi=1" not in body
