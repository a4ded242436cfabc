"""Agreements: number unique per partner and kind, end on or after start, the PDF told by its bytes
and served only as a sandboxed download in scope, and the expiry window (both ends) with a fixed day."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Agreement, AgreementStatus
from sukarela.partners.selectors.agreements import expiring
from sukarela.partners.selectors.listing import Filters, partner_list
from sukarela.partners.services.agreements import add_agreement, attach_document, update_agreement

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SUKARELA_AGREEMENT_WARN_DAYS = 90


def agreement(partner, ends_on, status=AgreementStatus.ACTIVE, number=None, **kw):
    return Agreement.objects.create(partner=partner, kind=kw.pop("kind", "pks"), number=number or f"PKS/{ends_on}",
                                    starts_on=kw.pop("starts_on", dt.date(2025, 1, 1)), ends_on=ends_on,
                                    status=status, **kw)


def test_add_and_audit(partners_world):
    a = add_agreement(partners_world.district, partners_world.bogor, kind="mou", number="MOU/01/2026",
                      title="Pelatihan", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 1, 1),
                      status="berlaku", document=SimpleUploadedFile("mou.pdf", PDF))
    assert a.document.name.endswith(".pdf")
    event = AuditEvent.objects.get(action="add_agreement")
    assert event.changes["number"] == [None, "MOU/01/2026"] and event.changes["document"][1] == a.document.name


@pytest.mark.parametrize("kw, field", [
    ({"ends_on": dt.date(2025, 12, 31)}, "ends_on"),
    ({"kind": "kontrak"}, "kind"),
    ({"number": ""}, "number"),
    ({"starts_on": None}, "starts_on"),
    ({"status": "aktif"}, "status"),
])
def test_add_refused(partners_world, kw, field):
    values = {"kind": "pks", "number": "PKS/1", "starts_on": dt.date(2026, 1, 1)} | kw
    with pytest.raises(ValidationError) as caught:
        add_agreement(partners_world.district, partners_world.bogor, **values)
    assert field in caught.value.message_dict


def test_number_unique_per_partner_and_kind(partners_world):
    w = partners_world
    add_agreement(w.district, w.bogor, kind="pks", number="PKS/7", starts_on=TODAY)
    with pytest.raises(ValidationError) as caught:
        add_agreement(w.district, w.bogor, kind="pks", number="pks/7", starts_on=TODAY)
    assert "number" in caught.value.message_dict
    assert add_agreement(w.district, w.bogor, kind="mou", number="PKS/7", starts_on=TODAY).pk  # another kind
    assert add_agreement(w.national, w.bri, kind="pks", number="PKS/7", starts_on=TODAY).pk  # another partner


def test_only_editors(partners_world):
    with pytest.raises(PermissionDenied):
        add_agreement(partners_world.district, partners_world.bri, kind="pks", number="1", starts_on=TODAY)


def test_document_must_be_a_pdf_by_its_bytes(partners_world, settings):
    a = agreement(partners_world.bogor, TODAY)
    with pytest.raises(ValidationError) as caught:
        attach_document(partners_world.district, a, SimpleUploadedFile("scan.pdf", PNG))
    assert "bukan PDF" in caught.value.message_dict["document"][0]
    settings.SUKARELA_AGREEMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        attach_document(partners_world.district, a, SimpleUploadedFile("big.pdf", PDF + b" " * 200))
    settings.SUKARELA_AGREEMENT_MAX_BYTES = 5 * 1024 * 1024
    attach_document(partners_world.district, a, SimpleUploadedFile("ok.pdf", PDF))
    assert AuditEvent.objects.filter(action="attach_agreement_document").count() == 1


def test_document_download_is_sandboxed_and_scoped(client, partners_world):
    w = partners_world
    a = agreement(w.bogor, TODAY)
    attach_document(w.district, a, SimpleUploadedFile("<script>.pdf", PDF))
    url = reverse("partners:agreement_document", args=[w.bogor.pk, a.pk])
    client.force_login(w.district)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    client.force_login(w.district_other)
    assert client.get(url).status_code == 404


def test_expiry_window_boundaries(partners_world):
    w = partners_world
    inside_last = agreement(w.bogor, TODAY + dt.timedelta(days=90))
    outside = agreement(w.bogor, TODAY + dt.timedelta(days=91))
    today = agreement(w.bogor, TODAY)
    overdue = agreement(w.bogor, TODAY - dt.timedelta(days=10))
    agreement(w.bogor, TODAY + dt.timedelta(days=5), status=AgreementStatus.DRAFT, number="draf")
    agreement(w.bogor, TODAY - dt.timedelta(days=5), status=AgreementStatus.ENDED, number="ended")
    agreement(w.bogor, TODAY + dt.timedelta(days=5), status=AgreementStatus.TERMINATED, number="putus")
    agreement(w.bogor, None, number="open-ended")
    rows = expiring(w.district, TODAY)
    assert [a.pk for a in rows] == [overdue.pk, today.pk, inside_last.pk]
    assert [a.days_left for a in rows] == [-10, 0, 90]
    assert outside.pk not in {a.pk for a in expiring(w.district, TODAY)}
    assert [a.pk for a in expiring(w.district, TODAY, days=0)] == [overdue.pk, today.pk]
    assert rows[0].may_edit


def test_expiring_is_scoped_and_badged(partners_world):
    w = partners_world
    agreement(w.sukabumi, TODAY + dt.timedelta(days=3))
    agreement(w.bogor, TODAY + dt.timedelta(days=3))
    assert [a.partner for a in expiring(w.district, TODAY)] == [w.bogor]
    flagged = {p.name for p in partner_list(w.district, Filters(expiring=True), TODAY)}
    assert flagged == {w.bogor.name}
    badges = {p.name: p.expiring_soon for p in partner_list(w.district, Filters(), TODAY)}
    assert badges[w.bogor.name] and not badges[w.bri.name]


def test_update_and_status(partners_world):
    a = agreement(partners_world.bogor, TODAY)
    update_agreement(partners_world.district, a, status=AgreementStatus.ENDED)
    event = AuditEvent.objects.get(action="update_agreement")
    assert event.changes == {"status": ["berlaku", "berakhir"]}
    with pytest.raises(ValidationError):
        update_agreement(partners_world.district, a, ends_on=dt.date(2024, 1, 1))


def test_command_lists_flagged_agreements(partners_world):
    import django.utils.timezone as tz

    w = partners_world
    today = tz.localdate()
    agreement(w.bogor, today + dt.timedelta(days=30), number="PKS/SOON")
    agreement(w.ntb, today - dt.timedelta(days=2), number="PKS/LATE")
    agreement(w.bogor, today + dt.timedelta(days=200), number="PKS/LATER")
    out, err = io.StringIO(), io.StringIO()
    call_command("agreements-expiring", stdout=out, stderr=err)
    text = out.getvalue()
    assert "PKS/SOON" in text and "ends in 30 days" in text and "PKS/LATE" in text and "ended 2 days ago" in text
    assert "PKS/LATER" not in text and "2 agreement(s)" in err.getvalue()
    out = io.StringIO()
    call_command("agreements-expiring", "--days", "365", "--region", "32", stdout=out, stderr=io.StringIO())
    assert "PKS/LATER" in out.getvalue() and "PKS/LATE\t" not in out.getvalue()


def test_only_officers_who_may_edit_the_partner_download_its_documents(client, partners_world):
    """A PKS of national BRI: the NTB provincial officer and Bogor's district officer see BRI and that
    the PKS has a document, but only national officers (BRI's editors) get the file."""
    w = partners_world
    a = add_agreement(w.national, w.bri, kind="pks", number="PKS-1/BOGOR", starts_on=dt.date(2025, 1, 1),
                      document=SimpleUploadedFile("pks.pdf", PDF))
    url = reverse("partners:agreement_document", args=[w.bri.pk, a.pk])
    page = reverse("partners:partner_detail", args=[w.bri.pk])
    for officer in (w.provincial_other, w.district, w.provincial):
        client.force_login(officer)
        assert client.get(url).status_code == 404, officer
        html = client.get(page).content.decode()
        assert "PKS-1/BOGOR" in html and "Ada (hanya untuk kantor pengelola mitra)" in html and url not in html
    client.force_login(w.national)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert url in client.get(page).content.decode()
    # A provincial partner of NTB: its provincial officer edits it and downloads; Jawa Barat's does not see it.
    b = add_agreement(w.provincial_other, w.ntb, kind="mou", number="MOU-NTB", starts_on=dt.date(2025, 1, 1),
                      document=SimpleUploadedFile("mou.pdf", PDF))
    url = reverse("partners:agreement_document", args=[w.ntb.pk, b.pk])
    client.force_login(w.provincial_other)
    assert client.get(url).status_code == 200
    client.force_login(w.provincial)
    assert client.get(url).status_code == 404
