"""Attendance on a phone: the trainer marks with one tap per participant (the row swaps in
place, no page load), and a TKS checks in with the session's code."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sukarela.core.roles import Role
from sukarela.training.models import Attendance
from sukarela.training.services import participants, sessions
from tests.browser.test_shell import assert_fits_phone, login, settled
from tests.conftest import make_user
from tests.training import conftest as training
from tests.training.conftest import START, make_cohort
from tests.training.test_attendance_routes import session_now

pytestmark = pytest.mark.browser

# The training fixtures (a campaign, a curriculum, TKS accounts) live beside the training tests.
campaign, curriculum, make_tks = training.campaign, training.curriculum, training.make_tks


@pytest.fixture
def taught(world, curriculum, campaign, make_tks):
    """A cohort in Kab. Bogor with three TKS and a session taught by `pelatih-bogor`."""
    cohort = make_cohort(world, curriculum, campaign)
    trainer = make_user("pelatih-bogor", Role.TRAINER, "32.01", full_name="Pelatih Bogor")
    people = participants.enrol(world.district, cohort, [world.tks_in, make_tks(), make_tks()])
    session = sessions.add_session(world.district, cohort, module=cohort.modules.first(), date=START,
                                   starts_at=dt.time(8), ends_at=dt.time(12), trainer=trainer)
    return session, people


def test_trainer_marks_with_one_tap_per_participant(phone, world, taught):
    session, people = taught
    login(phone, "pelatih-bogor")
    phone.goto(f"/pelatihan/sesi/{session.pk}/presensi/")
    expect(phone.locator("#checkin-code")).to_have_text(session.check_in_code)
    assert_fits_phone(phone)
    phone.evaluate("window.notReloaded = true")  # gone if the tap loaded a new page
    first, second = (phone.locator(f"#p-{p.pk}") for p in people[:2])
    first.get_by_role("button", name="Hadir").click()
    settled(phone)
    expect(phone.locator(f"#p-{people[0].pk}").get_by_role("button", name="Hadir")).to_have_attribute(
        "aria-pressed", "true")
    second.get_by_role("button", name="Alpa").click()
    settled(phone)
    expect(phone.locator(f"#p-{people[1].pk}").get_by_role("button", name="Alpa")).to_have_attribute(
        "aria-pressed", "true")
    expect(phone.locator(f"#p-{people[1].pk}").get_by_role("button", name="Hadir")).to_have_attribute(
        "aria-pressed", "false")
    expect(phone.locator("#att-counts .count-present strong")).to_have_text("1")
    expect(phone.locator("#att-counts .count-absent strong")).to_have_text("1")
    assert phone.evaluate("window.notReloaded") is True
    assert dict(Attendance.objects.filter(session=session).values_list("participant_id", "mark")) == {
        people[0].pk: "present", people[1].pk: "absent"}
    assert_fits_phone(phone)
    # The rest are here: one button marks everyone not yet marked.
    phone.get_by_role("button", name="Tandai hadir semua yang belum dicatat").click()
    expect(phone.locator(f"#p-{people[2].pk}").get_by_role("button", name="Hadir")).to_have_attribute(
        "aria-pressed", "true")
    assert Attendance.objects.get(session=session, participant=people[2]).mark == "present"


def test_tks_checks_in_with_the_code(phone, world, taught):
    session, _people = taught
    session = session_now(session)
    login(phone, "tks-bogor")
    phone.goto("/pelatihan/presensi-mandiri/")
    assert_fits_phone(phone)
    phone.get_by_label("Kode presensi").fill(f"{session.check_in_code[:3].lower()} {session.check_in_code[3:]}")
    phone.get_by_role("button", name="Saya hadir").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Presensi tercatat")
    expect(phone.locator(".checkin-mark")).to_have_text("Hadir")
    expect(phone.locator(".checkin-done")).to_contain_text(session.module.title)
    expect(phone.locator(".checkin-done")).to_contain_text("WIB")  # Kab. Bogor's clock
    assert_fits_phone(phone)
    row = Attendance.objects.get(session=session)
    assert (row.participant.volunteer, row.mark, row.source) == (world.tks_in, "present", "self")
    # A wrong code says so on the form and stores nothing more.
    phone.goto("/pelatihan/presensi-mandiri/")
    phone.get_by_label("Kode presensi").fill("SALAH1")
    phone.get_by_role("button", name="Saya hadir").click()
    expect(phone.locator(".errors")).to_contain_text("Kode presensi salah")
    assert Attendance.objects.count() == 1
