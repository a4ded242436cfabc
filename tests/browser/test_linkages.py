"""A TKS on a phone opens the group they mentor, creates a linkage with a bank, and moves it
through the pipeline to realised: first refused without the loan amount (the message on the
field), then accepted with it; every step shows in the history."""

import pytest
from playwright.sync_api import expect

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Linkage
from tests.browser.test_shell import assert_fits_phone, login
from tests.mentoring.conftest import post
from tests.partners.conftest import partner
from tests.partners.test_linkages import group_in

pytestmark = pytest.mark.browser


def move(phone, status_label, **fields):
    phone.locator("#move-form select[name=status]").select_option(label=status_label)
    for label, value in fields.items():
        phone.locator(f"#move-form [name={label}]").fill(value)
    phone.get_by_role("button", name="Simpan status").click()


def test_tks_moves_a_linkage_to_realised_on_a_phone(phone, world):
    group = group_in(world)
    post(group, world.tks_in)
    bank = partner(world, name="BPR Bogor Sejahtera Bersama", kind="bank", region="32.01")
    login(phone, "tks-bogor")
    phone.goto(f"/kelompok/{group.pk}/")
    expect(phone.locator("#linkages-section")).to_contain_text("Belum ada keterkaitan")
    assert_fits_phone(phone)
    phone.locator("#linkages-section").get_by_role("link", name="Buat keterkaitan").click()
    phone.get_by_label("Mitra").select_option(label="BPR Bogor Sejahtera Bersama (Bank)")
    phone.get_by_label("Tujuan").select_option("pinjaman")
    assert_fits_phone(phone)
    phone.get_by_role("button", name="Simpan sebagai diusulkan").click()
    expect(phone.locator("#linkage-status")).to_contain_text("Diusulkan")
    assert_fits_phone(phone)

    move(phone, "Dihubungi", note="Bertemu kepala cabang")
    expect(phone.locator("#linkage-status")).to_contain_text("Dihubungi")
    move(phone, "Disepakati")
    expect(phone.locator("#linkage-status")).to_contain_text("Disepakati")
    move(phone, "Terealisasi")
    expect(phone.locator("#move-form .has-error")).to_contain_text("memerlukan nilai (Rp)")
    assert_fits_phone(phone)
    move(phone, "Terealisasi", value_amount="50000000")
    expect(phone.locator("#linkage-status")).to_contain_text("Terealisasi")
    expect(phone.locator("#linkage-final")).to_be_visible()
    expect(phone.locator("#linkage-steps li")).to_have_count(4)
    assert_fits_phone(phone)

    linkage = Linkage.objects.get()
    assert (linkage.partner, linkage.broker, linkage.status, int(linkage.value_amount)) == (
        bank, world.tks_in, "terealisasi", 50_000_000)
    assert AuditEvent.objects.filter(action="move_linkage").count() == 3
