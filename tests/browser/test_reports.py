"""Requesting a monthly report on a phone: the form, the build in its background thread, the status
section that htmx polls until the report is done, then the download. The hand-made programme of
tests/monitoring/reports_fixtures.py, refreshed before the page is opened."""

import pytest
from playwright.sync_api import expect

from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.services.refresh import refresh
from tests.browser.test_shell import assert_fits_phone, login
from tests.monitoring.reports_fixtures import month_words, programme, tmp_media

pytestmark = pytest.mark.browser


@pytest.fixture
def made(world, settings, tmp_path):
    tmp_media(settings, tmp_path)
    made = programme(world)
    refresh(full=True)
    return made


def test_request_watch_progress_and_download(phone, made):
    login(phone, "kab-bogor")
    phone.goto("/pantau/laporan/")
    expect(phone.get_by_label("Wilayah")).to_have_value("32.01")
    phone.get_by_label("Bulan").fill(f"{made.month:%Y-%m}")
    phone.get_by_label("Format").select_option("xlsx")
    phone.get_by_role("button", name="Buat laporan").click()
    status = phone.locator("#report-progress")
    expect(status).to_have_attribute("data-state", "done", timeout=30_000)  # the thread built it; htmx polled
    expect(phone.get_by_role("heading", level=1)).to_contain_text(month_words(made.month))
    with phone.expect_download() as caught:
        phone.get_by_role("link", name="Unduh laporan").click()
    assert caught.value.suggested_filename == f"laporan-tks-32.01-{made.month:%Y-%m}.xlsx"
    report = Report.objects.get()
    assert report.state == ReportState.DONE and report.requested_by.username == "kab-bogor"
    assert_fits_phone(phone)
    phone.goto("/pantau/laporan/")
    expect(phone.locator(f"#report-{report.pk}")).to_contain_text("Selesai")
    assert_fits_phone(phone)
