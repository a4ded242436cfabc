"""Downloads of the groups lists (core.exporting): groups (address and bank account are personal),
a group's members on its page (NIK, birth date), sectors."""

import datetime as dt

import pytest
from django.urls import reverse

from sukarela.assignments.models import Posting
from sukarela.core.models import AuditEvent
from sukarela.core.roles import Role
from sukarela.groups.services import members
from tests.conftest import make_user
from tests.export_helpers import column, get_table, last_export_event
from tests.groups.conftest import make_group, person

LIST = reverse("groups:group_list")


@pytest.fixture
def chair(world):
    return make_user("ketua-ekspor", Role.GROUP_CHAIR, world.village_in.code)


@pytest.fixture
def groups(world, sectors, chair):
    """Two groups in Kab. Bogor (one chaired by `chair`'s login, one without a bank account) and one in Sukabumi."""
    own = make_group(world, name="Tani Makmur", chair=person(name="Ketua Tani", chair_account=chair,
                                                              nik="3201010507954242"))
    members.add_member(world.district, own, **person(name="Siti Anggota", sex="P", born=dt.date(1990, 1, 2),
                                                     nik="3201014201904343"))
    plain = make_group(world, name="Boga Rasa", sector="usaha-kreatif", bank_account="", bank_name="")
    make_group(world, "out", name="Kelompok Sukabumi")
    return own, plain


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_group_export_is_scoped_filtered_and_masked(client, world, groups, fmt):
    client.force_login(world.district)
    rows = get_table(client, LIST, fmt)
    assert column(rows, "Kelompok") == ["Boga Rasa", "Tani Makmur"]
    tani = rows[1]
    # bank account 0123456789012: 13 digits, the last four kept; the address keeps its first word
    assert (tani["Nomor rekening"], tani["Alamat"], tani["Bank"]) == ("*********9012", "Kp. ***", "BRI")
    assert str(tani["Anggota aktif"]) == "2" and rows[0]["Nomor rekening"] in ("", None)
    assert column(get_table(client, LIST, fmt, sector=groups[1].sector_id), "Kelompok") == ["Boga Rasa"]


def test_an_officer_asking_gets_the_bank_account(client, world, groups):
    client.force_login(world.provincial)
    rows = get_table(client, LIST, "xlsx", q="Tani", pribadi="1")
    assert [(r["Nomor rekening"], r["Alamat"]) for r in rows] == [("0123456789012", "Kp. Uji RT 01/02")]
    event = last_export_event()
    assert event.actor == world.provincial and event.changes["filters"] == [None, {"q": "Tani"}]


def test_the_chair_gets_their_group_masked_even_when_asking(client, world, groups, chair):
    client.force_login(chair)
    before = AuditEvent.objects.count()
    rows = get_table(client, LIST, "csv", pribadi="1")
    assert [(r["Kelompok"], r["Nomor rekening"]) for r in rows] == [("Tani Makmur", "*********9012")]
    rows = get_table(client, reverse("groups:group_detail", args=[groups[0].pk]), "csv", pribadi="1")
    assert [(r["Nama"], r["NIK"], r["Tanggal lahir"]) for r in rows] == [
        ("Ketua Tani", "3201********4242", "***"), ("Siti Anggota", "3201********4343", "***")]
    assert AuditEvent.objects.count() == before


def test_the_mentor_gets_the_members_masked(client, world, groups):
    tks = make_user("tks-ekspor", Role.TKS, world.village_in.code)
    Posting.objects.create(group=groups[0], mentor=tks, starts_on=dt.date(2026, 1, 5))
    client.force_login(tks)
    rows = get_table(client, reverse("groups:group_detail", args=[groups[0].pk]), "xlsx", pribadi="1")
    assert column(rows, "NIK") == ["3201********4242", "3201********4343"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_member_export_in_full_for_an_officer_who_asks(client, world, groups, fmt):
    url = reverse("groups:group_detail", args=[groups[0].pk])
    client.force_login(world.district)
    rows = get_table(client, url, fmt)
    assert column(rows, "NIK") == ["3201********4242", "3201********4343"]
    rows = get_table(client, url, fmt, pribadi="1")
    assert column(rows, "NIK") == ["3201010507954242", "3201014201904343"]
    born = {"csv": "1990-01-02", "xlsx": dt.datetime(1990, 1, 2)}[fmt]  # XLSX reads dates back as datetimes
    assert rows[1]["Tanggal lahir"] == born and rows[1]["Jenis kelamin"] == "P"
    assert str(rows[0]["Ketua"]) == "ya" and last_export_event().changes["rows"] == [None, 2]


def test_another_district_gets_nothing(client, world, groups):
    client.force_login(world.district_other)
    # the region filter outside the officer's own is refused by the form: the scoped list, Sukabumi's only
    assert column(get_table(client, LIST, "csv", pribadi="1", region="32.01"), "Kelompok") == ["Kelompok Sukabumi"]
    url = reverse("groups:group_detail", args=[groups[0].pk])
    assert client.get(url + "?unduh=csv&pribadi=1").status_code == 404


def test_sector_export(client, world, sectors):
    client.force_login(world.district)
    rows = get_table(client, reverse("groups:sector_list"), "csv")
    assert column(rows, "Kode") == ["pertanian-peternakan", "perikanan-kelautan", "jasa-boga", "usaha-kreatif",
                                    "perdagangan"]


def test_the_group_page_offers_the_member_download(client, world, groups, chair):
    url = reverse("groups:group_detail", args=[groups[0].pk])
    client.force_login(world.district)
    body = client.get(url).content.decode()
    assert 'id="member-export"' in body and 'href="?unduh=xlsx&amp;pribadi=1"' in body
    client.force_login(chair)
    body = client.get(url).content.decode()
    assert 'href="?unduh=xlsx"' in body and "pribadi=1" not in body
