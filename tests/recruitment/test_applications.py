"""One application: the field rules, one per NIK, documents by content, correction,
withdrawal, erasure on withdrawal of consent, verification and scores."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sukarela.core.models import AuditEvent
from sukarela.recruitment.models import Application, Document, Status
from sukarela.recruitment.services import applications
from tests.recruitment.conftest import applicant, nik_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.message_dict


def test_valid_application_is_normalised_and_audited(world, campaign):
    raw = applicant(world.village_in.code, phone="0812-3456-7890", nik="", sex="P", birth=date(1999, 1, 2))
    raw["nik"] = nik_for(world.village_in.code, date(1999, 1, 2), "P")
    app, token = applications.submit(campaign, raw)
    assert app.phone == "+6281234567890"
    assert app.nik[6:8] == "42"  # day + 40 for a woman
    assert app.consent_text.text == campaign.consent_purpose and app.consent_at
    assert app.access_digest == Application.digest_of(token) and token not in app.access_digest
    event = AuditEvent.objects.get(action="apply")
    assert event.actor is None and "*" in event.changes["nik"][1]  # NIK masked in the trail


@pytest.mark.parametrize("over, field", [
    ({"nik": "123"}, "nik"),
    ({"birth_date": "1998-05-18"}, "nik"),          # NIK says 17 May
    ({"birth_date": "31-02-2000"}, "birth_date"),
    ({"phone": "12345"}, "phone"),
    ({"domicile": "32.01.01.9999"}, "domicile"),
    ({"education_level": "SD"}, "education_level"),
    ({"full_name": ""}, "full_name"),
    ({"full_name": "x" * 151}, "full_name"),
    ({"email": "bukan-email"}, "email"),
])
def test_bad_field_is_named(world, campaign, over, field):
    raw = applicant(world.village_in.code, **over)
    assert field in _errors(lambda: applications.submit(campaign, raw))
    assert not Application.objects.exists()


def test_nik_must_agree_with_sex(world, campaign):
    raw = dict(applicant(world.village_in.code, sex="L"), sex="P")
    assert "nik" in _errors(lambda: applications.submit(campaign, raw))


def test_nik_region_must_exist(world, campaign):
    raw = applicant(world.village_in.code)
    raw["nik"] = "3299" + raw["nik"][4:]  # regency 32.99 does not exist
    assert "nik" in _errors(lambda: applications.submit(campaign, raw))


def test_consent_is_required(world, campaign):
    raw = applicant(world.village_in.code, consent="")
    assert "consent" in _errors(lambda: applications.submit(campaign, raw))


def test_one_application_per_nik_per_campaign(world, campaign):
    raw = applicant(world.village_in.code)
    applications.submit(campaign, raw)
    again = dict(raw, full_name="Orang Lain", phone="081299998888")
    assert "sudah terdaftar" in _errors(lambda: applications.submit(campaign, again))["nik"][0]
    assert Application.objects.count() == 1


def test_closed_campaign_refuses_the_public_but_not_staff(world, campaign):
    campaign.closes_on = date.today() - timedelta(days=1)
    campaign.opens_on = date.today() - timedelta(days=30)
    campaign.save()
    with pytest.raises(ValidationError):
        applications.submit(campaign, applicant(world.village_in.code))
    app, _ = applications.submit(campaign, applicant(world.village_in.code), actor=world.district)
    assert app.pk


def test_staff_entry_only_inside_their_scope(world, campaign):
    with pytest.raises(PermissionDenied):
        applications.submit(campaign, applicant(world.village_out.code), actor=world.district)
    assert not Application.objects.exists()


def test_documents_are_checked_by_content(world, campaign):
    fake = SimpleUploadedFile("ijazah.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    errors = _errors(lambda: applications.submit(campaign, applicant(world.village_in.code),
                                                 [("ijazah", fake)]))
    assert "bukan PDF, JPG atau PNG" in errors["documents"][0]
    assert not Application.objects.exists()
    png = SimpleUploadedFile("ktp.pdf", PNG, content_type="application/pdf")  # a PNG named .pdf is still a PNG
    pdf = SimpleUploadedFile("cv", PDF)
    app, _ = applications.submit(campaign, applicant(world.village_in.code), [("ktp", png), ("cv", pdf)])
    kinds = {d.kind: d.content_type for d in app.documents.all()}
    assert kinds == {"ktp": "image/png", "cv": "application/pdf"}
    assert all(d.file.name.endswith((".png", ".pdf")) for d in app.documents.all())


def test_document_size_cap(world, campaign, settings):
    settings.SUKARELA_DOCUMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("ktp.png", PNG + b"\x00" * 2000)
    assert "melebihi batas" in _errors(lambda: applications.submit(
        campaign, applicant(world.village_in.code), [("ktp", big)]))["documents"][0]


def test_correct_until_screening_closes(world, campaign, apply):
    app = apply(world.village_in.code)
    raw = applicant(world.village_in.code, nik=app.nik, birth=app.birth_date, full_name="Nama Diperbaiki")
    raw["nik"] = app.nik
    applications.correct(app, raw)
    app.refresh_from_db()
    assert app.full_name == "Nama Diperbaiki"
    assert AuditEvent.objects.filter(action="correct", target_id=str(app.pk)).exists()
    campaign.screening_closes_on = date.today() - timedelta(days=1)
    campaign.closes_on = campaign.opens_on = date.today() - timedelta(days=2)
    campaign.save()
    app.refresh_from_db()
    with pytest.raises(ValidationError, match="ditutup"):
        applications.correct(app, dict(raw, full_name="Terlambat"))


def test_erase_anonymises_and_keeps_counts(world, campaign, apply, django_capture_on_commit_callbacks):
    app = apply(world.village_in.code)
    applications.submit(campaign, applicant(world.village_in.code),
                        [("ktp", SimpleUploadedFile("ktp.png", PNG))])
    doc = Document.objects.get()
    doc_path = doc.file.path
    with_doc = doc.application
    name, nik = with_doc.full_name, with_doc.nik
    with django_capture_on_commit_callbacks(execute=True):
        applications.erase(with_doc)  # files go once the erasure has committed
    with_doc.refresh_from_db()
    assert with_doc.status == Status.ERASED
    assert (with_doc.nik, with_doc.birth_date, with_doc.phone, with_doc.email, with_doc.address) == (
        None, None, "", "", "")
    assert with_doc.full_name == "[dihapus]" and with_doc.access_digest is None
    assert not Document.objects.exists()
    import os
    assert not os.path.exists(doc_path)
    # The row stays, with its region, so counts per region are still right.
    assert Application.objects.filter(campaign=campaign, quota_region_id="32.01").count() == 2
    event = AuditEvent.objects.get(action="erase")
    assert set(event.changes["nik"]) == {"***", None}
    trail = " ".join(f"{e.target_label} {e.changes}" for e in AuditEvent.objects.all())
    assert nik not in trail and name not in trail
    # The other applicant's record is untouched.
    assert AuditEvent.objects.get(action="apply", target_id=str(app.pk)).changes["full_name"] == [None, app.full_name]
    with pytest.raises(ValidationError):
        applications.erase(with_doc)


def test_withdraw(world, campaign, apply):
    app = apply(world.village_in.code)
    applications.withdraw(app, reason="Diterima bekerja")
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN and app.nik  # data kept, unlike erasure
    assert AuditEvent.objects.get(action="withdraw").changes["reason"] == [None, "Diterima bekerja"]
    with pytest.raises(ValidationError):
        applications.withdraw(app)


def test_verify_and_scores(world, campaign, apply):
    app = apply(world.village_in.code)
    assert "admin_note" in _errors(lambda: applications.verify(world.district, app, "rejected", ""))
    applications.verify(world.district, app, "verified", "KTP dan ijazah sesuai")
    for value, ok in (("85,5", True), ("101", False), ("-1", False), ("abc", False), ("85.255", False)):
        if ok:
            applications.set_scores(world.district, app, test_score=value)
        else:
            assert "test_score" in _errors(lambda: applications.set_scores(world.district, app, test_score=value))
    applications.set_scores(world.district, app, interview_score="70")
    app.refresh_from_db()
    assert (str(app.test_score), str(app.interview_score), app.admin_status) == ("85.50", "70.00", "verified")
    with pytest.raises(PermissionDenied):
        applications.set_scores(world.district_other, app, test_score="10")
    assert [e.action for e in AuditEvent.objects.filter(target_type="recruitment.application", target_id=str(app.pk)).order_by("id")] == [
        "apply", "verify", "score", "score"]
