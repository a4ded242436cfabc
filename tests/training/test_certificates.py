"""Certificates: issued at graduation as a snapshot, revoked with a reason, the PDF, the public check."""

import datetime as dt
import io
import os
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from sukarela.core import pdf_fonts
from sukarela.core.models import AuditEvent
from sukarela.training import certificate_pdf, selectors
from sukarela.training.models import CODE_ALPHABET, Certificate, Participant, ParticipantStatus
from sukarela.training.services import assessments, attendance, certificates, graduation, participants, sessions

FIRST_DAY = dt.date(2026, 9, 1)  # a Tuesday, long past by the time these tests run


def officer_of(world, cohort):
    return world.district if cohort.region_id == "32.01" else world.district_other


def graduate(world, cohort, people, scores=(88, 75, 90)) -> list[Certificate]:
    """The real path: a held session everyone attended, every module passed, graduation confirmed
    (which issues the certificates). `people` are Participants."""
    officer = officer_of(world, cohort)
    modules = list(cohort.modules.all())
    held = cohort.sessions.filter(date=FIRST_DAY).first() or sessions.add_session(
        officer, cohort, module=modules[0], date=FIRST_DAY, starts_at=dt.time(8), ends_at=dt.time(12))
    for p in people:
        attendance.mark(officer, held, p, "present")
        for module, score in zip(modules, scores):
            assessments.record_score(officer, p, module, score)
    graduation.confirm(officer, cohort, people)
    return [Certificate.objects.get(participant=p) for p in people]


def enrol(world, cohort, volunteer) -> Participant:
    return participants.enrol(officer_of(world, cohort), cohort, [volunteer])[0]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def certificate(world, cohort, enrolled):
    return graduate(world, cohort, enrolled[:1])[0]


# --- issue -------------------------------------------------------------------------
def test_issue_snapshots_what_was_completed(world, cohort, enrolled):
    first = enrolled[0]
    modules = list(cohort.modules.all())
    officer = world.district
    held = sessions.add_session(officer, cohort, module=modules[0], date=FIRST_DAY, starts_at=dt.time(8),
                                ends_at=dt.time(12))
    attendance.mark(officer, held, first, "present")
    assessments.record_score(officer, first, modules[0], 60)   # failed, then a remedial pass
    assessments.record_score(officer, first, modules[0], 82.5)
    assessments.record_score(officer, first, modules[1], 70)
    assessments.record_score(officer, first, modules[2], 95)
    graduation.confirm(officer, cohort, [first])

    c = Certificate.objects.get(participant=first)
    assert re.fullmatch(f"TKS-[{CODE_ALPHABET}]{{10}}", c.code)
    assert c.holder_name == first.volunteer.full_name
    assert (c.cohort_name, c.starts_on, c.ends_on) == (cohort.name, cohort.starts_on, cohort.ends_on)
    assert c.hours == 16 + 8 + 8
    assert c.modules == [
        {"code": "orientasi", "title": "Orientasi program", "hours": 16, "score": 82.5},
        {"code": "peran", "title": "Empat peran TKS", "hours": 8, "score": 70.0},
        {"code": "lapangan", "title": "Praktik lapangan", "hours": 8, "score": 95.0}]
    assert c.issued_by == officer and c.is_valid
    event = AuditEvent.objects.get(action="issue_certificate")
    assert event.actor == officer and event.target_id == str(c.pk)
    assert event.changes["code"] == [None, c.code]

    # What the certificate says does not move when the cohort's data does later.
    cohort.modules.filter(code="peran").update(planned_hours=40, title="Diubah")
    type(cohort).objects.filter(pk=cohort.pk).update(name="Nama baru")
    c.refresh_from_db()
    assert c.cohort_name == cohort.name and c.hours == 32 and c.modules[1]["title"] == "Empat peran TKS"


def test_issue_refuses_a_participant_who_has_not_graduated(world, cohort, enrolled):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="belum dinyatakan lulus"):
        certificates.issue(world.district, enrolled[0])
    assert not Certificate.objects.exists() and AuditEvent.objects.count() == before


def test_issue_refuses_a_second_certificate(world, certificate):
    with pytest.raises(ValidationError, match="sudah memiliki sertifikat yang berlaku"):
        certificates.issue(world.district, certificate.participant)
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_may_be_replaced_by_a_new_one(world, certificate):
    participant = certificate.participant
    assert list(selectors.graduates()) == [participant]
    certificates.revoke(world.district, certificate, "Nilai modul salah ketik")
    # Every certificate revoked: not a mentor the matching stage may post, until one is in force again.
    assert not selectors.graduates().exists()
    fresh = certificates.reissue(world.district, participant)
    assert fresh.code != certificate.code and fresh.is_valid and fresh.holder_name == certificate.holder_name
    assert fresh.modules == certificate.modules and fresh.issued_by == world.district
    event = AuditEvent.objects.get(action="reissue_certificate")
    assert event.actor == world.district and event.target_id == str(fresh.pk)
    assert event.changes["code"] == [None, fresh.code] and event.changes["replaces"] == [None, certificate.code]
    assert participant.certificate == fresh and list(selectors.graduates()) == [participant]
    with pytest.raises(ValidationError, match="sudah memiliki sertifikat yang berlaku"):
        certificates.reissue(world.district, participant)
    certificate.refresh_from_db()
    assert not certificate.is_valid and Certificate.objects.count() == 2


def test_reissue_is_only_in_place_of_a_revoked_certificate(world, cohort, enrolled, certificate):
    Participant.objects.filter(pk=enrolled[1].pk).update(status=ParticipantStatus.GRADUATED)
    for never_had_one in (enrolled[1], enrolled[2]):  # graduated (as data), and still in training
        with pytest.raises(ValidationError, match="belum pernah memiliki sertifikat"):
            certificates.reissue(world.district, never_had_one)
    certificates.revoke(world.district, certificate, "Salah nama")
    for outsider in (world.district_other, world.tks_in):
        with pytest.raises(PermissionDenied):
            certificates.reissue(outsider, certificate.participant)
    assert Certificate.objects.count() == 1 and not AuditEvent.objects.filter(action="reissue_certificate").exists()


def test_issue_needs_the_cohorts_officer(world, cohort, enrolled):
    Participant.objects.filter(pk=enrolled[0].pk).update(status=ParticipantStatus.GRADUATED)
    for outsider in (world.district_other, world.tks_in):
        with pytest.raises(PermissionDenied):
            certificates.issue(outsider, enrolled[0])
    assert not Certificate.objects.exists()
    assert certificates.issue(world.provincial, enrolled[0]).issued_by == world.provincial


def test_codes_are_unique(world, cohort, enrolled):
    made = graduate(world, cohort, enrolled)
    assert len({c.code for c in made}) == 3


# --- revoke ------------------------------------------------------------------------
def test_revoke_needs_a_reason_and_the_cohorts_officer(world, certificate):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        certificates.revoke(world.district, certificate, "   ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        certificates.revoke(world.district, certificate, "x" * 251)
    assert "reason" in refused.value.message_dict
    for outsider in (world.district_other, world.tks_in, world.provincial_other):
        with pytest.raises(PermissionDenied):
            certificates.revoke(outsider, certificate, "Data palsu")
    certificate.refresh_from_db()
    assert certificate.is_valid and AuditEvent.objects.count() == before


def test_revoke_is_recorded_once(world, certificate):
    certificates.revoke(world.district, certificate, "  Ijazah   palsu ")
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoke_reason == "Ijazah palsu"
    event = AuditEvent.objects.get(action="revoke_certificate")
    assert event.actor == world.district and event.changes["revoke_reason"] == [None, "Ijazah palsu"]
    with pytest.raises(ValidationError, match="sudah dicabut"):
        certificates.revoke(world.district, certificate, "lagi")
    assert AuditEvent.objects.filter(action="revoke_certificate").count() == 1


# --- looking a code up ---------------------------------------------------------------
@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {spaced} ", "{bare}", "tks {bare_lower}", "TKS--{bare}"])
def test_codes_are_found_whatever_the_case_spaces_and_hyphens(certificate, typed):
    code = certificate.code
    bare = code[4:]
    text = typed.format(code=code, lower=code.lower(), spaced=" ".join(bare[i:i + 2] for i in range(0, 10, 2)),
                        bare=bare, bare_lower=bare.lower())
    assert certificates.find(text) == certificate


@override_settings(SUKARELA_PUBLIC_POSTS_PER_HOUR=3)
def test_misses_are_limited_per_address_but_hits_never(certificate):
    for _ in range(5):
        assert certificates.find(certificate.code, client="10.0.0.1") == certificate
    for _ in range(3):
        assert certificates.find("TKS-AAAAAAAAAA", client="10.0.0.1") is None
    with pytest.raises(certificates.TooManyLookups):  # the fourth miss
        certificates.find("TKS-AAAAAAAAAB", client="10.0.0.1")
    # A real code is still answered from that address: an employer checking many is never stopped.
    assert certificates.find(certificate.code, client="10.0.0.1") == certificate
    assert certificates.find("TKS-AAAAAAAAAA", client="10.0.0.2") is None


# --- the PDF -----------------------------------------------------------------------
def test_pdf_says_who_what_and_where_to_check(certificate):
    url = certificate_pdf.verify_url(certificate)
    assert url.endswith(f"/sertifikat/{certificate.code}/") and url.startswith("http")
    content = certificate_pdf.render(certificate, url)
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height), "A4 landscape"
    text = pdf_text(content)
    for expected in ("SERTIFIKAT", "Kementerian Ketenagakerjaan Republik Indonesia",
                     "Pelatihan Tenaga Kerja Sukarela (TKS)", certificate.holder_name, certificate.code,
                     certificate.cohort_name, "32 jam", "Orientasi program", "Empat peran TKS", "Praktik lapangan",
                     "1 September 2026", "88,00"):
        assert expected in text, expected
    assert url in re.sub(r"\s+", "", text), "the verification address is printed under the QR code"
    assert certificate_pdf.render(certificate, url) == content, "the same certificate gives the same file"


def test_pdf_prints_names_beyond_latin1(world, cohort, make_tks):
    if not (pdf_fonts.DEJAVU / "DejaVuSans.ttf").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("DejaVu Sans is missing in CI: install the Debian package fonts-dejavu-core")
        pytest.skip("DejaVu Sans not installed (apt-get install fonts-dejavu-core); CI runs this test")
    person = enrol(world, cohort, make_tks(full_name="Ni Luh Ayu Kadek Śrī Wahyuni Đặng"))
    c = graduate(world, cohort, [person])[0]
    assert c.holder_name in pdf_text(certificate_pdf.render(c, certificate_pdf.verify_url(c)))


def test_pdf_of_a_revoked_certificate_is_refused(world, certificate):
    certificates.revoke(world.district, certificate, "Data palsu")
    certificate.refresh_from_db()
    with pytest.raises(certificate_pdf.RevokedCertificate):
        certificate_pdf.render(certificate, certificate_pdf.verify_url(certificate))


# --- pages ---------------------------------------------------------------------------
def test_graduate_downloads_their_pdf_and_others_cannot(client, world, cohort):
    c = graduate(world, cohort, [enrol(world, cohort, world.tks_in)])[0]
    client.force_login(world.tks_in)
    response = client.get(reverse("training:certificate_pdf", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"sertifikat-{c.code}.pdf" in response["Content-Disposition"]
    assert world.tks_in.full_name in pdf_text(response.content)
    client.force_login(world.tks_out)
    assert client.get(reverse("training:certificate_pdf", args=[c.pk])).status_code == 404


def test_revoked_pdf_answers_410_with_the_reason(client, world, certificate):
    certificates.revoke(world.district, certificate, "Data palsu")
    client.force_login(world.district)
    response = client.get(reverse("training:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "telah dicabut" in body and "Data palsu" in body


def test_revoke_page_without_reason_changes_nothing(client, world, certificate):
    client.force_login(world.district)
    response = client.post(reverse("training:certificate_revoke", args=[certificate.pk]), {"reason": ""},
                           follow=True)
    assert "Alasan pencabutan" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid and not AuditEvent.objects.filter(action="revoke_certificate").exists()


def test_public_check_valid(client, certificate):
    response = client.get(reverse("training:verify_code", args=[certificate.code.lower()]))
    assert response.status_code == 200 and response["X-Robots-Tag"].startswith("noindex")
    body = response.content.decode()
    assert 'data-verdict="valid"' in body and "Sertifikat SAH" in body
    for expected in (certificate.holder_name, certificate.cohort_name, "1 September 2026", "<dd>32</dd>",
                     "Orientasi program", certificate.code):
        assert expected in body, expected


def test_public_check_unknown(client, certificate):
    response = client.get(reverse("training:verify_code", args=["TKS-AAAAAAAAAA"]))
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-verdict="unknown"' in body and "Kode sertifikat tidak ditemukan" in body
    assert certificate.holder_name not in body


def test_public_check_revoked(client, world, certificate):
    certificates.revoke(world.district, certificate, "Data kelulusan tidak benar")
    certificate.refresh_from_db()
    response = client.get(reverse("training:verify_code", args=[certificate.code]))
    assert response.status_code == 200
    body = response.content.decode()
    when = certificate.revoked_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    assert 'data-verdict="revoked"' in body and "Sertifikat SAH" not in body
    assert f"Sertifikat ini telah DICABUT pada {when.day} " in body and certificate.code in body
    # Only that it was revoked and when: not the officer's words, nor what the certificate said.
    for hidden in ("Data kelulusan tidak benar", "Alasan", certificate.holder_name, "Orientasi program", "88,00"):
        assert hidden not in body, hidden


def test_holder_and_officers_still_see_the_reason(client, world, certificate):
    certificates.revoke(world.district, certificate, "Data kelulusan tidak benar")
    client.force_login(certificate.participant.volunteer)
    assert "Data kelulusan tidak benar" in client.get(reverse("training:my_training")).content.decode()
    client.force_login(world.district)
    body = client.get(reverse("training:certificate_list", args=[certificate.participant.cohort_id])).content.decode()
    assert "Data kelulusan tidak benar" in body
    data = client.get(f"/api/training/cohorts/{certificate.participant.cohort_id}/certificates").json()
    assert data["items"][0]["reason"] == "Data kelulusan tidak benar"


def test_public_form_sends_to_the_code(client, certificate):
    assert client.get(reverse("training:verify")).status_code == 200
    response = client.get(reverse("training:verify"), {"code": " " + certificate.code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == reverse("training:verify_code", args=[certificate.code])
    empty = client.get(reverse("training:verify"), {"code": "  -- "})
    assert empty.status_code == 200 and "Isi kode" in empty.content.decode()


@override_settings(SUKARELA_PUBLIC_POSTS_PER_HOUR=2)
def test_public_check_is_throttled(client, certificate):
    for n in range(2):
        assert client.get(reverse("training:verify_code", args=[f"TKS-AAAAAAAAA{n + 2}"])).status_code == 404
    assert client.get(reverse("training:verify_code", args=["TKS-AAAAAAAAA4"])).status_code == 429
    assert client.get("/api/training/certificates/verify/TKS-AAAAAAAAA5").status_code == 429
    # Past the limit, a real code is still answered, page and API.
    assert client.get(reverse("training:verify_code", args=[certificate.code])).status_code == 200
    assert client.get(f"/api/training/certificates/verify/{certificate.code}").json()["valid"] is True


# --- API ---------------------------------------------------------------------------
def test_api_check(client, world, certificate):
    response = client.get(f"/api/training/certificates/verify/{certificate.code.lower()}")
    assert response.status_code == 200
    data = response.json()
    assert (data["valid"], data["revoked"], data["holder_name"], data["cohort"]) == (
        True, False, certificate.holder_name, certificate.cohort_name)
    assert (data["starts_on"], data["ends_on"], float(data["hours"])) == ("2026-09-01", "2027-01-31", 32.0)
    assert data["revoked_at"] is None and data["issued_at"] and "reason" not in data
    assert [m["code"] for m in data["modules"]] == ["orientasi", "peran", "lapangan"]
    missing = client.get("/api/training/certificates/verify/TKS-AAAAAAAAAA")
    assert missing.status_code == 404 and "tidak ditemukan" in missing.json()["detail"]
    certificates.revoke(world.district, certificate, "Data palsu")
    response = client.get(f"/api/training/certificates/verify/{certificate.code}")
    data = response.json()
    assert response.status_code == 200 and (data["code"], data["valid"], data["revoked"]) == (
        certificate.code, False, True) and data["revoked_at"]
    assert "Data palsu" not in response.content.decode() and certificate.holder_name not in response.content.decode()
    assert {k for k, v in data.items() if v is not None} == {"code", "valid", "revoked", "revoked_at"}


# --- my training -------------------------------------------------------------------
def test_my_training_shows_progress_and_the_certificate(client, world, cohort):
    c = graduate(world, cohort, [enrol(world, cohort, world.tks_in)])[0]
    client.force_login(world.tks_in)
    body = client.get(reverse("training:my_training")).content.decode()
    assert cohort.name in body and "Lulus" in body and "100,0%" in body
    assert reverse("training:certificate_pdf", args=[c.pk]) in body and c.code in body
    assert "88,00" in body


def test_my_training_lists_unmet_rules_while_training(client, world, cohort):
    enrol(world, cohort, world.tks_in)
    client.force_login(world.tks_in)
    body = client.get(reverse("training:my_training")).content.decode()
    assert "belum dinilai" in body and "Unduh sertifikat" not in body


def test_my_training_is_for_tks(client, world):
    client.force_login(world.district)
    assert client.get(reverse("training:my_training")).status_code == 403
    client.force_login(world.tks_out)
    assert "belum terdaftar" in client.get(reverse("training:my_training")).content.decode()


def test_erasing_the_holders_data_revokes_and_blanks_the_certificate(client, world, certificate):
    from sukarela.recruitment.models import Application
    from sukarela.recruitment.services import applications
    from tests.recruitment.conftest import applicant

    holder = certificate.participant.volunteer
    name = holder.full_name
    app, _token = applications.submit(certificate.participant.cohort.campaign, applicant(world.village_in.code))
    Application.objects.filter(pk=app.pk).update(volunteer=holder)
    applications.erase(Application.objects.get(pk=app.pk))
    certificate.refresh_from_db()
    assert certificate.holder_name == "[dihapus]" and not certificate.is_valid
    body = client.get(reverse("training:verify_code", args=[certificate.code])).content.decode()
    assert "DICABUT" in body and name not in body
    trail = AuditEvent.objects.filter(target_type="training.certificate", target_id=str(certificate.pk))
    assert trail.exists() and all(name not in str(e.changes) + e.target_label for e in trail)
    # The trail keeps that the erasure revoked it, and when.
    event = trail.get(action="revoke_certificate_on_erasure")
    assert event.changes == {"revoked_at": [None, certificate.revoked_at.isoformat()]}
    assert event.actor is None and event.target_label == f"[dihapus] ({certificate.code})"


def test_erasure_leaves_an_already_revoked_certificate_as_it_was(world, certificate):
    from sukarela.core.signals import account_erased

    certificates.revoke(world.district, certificate, "Data palsu")
    account_erased.send(sender=type(world.district), user=certificate.participant.volunteer, label="[dihapus]")
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Data palsu" and certificate.holder_name == "[dihapus]"
    assert not AuditEvent.objects.filter(action="revoke_certificate_on_erasure").exists()


def test_an_erased_holder_gets_no_new_certificate(world, certificate):
    from sukarela.core.models import User
    from sukarela.core.signals import account_erased

    holder = certificate.participant.volunteer
    User.objects.filter(pk=holder.pk).update(full_name="[dihapus]", email="", phone="", is_active=False)
    account_erased.send(sender=User, user=holder, label="[dihapus]")
    with pytest.raises(ValidationError, match="tidak aktif lagi"):
        certificates.reissue(world.district, certificate.participant)
    assert Certificate.objects.count() == 1
