"""A district officer on a phone: log in, switch language, open a scoped list, pick a region."""

import re

import pytest
from playwright.sync_api import expect

from sukarela.core.management.commands.compiletranslations import compile_catalogues

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def compiled():
    compile_catalogues()


def login(page, username):
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("pw-for-tests-only")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")


def painted(selector: str) -> str:
    """A wait_for_function body: true when some canvas matching `selector` holds a painted
    (non-transparent) pixel, i.e. a chart library really drew."""
    return """() => [...document.querySelectorAll('%s')].some(c => {
  if (!c.width || !c.height) return false;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
  return false;
})""" % selector


def settled(page):
    """Wait until htmx has swapped and wired the new content (a person is never that quick)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def assert_fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360-px screen"


def test_login_switch_language_and_scoped_list(phone, world):
    login(phone, "kab-bogor")
    assert_fits_phone(phone)
    phone.get_by_role("button", name="EN").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    nav = phone.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Users")).to_be_hidden()  # folded on a phone
    nav.get_by_text("Menu").click()
    nav.get_by_role("link", name="Users").click()
    rows = phone.locator("#user-list tbody tr")
    expect(rows.filter(has_text=world.tks_in.full_name)).to_have_count(1)
    expect(rows.filter(has_text=world.tks_out.full_name)).to_have_count(0)
    expect(rows.filter(has_text=world.district_other.full_name)).to_have_count(0)
    assert_fits_phone(phone)
    # Outside the scope a direct address is simply not there.
    response = phone.goto(f"/pengguna/{world.tks_out.pk}/")
    assert response.status == 404


def test_region_picker_creates_a_user_in_a_village(phone, world):
    login(phone, "kab-bogor")
    phone.goto("/pengguna/baru/")
    phone.get_by_label("Nama pengguna").fill("tks-dari-browser")
    phone.get_by_label("Nama lengkap").fill("Relawan Peramban")
    phone.get_by_label("Peran").select_option("tks")
    # The picker starts inside the officer's regency: choose a district, then a village.
    phone.get_by_label("Kecamatan").select_option(label="Cibinong")
    settled(phone)
    village_select = phone.get_by_label("Desa/Kelurahan")
    expect(village_select).to_be_visible()
    village_select.select_option(label="Pondok Rajeg")
    settled(phone)
    expect(phone.locator("input[type=hidden][name=region]")).to_have_value("32.01.01.1001")
    # The search box finds a village by name and redraws the picker on it.
    phone.get_by_label("Wilayah").press_sequentially("Gunungputri", delay=40)
    match = phone.locator(".region-picker .results button", has_text="Kecamatan · 32.01.02")
    expect(match).to_have_count(1)
    match.click()
    settled(phone)
    expect(phone.locator("input[type=hidden][name=region]")).to_have_value(re.compile(r"^32\.01\.02"))
    assert_fits_phone(phone)
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Relawan Peramban")
    expect(phone.locator(".facts")).to_contain_text("32.01.02")
