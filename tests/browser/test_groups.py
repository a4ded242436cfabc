"""A district officer on a phone registers a TKM group with its chair, and finds it in the list
with the bank account masked (in full only on the group's own page); makes another member the
chair and links their login."""

import pytest
from playwright.sync_api import expect

from sukarela.core.roles import Role
from sukarela.groups.models import Group
from sukarela.groups.services import members
from tests.browser.test_shell import assert_fits_phone, login, settled
from tests.conftest import make_user
from tests.groups.conftest import ensure_sectors, make_group, nik, person

pytestmark = pytest.mark.browser

ACCOUNT = "0123456789012"


def test_officer_creates_a_group_with_a_chair_on_a_phone(phone, world):
    ensure_sectors()
    login(phone, "kab-bogor")
    phone.goto("/kelompok/")
    phone.get_by_role("link", name="Kelompok baru").click()
    phone.get_by_label("Nama kelompok").fill("Boga Rasa Pondok Rajeg")
    phone.get_by_label("Sektor usaha").select_option(label="Jasa boga / makanan")
    # The village picker starts inside the officer's regency: a district, then a village.
    phone.get_by_label("Kecamatan").select_option(label="Cibinong")
    settled(phone)
    phone.get_by_label("Desa/Kelurahan", exact=True).select_option(label="Pondok Rajeg")
    settled(phone)
    phone.get_by_label("Bank").fill("BRI")
    phone.get_by_label("Nomor rekening").fill(ACCOUNT)
    phone.get_by_label("Ketua: NIK").fill(nik("32.01.01", sex="P"))
    phone.get_by_label("Ketua: Nama lengkap").fill("Siti Aminah")
    phone.get_by_label("Ketua: Jenis kelamin").select_option("P")
    phone.get_by_label("Ketua: Tanggal lahir").fill("1995-07-05")
    phone.get_by_label("Ketua: Menyatakan belum bekerja saat mendaftar").check()
    assert_fits_phone(phone)
    phone.get_by_role("button", name="Simpan").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Boga Rasa Pondok Rajeg")
    expect(phone.locator("#members")).to_contain_text("Siti Aminah")
    expect(phone.locator("#bank-account")).to_contain_text(ACCOUNT)  # the group's officer sees it in full
    group = Group.objects.get(name="Boga Rasa Pondok Rajeg")
    assert group.village_id == "32.01.01.1001" and group.members.get().is_chair

    phone.goto("/kelompok/")
    row = phone.locator("#group-list tbody tr", has_text="Boga Rasa Pondok Rajeg")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(ACCOUNT[-4:])
    expect(row).not_to_contain_text(ACCOUNT)
    assert_fits_phone(phone)


def test_officer_makes_a_member_chair_with_a_login_on_a_phone(phone, world):
    login_user = make_user("ketua-boga", Role.GROUP_CHAIR, world.village_in.code, full_name="Rina Ketua")
    group = make_group(world, name="Boga Rasa")
    member = members.add_member(world.district, group, **person(name="Rina Wulandari", sex="P"))
    login(phone, "kab-bogor")
    phone.goto(f"/kelompok/{group.pk}/")
    row = phone.locator("#members tbody tr", has_text="Rina Wulandari")
    row.get_by_label("Akun masuk ketua (opsional)").select_option(label="Rina Ketua (ketua-boga)")
    assert_fits_phone(phone)
    row.get_by_role("button", name="Jadikan ketua").click()

    expect(phone.locator("#members tbody tr", has_text="Rina Wulandari")).to_contain_text("akun masuk: ketua-boga")
    member.refresh_from_db()
    assert member.is_chair and member.chair_account == login_user
    assert group.members.get(full_name="Ketua Uji").chair_account is None
