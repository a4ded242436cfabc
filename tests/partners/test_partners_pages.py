"""The partner pages: the list's filters and badge, the form's duplicate warning and override, the
detail's masking and the linkages section guard, contacts and agreements through the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.partners.models import Agreement, AgreementStatus, Partner
from sukarela.partners.services.contacts import add_contact

pytestmark = pytest.mark.django_db


def test_list_filters_and_badge(client, partners_world):
    w = partners_world
    Agreement.objects.create(partner=w.bogor, kind="pks", number="1", starts_on=dt.date(2025, 1, 1),
                             ends_on=dt.date.today() + dt.timedelta(days=20), status=AgreementStatus.ACTIVE)
    client.force_login(w.district)
    body = client.get(reverse("partners:partner_list")).content.decode()
    assert w.bogor.name in body and w.bri.name in body and w.ntb.name not in body
    assert body.count("badge-expiring") == 1
    body = client.get(reverse("partners:partner_list") + "?kind=bank&reach=kabupaten").content.decode()
    assert w.bogor.name in body and w.bri.name not in body
    body = client.get(reverse("partners:partner_list") + "?expiring=on").content.decode()
    assert w.bogor.name in body and w.serves_bogor.name not in body


def test_form_warns_of_duplicate_then_accepts_override(client, partners_world):
    w = partners_world
    client.force_login(w.district)
    form = {"name": "BPR Bogor Sejahtera", "kind": "bank", "reach": "kabupaten", "region": "32.01", "active": "on"}
    response = client.post(reverse("partners:partner_create"), form)
    assert response.status_code == 200
    assert "Kemungkinan duplikat: Bank Perkreditan Rakyat Bogor Sejahtera, Kabupaten Bogor" in \
        response.content.decode()
    assert not Partner.objects.filter(name="BPR Bogor Sejahtera").exists()
    response = client.post(reverse("partners:partner_create"), form | {"allow_duplicate": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="create_partner").changes["duplicate_override"]


def test_form_offers_only_allowed_reaches(client, world):
    client.force_login(world.district)
    body = client.get(reverse("partners:partner_create")).content.decode()
    assert 'value="kabupaten"' in body and 'value="nasional"' not in body


def test_detail_masks_contacts_of_partners_not_editable(client, partners_world):
    w = partners_world
    add_contact(w.district_other, w.serves_bogor, full_name="Asep", phone="081398765432", email="asep@tani.or.id")
    client.force_login(w.district)
    body = client.get(reverse("partners:partner_detail", args=[w.serves_bogor.pk])).content.decode()
    assert "0813****5432" in body and "081398765432" not in body and "+6281398765432" not in body
    assert reverse("partners:partner_edit", args=[w.serves_bogor.pk]) not in body
    body = client.get(reverse("partners:partner_detail", args=[w.bogor.pk])).content.decode()
    assert "+6281311112222" in body and reverse("partners:partner_edit", args=[w.bogor.pk]) in body
    client.force_login(w.district_other)
    body = client.get(reverse("partners:partner_detail", args=[w.serves_bogor.pk])).content.decode()
    assert "+6281398765432" in body


def test_edit_of_visible_partner_not_editable_is_403(client, partners_world):
    client.force_login(partners_world.district)
    assert client.get(reverse("partners:partner_edit", args=[partners_world.bri.pk])).status_code == 403


def test_contact_errors_come_back_as_a_message(client, partners_world):
    client.force_login(partners_world.district)
    response = client.post(reverse("partners:contact_add", args=[partners_world.bogor.pk]),
                           {"full_name": "Budi", "phone": "12"}, follow=True)
    assert "Nomor telepon tidak valid" in response.content.decode()


def test_agreement_pages(client, partners_world):
    w = partners_world
    client.force_login(w.district)
    response = client.post(reverse("partners:agreement_add", args=[w.bogor.pk]),
                           {"kind": "pks", "number": "PKS/9", "starts_on": "2026-02-01", "ends_on": "2026-01-01",
                            "status": "berlaku"})
    assert response.status_code == 200 and "tidak boleh sebelum" in response.content.decode()
    a = Agreement.objects.create(partner=w.bogor, kind="pks", number="PKS/10", starts_on=dt.date.today(),
                                 ends_on=dt.date.today(), status=AgreementStatus.ACTIVE)
    body = client.get(reverse("partners:agreement_expiring")).content.decode()
    assert "PKS/10" in body and "berakhir hari ini" in body
    body = client.get(reverse("partners:agreement_edit", args=[w.bogor.pk, a.pk])).content.decode()
    assert reverse("partners:agreement_upload", args=[w.bogor.pk, a.pk]) in body


def test_linkages_section_is_included_only_when_provided(client, partners_world, monkeypatch):
    from sukarela.partners.views import partners as views

    client.force_login(partners_world.district)
    monkeypatch.setattr(views, "_linkages_section", lambda user, partner: None)
    response = client.get(reverse("partners:partner_detail", args=[partners_world.bogor.pk]))
    assert "partners/_partner_linkages.html" not in [t.name for t in response.templates]


def test_navigation_points_at_the_list(client, world):
    from sukarela.core.navigation import BY_SLUG

    assert BY_SLUG["mitra"].url == reverse("partners:partner_list")
