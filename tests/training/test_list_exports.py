"""Downloads of the training lists (core.exporting): cohorts, a cohort's participants (the TKS's phone
and e-mail are personal) and certificates, venues, curricula."""

import pytest
from django.urls import reverse

from sukarela.core.models import AuditEvent
from tests.export_helpers import column, get_table, last_export_event
from tests.training.conftest import make_cohort
from tests.training.test_certificates import graduate


@pytest.fixture
def graduates(world, cohort, enrolled):
    """The first two of the three enrolled TKS graduate (all three modules passed: 88, 75, 90 >= 70)."""
    return graduate(world, cohort, enrolled[:2])


@pytest.fixture
def other(world, curriculum, campaign):
    return make_cohort(world, curriculum, campaign, "out")


def test_cohort_export_is_scoped(client, world, cohort, other, enrolled):
    url = reverse("training:cohort_list")
    client.force_login(world.district)
    rows = get_table(client, url, "xlsx")
    assert [(r["Angkatan"], r["Kode wilayah"], r["Peserta"], r["Tempat"]) for r in rows] == [
        ("Angkatan Uji 32.01", "32.01", 3, "BLK Uji 32.01")]
    client.force_login(world.district_other)
    assert column(get_table(client, url), "Angkatan") == ["Angkatan Uji 32.02"]
    client.force_login(enrolled[0].volunteer)  # a TKS: the cohort they train in
    assert column(get_table(client, url), "Angkatan") == ["Angkatan Uji 32.01"]


def test_participant_export_masks_contacts_unless_an_officer_asks(client, world, cohort, enrolled, graduates):
    first = enrolled[0].volunteer
    first.phone, first.email = "+6281355550001", "tks.satu@contoh.id"
    first.save()
    url = reverse("training:participant_list", args=[cohort.pk])
    client.force_login(world.district)
    rows = get_table(client, url, "csv")
    assert column(rows, "Nama") == ["TKS Uji 001", "TKS Uji 002", "TKS Uji 003"]
    assert (rows[0]["Nomor HP"], rows[0]["Email"]) == ("0813****0001", "t***@contoh.id")
    assert column(rows, "Status") == ["Lulus", "Lulus", "Sedang pelatihan"]
    assert column(rows, "Modul lulus") == ["3", "3", "0"] and column(rows, "Jumlah modul") == ["3", "3", "3"]
    assert column(rows, "Kehadiran (%)")[:2] == ["100.0", "100.0"]  # the one held session, attended
    rows = get_table(client, url, "xlsx", pribadi="1")
    assert (rows[0]["Nomor HP"], rows[0]["Email"]) == ("'+6281355550001", "tks.satu@contoh.id")
    assert last_export_event().changes["rows"] == [None, 3]


def test_a_tks_gets_their_own_row_masked_even_when_asking(client, world, cohort, enrolled):
    me = enrolled[1].volunteer
    me.phone = "+6281355550002"
    me.save()
    client.force_login(me)
    before = AuditEvent.objects.count()
    rows = get_table(client, reverse("training:participant_list", args=[cohort.pk]), "csv", pribadi="1")
    assert [(r["Nama"], r["Nomor HP"]) for r in rows] == [("TKS Uji 002", "0813****0002")]
    assert AuditEvent.objects.count() == before


def test_another_district_cannot_download_the_cohort(client, world, cohort, enrolled):
    client.force_login(world.district_other)
    for name in ("training:participant_list", "training:certificate_list"):
        assert client.get(reverse(name, args=[cohort.pk]) + "?unduh=csv&pribadi=1").status_code == 404


def test_certificate_export(client, world, cohort, enrolled, graduates):
    client.force_login(world.district)
    rows = get_table(client, reverse("training:certificate_list", args=[cohort.pk]), "xlsx")
    assert sorted(column(rows, "Kode")) == sorted(c.code for c in graduates)
    assert column(rows, "Nama pemegang") == ["TKS Uji 001", "TKS Uji 002"]
    assert {r["Angkatan"] for r in rows} == {"Angkatan Uji 32.01"} and {r["Dicabut"] for r in rows} == {None}


def test_venue_export_is_scoped(client, world, cohort, other):
    client.force_login(world.district)
    rows = get_table(client, reverse("training:venue_list"), "csv")
    assert [(r["Tempat"], r["Kode wilayah"]) for r in rows] == [("BLK Uji 32.01", "32.01")]
    client.force_login(world.provincial)
    assert column(get_table(client, reverse("training:venue_list"), "csv"), "Tempat") == [
        "BLK Uji 32.01", "BLK Uji 32.02"]


def test_curriculum_export(client, world, curriculum):
    client.force_login(world.district)
    rows = get_table(client, reverse("training:curriculum_list"), "xlsx")
    # modules of 16, 8 and 8 planned hours
    assert [(r["Kurikulum"], r["Modul"], r["Jam rencana"]) for r in rows] == [("Kurikulum TKS Uji", 3, 32)]
    client.force_login(world.tks_in)
    assert client.get(reverse("training:curriculum_list") + "?unduh=csv").status_code == 403


def test_the_cohort_pages_offer_the_downloads(client, world, cohort, enrolled, graduates):
    client.force_login(world.district)
    body = client.get(reverse("training:participant_list", args=[cohort.pk])).content.decode()
    assert 'href="?unduh=csv"' in body and 'href="?unduh=csv&amp;pribadi=1"' in body
    body = client.get(reverse("training:certificate_list", args=[cohort.pk])).content.decode()
    assert 'href="?unduh=xlsx"' in body and "pribadi=1" not in body
    client.force_login(enrolled[0].volunteer)
    body = client.get(reverse("training:participant_list", args=[cohort.pk])).content.decode()
    assert 'href="?unduh=csv"' in body and "pribadi=1" not in body  # a TKS is never offered full values
