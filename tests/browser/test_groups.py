"""A district officer on a phone registers a TKM group with its chair, and finds it in the list
with the bank account masked (in full only on the group's own page)."""

import pytest
from playwright.sync_api import expect

from sukarela.groups.models import Group
from tests.browser.test_shell import assert_fits_phone, login, settled
from tests.groups.conftest import ensure_sectors, nik

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
