"""An alumnus on a phone: the tracer survey's link from the e-mail, the short form, thanks; the same
link a second time says it is used."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sukarela.alumni.models import Outcome, Source
from sukarela.alumni.services import surveys
from tests.alumni.conftest import alumnus
from tests.browser.test_shell import assert_fits_phone

pytestmark = pytest.mark.browser


def test_alumnus_answers_the_survey_from_the_mail_on_a_phone(phone, world, mailoutbox):
    today = timezone.localdate()
    record = alumnus(world, ended=surveys.add_months(today, -6), name="Dewi Alumna")
    run = surveys.send_due(None, today)
    assert run.sent == [(record.pk, 6)]
    assert [m.to for m in mailoutbox] == [[record.tks.email]]
    link = re.search(r"https?://\S+/alumni/survei/[\w-]+/", mailoutbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    response = phone.goto(path)
    assert response.status == 200
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Survei penelusuran alumni TKS")
    expect(phone.locator("main")).not_to_contain_text("Dewi")
    assert_fits_phone(phone)
    # Without the organisation and the jobs the form says which field is missing.
    phone.get_by_label("Berusaha sendiri").check()
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone.locator(".field.has-error")).to_have_count(2)
    expect(phone.locator("main")).to_contain_text("Sebutkan tempat kerja")
    assert_fits_phone(phone)
    phone.get_by_label("Tempat kerja / nama usaha / inkubator / kampus").fill("Keripik Dewi")
    phone.get_by_label("Jumlah orang lain yang bekerja di usaha atau inkubator Anda").fill("3")
    phone.get_by_label("Catatan").fill("Dijual di pasar kecamatan")
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    assert_fits_phone(phone)
    outcome = Outcome.objects.get(alumni=record)
    assert (outcome.status, outcome.organisation, outcome.jobs_created, outcome.source) == (
        "usaha", "Keripik Dewi", 3, Source.SURVEY)

    # The same link again: used, and the page names nobody.
    response = phone.goto(path)
    assert response.status == 410
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tautan survei tidak berlaku")
    expect(phone.locator("main")).not_to_contain_text("Dewi")
    assert_fits_phone(phone)
