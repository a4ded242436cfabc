"""A district officer on a 360-px phone filters the visits by flag, opens the far one, returns it
to its TKS with a comment and sees the status change."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sukarela.core.roles import Role
from sukarela.mentoring.models import ReviewStatus, Visit
from tests.browser.test_shell import assert_fits_phone, login
from tests.conftest import make_user
from tests.mentoring.conftest import field_group, post
from tests.mentoring.test_review import make_visit

pytestmark = pytest.mark.browser


@pytest.fixture
def visits(world):
    tks = make_user("tks-ditinjau", Role.TKS, world.village_in.code, full_name="Sari Pendamping")
    far_group, near_group = field_group(world, members=1), field_group(world, members=1)
    for g in (far_group, near_group):
        post(g, tks)
    now = timezone.now()
    far = make_visit(tks, far_group, now - dt.timedelta(hours=3), flags=["jauh"], km_from_group=7.4,
                     tasks=["kemitraan"], details={"kemitraan": {"partner": "Bank Desa", "outcome": "dihubungi"}})
    near = make_visit(tks, near_group, now - dt.timedelta(hours=1))
    return far, near


def test_officer_returns_a_far_visit_with_a_comment_on_a_phone(phone, world, visits):
    far, near = visits
    login(phone, "kab-bogor")
    phone.goto("/kunjungan/")
    rows = phone.locator("#visit-list tbody tr")
    expect(rows).to_have_count(2)
    assert_fits_phone(phone)

    phone.get_by_text("Saring kunjungan").click()
    phone.get_by_label("Tanda").select_option("jauh")
    phone.get_by_role("button", name="Saring", exact=True).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(far.group.name)
    expect(phone.locator("#visit-list")).not_to_contain_text(near.group.name)
    assert_fits_phone(phone)

    rows.first.get_by_role("link").first.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(far.group.name)
    expect(phone.locator("#visit-flags")).to_contain_text("7,4 km")
    expect(phone.locator("#visit-tasks")).to_contain_text("Bank Desa")
    expect(phone.locator("#visit-status")).to_contain_text("Diajukan")
    assert_fits_phone(phone)

    # Returning with no comment is refused on the page, naming what is missing.
    phone.get_by_role("button", name="Kembalikan ke TKS").click()
    expect(phone.locator("#return-form .errors")).to_contain_text("Tulis komentar")
    phone.get_by_label("Komentar untuk TKS").fill("Titik GPS 7 km dari kelompok: mohon jelaskan lokasinya.")
    phone.get_by_role("button", name="Kembalikan ke TKS").click()

    expect(phone.locator("#visit-status")).to_contain_text("Dikembalikan")
    expect(phone.locator("#review-comment")).to_contain_text("mohon jelaskan lokasinya")
    expect(phone.locator("#visit-history")).to_contain_text("dikembalikan")
    expect(phone.get_by_role("button", name="Kembalikan ke TKS")).to_have_count(0)
    assert_fits_phone(phone)
    stored = Visit.objects.get(pk=far.pk)
    assert stored.status == ReviewStatus.RETURNED and stored.reviewed_by == world.district
