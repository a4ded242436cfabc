"""An anonymous visitor on a phone finds the open data from the landing page, reads the big
province's count (rounded to 5), "<10" for the small one and "✱" for the one hidden to protect it,
and downloads the CSV.
The dataset is tests/monitoring/test_open_data_pages.py's (its docstring)."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.test_shell import assert_fits_phone
from tests.monitoring.test_open_data_pages import build_open_data

pytestmark = pytest.mark.browser


def cell(page, region: str, indicator: str):
    return page.locator(f'#open-data-table tr[data-code="{region}"] td[data-code="{indicator}"]')


def test_anonymous_visitor_reads_the_suppressed_table_and_downloads_the_csv(phone, world):
    data = build_open_data(world)
    phone.goto("/")
    phone.get_by_role("link", name="Data terbuka program per provinsi").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Data terbuka program TKS")
    phone.get_by_label("Periode").fill(data.period)
    phone.get_by_role("button", name="Tampilkan").click()
    expect(phone.locator("#open-data-facts")).to_contain_text(f"Periode: {data.period} (")

    expect(cell(phone, "32", "groups_registered")).to_have_text("10")
    expect(cell(phone, "52", "groups_registered")).to_have_text("<10")
    expect(cell(phone, "33", "groups_registered")).to_have_text("✱")
    expect(cell(phone, "total", "groups_registered")).to_have_text("25")
    expect(cell(phone, "52", "visits")).to_have_text("2")
    expect(phone.locator("#open-data-legend")).to_contain_text("kurang dari 10 orang atau kelompok")
    expect(phone.locator("#open-data-legend")).to_contain_text("tidak dapat dihitung ulang")
    expect(phone.locator("#open-data-rounding")).to_contain_text("kelipatan 5")

    phone.get_by_label("Periode").fill(f"{data.period}-01..{data.period}-02")  # months: refused, named
    phone.get_by_role("button", name="Tampilkan").click()
    expect(phone.get_by_text("bukan per bulan atau rentang bulan")).to_be_visible()
    phone.get_by_label("Periode").fill(data.period)
    phone.get_by_role("button", name="Tampilkan").click()
    expect(phone.locator("#open-data-definitions")).to_contain_text("Kelompok terdaftar")
    expect(phone.get_by_text("Rahasia")).to_have_count(0)
    assert_fits_phone(phone)  # the wide table scrolls inside its box

    with phone.expect_download() as info:
        phone.locator("#open-data-csv").click()
    download = info.value
    assert download.suggested_filename == f"data-terbuka-provinsi-{data.period}.csv"
    with open(download.path(), encoding="utf-8-sig") as f:
        text = f.read()
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["32"]["groups_registered"] == "10"
    assert rows["52"]["groups_registered"] == "" and "groups_registered" in rows["52"]["suppressed"].split()
    assert rows[""]["groups_registered"] == "25"
    assert "Rahasia" not in text
