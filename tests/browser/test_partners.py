"""A district officer on a phone registers a partner, is warned that it is likely a duplicate of one
already registered (naming it), and registers it anyway by ticking "Bukan duplikat"."""

import pytest
from playwright.sync_api import expect

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Partner
from tests.browser.test_shell import assert_fits_phone, login
from tests.partners.conftest import ensure_catalogue, partner

pytestmark = pytest.mark.browser


def test_district_officer_is_warned_of_a_duplicate_on_a_phone(phone, world):
    ensure_catalogue()
    partner(world, name="PT Bank Rakyat Indonesia (Persero) Tbk", kind="bank", reach="nasional", region=None)
    login(phone, "kab-bogor")
    phone.goto("/mitra/")
    expect(phone.locator("#partner-list")).to_contain_text("PT Bank Rakyat Indonesia")
    assert_fits_phone(phone)
    phone.get_by_role("link", name="Mitra baru").click()
    phone.get_by_label("Nama lembaga").fill("Bank Rakyat Indonesia")
    phone.get_by_label("Jenis").select_option(label="Bank")
    phone.get_by_label("Cakupan").select_option("kabupaten")
    phone.get_by_label("Kredit (mis. KUR)").check()
    assert_fits_phone(phone)
    phone.get_by_role("button", name="Simpan").click()

    warning = phone.locator(".has-error", has_text="Kemungkinan duplikat")
    expect(warning).to_contain_text("PT Bank Rakyat Indonesia (Persero) Tbk, Nasional")
    assert not Partner.objects.filter(name="Bank Rakyat Indonesia").exists()
    assert_fits_phone(phone)

    phone.get_by_label("Bukan duplikat").check()
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Bank Rakyat Indonesia")
    made = Partner.objects.get(name="Bank Rakyat Indonesia")
    assert made.region_id == "32.01" and made.created_by == world.district
    assert AuditEvent.objects.get(action="create_partner").changes["duplicate_override"]
    assert_fits_phone(phone)
