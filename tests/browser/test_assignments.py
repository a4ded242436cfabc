"""Assignments in the browser: an officer runs the matching for a graduated cohort, previews it
(summary per regency, the table, the map with mentors and their groups) and publishes it."""

import pytest
from playwright.sync_api import expect

from sukarela.assignments.models import Posting
from tests.assignments.conftest import BOGOR, graduated_cohort, near, placed_group
from tests.browser.test_shell import login

pytestmark = pytest.mark.browser


def test_run_preview_publish(phone, world):
    page = phone
    cohort = graduated_cohort(world, n=2, capacity=2)
    groups = [placed_group(world, at=near(BOGOR, km), name=f"Kelompok Peta {km}") for km in (1, 3)]
    # A name with markup in it: the map shows it as text, never as HTML.
    groups.append(placed_group(world, at=near(BOGOR, 5), name='Kelompok <img src=x onerror="window.__xss=1">'))
    login(page, world.district.username)
    page.goto("/penugasan/")
    row = page.locator("#cohorts tr", has_text=cohort.name)
    row.get_by_role("link", name="Jalankan pencocokan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jalankan pencocokan")
    page.get_by_label("Jarak maksimum (km)").fill("40")
    page.get_by_role("button", name="Jalankan").click()
    expect(page.locator("#run-summary")).to_contain_text("3 dari 3 kelompok")
    expect(page.locator("#changes")).to_contain_text("3 baru")
    for group in groups:
        expect(page.locator("#proposals")).to_contain_text(group.name)
    # The map draws both mentors and the three groups, offline (no tiles needed).
    expect(page.locator("#map")).to_have_attribute("data-ready", "5")
    assert page.locator("#map path.leaflet-interactive").count() >= 5
    markers = page.locator("#map path.leaflet-interactive")
    for i in range(markers.count()):  # open every tooltip, the markup-named group's among them
        markers.nth(i).dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip", has_text="onerror")).to_have_count(1)
    assert page.evaluate("window.__xss") is None and page.locator("#map img[src=x]").count() == 0
    page.get_by_role("button", name="Terbitkan penugasan").click()
    expect(page.get_by_role("status").first).to_contain_text("Diterbitkan: 3 penugasan baru")
    assert Posting.objects.filter(ends_on__isnull=True).count() == 3
    page.goto("/penugasan/riwayat/")
    for group in groups:
        expect(page.locator("#postings")).to_contain_text(group.name)
