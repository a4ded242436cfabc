"""Downloads of the assignment lists (core.exporting): a cohort's mentors (their phone is personal),
match runs, a run's proposals, postings."""

import datetime as dt

import pytest
from django.urls import reverse

from sukarela.assignments.models import Posting
from sukarela.assignments.services import matching
from tests.assignments.conftest import BOGOR, graduated_cohort, near, placed_group
from tests.export_helpers import column, get_table, last_export_event


@pytest.fixture
def runs(world):
    """A run in Kab. Bogor over two groups (one 300 km off: no mentor in reach) and one in Sukabumi."""
    cohort = graduated_cohort(world, n=2)
    mentor = cohort.mentors[0]
    mentor.phone = "+6281377770001"
    mentor.save()
    near_group, far_group = placed_group(world, at=near(BOGOR, 2), name="Dekat"), placed_group(
        world, at=near(BOGOR, 300), name="Jauh")
    inside = matching.run(world.district, cohort)
    other_cohort = graduated_cohort(world, "out", n=1)
    placed_group(world, "out", name="Luar")
    outside = matching.run(world.district_other, other_cohort)
    return cohort, inside, outside, near_group, far_group


def test_mentor_export(client, world, runs):
    cohort = runs[0]
    url = reverse("assignments:mentor_list", args=[cohort.pk])
    client.force_login(world.district)
    rows = get_table(client, url, "csv")
    assert column(rows, "Nama") == ["Pendamping in 0", "Pendamping in 1"]
    assert (rows[0]["Nomor HP"], rows[0]["Kapasitas"], rows[0]["Sektor dikuasai"]) == (
        "0813****0001", "10", "Jasa boga / makanan")
    rows = get_table(client, url, "xlsx", pribadi="1")
    assert rows[0]["Nomor HP"] == "'+6281377770001" and last_export_event().changes["rows"] == [None, 2]
    client.force_login(world.district_other)
    assert client.get(url + "?unduh=csv").status_code == 404


def test_run_export_is_scoped(client, world, runs):
    _cohort, inside, outside, *_ = runs
    url = reverse("assignments:run_list")
    client.force_login(world.district)
    rows = get_table(client, url, "xlsx")
    assert [(r["ID"], r["Kode wilayah"], r["Kelompok"], r["Terdampingi"], r["Status"]) for r in rows] == [
        (inside.pk, "32.01", 2, 1, "Pratinjau")]
    client.force_login(world.provincial)
    assert sorted(column(get_table(client, url, "csv"), "ID")) == sorted([str(inside.pk), str(outside.pk)])


def test_proposal_export(client, world, runs):
    _cohort, inside, _outside, near_group, far_group = runs
    url = reverse("assignments:run_detail", args=[inside.pk])
    client.force_login(world.district)
    rows = {r["Kelompok"]: r for r in get_table(client, url, "csv")}
    assert set(rows) == {"Dekat", "Jauh"}
    assert rows["Dekat"]["Pendamping"].startswith("Pendamping in ")
    assert 1.5 < float(rows["Dekat"]["Jarak (km)"]) < 2.5  # placed 2 km north of the mentors
    assert rows["Jauh"]["Pendamping"] == "" and rows["Jauh"]["Alasan tanpa pendamping"] == "no_mentor_in_reach"
    client.force_login(world.district_other)
    assert client.get(url + "?unduh=csv").status_code == 404


def test_posting_export(client, world, runs):
    near_group, far_group = runs[3], runs[4]
    mentor = runs[0].mentors[1]
    Posting.objects.create(group=near_group, mentor=mentor, starts_on=dt.date(2026, 2, 1))
    Posting.objects.create(group=far_group, mentor=mentor, starts_on=dt.date(2025, 2, 1),
                           ends_on=dt.date(2026, 1, 31))
    outside_group = Posting.objects.create(group=runs[2].proposals.get().group, mentor=runs[0].mentors[0],
                                           starts_on=dt.date(2026, 3, 1))
    url = reverse("assignments:posting_list")
    client.force_login(world.district)
    rows = get_table(client, url, "csv")
    assert [(r["Kelompok"], r["Mulai"], r["Selesai"]) for r in rows] == [
        ("Dekat", "2026-02-01", ""), ("Jauh", "2025-02-01", "2026-01-31")]
    assert column(get_table(client, url, "csv", aktif="1"), "Kelompok") == ["Dekat"]
    client.force_login(world.district_other)
    assert column(get_table(client, url, "csv"), "Kelompok") == [outside_group.group.name]
    client.force_login(mentor)  # a TKS: their own postings
    assert column(get_table(client, url, "csv"), "Kelompok") == ["Dekat", "Jauh"]


def test_the_run_pages_offer_the_downloads(client, world, runs):
    cohort, inside, *_ = runs
    client.force_login(world.district)
    body = client.get(reverse("assignments:mentor_list", args=[cohort.pk])).content.decode()
    assert 'href="?unduh=csv&amp;pribadi=1"' in body
    body = client.get(reverse("assignments:run_detail", args=[inside.pk])).content.decode()
    assert 'href="?unduh=xlsx"' in body and "pribadi=1" not in body
