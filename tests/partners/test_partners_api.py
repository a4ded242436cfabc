"""The partner API's own rules: duplicates as 422 on `name`, the override, masking of contacts for
officers who may not edit, filters, and 403 for a visible partner the caller may not edit."""

import json

import pytest

from sukarela.core.models import AuditEvent
from sukarela.partners.services.contacts import add_contact

pytestmark = pytest.mark.django_db


def post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_duplicate_is_422_on_name_then_override(client, partners_world):
    client.force_login(partners_world.district)
    body = {"name": "PT BPR Bogor Sejahtera", "kind": "bank", "reach": "kabupaten", "region": "32.01"}
    response = post(client, "/api/partners", body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "name"] and error["msg"].startswith("Kemungkinan duplikat: Bank Perkreditan")
    response = post(client, "/api/partners", body | {"allow_duplicate": True})
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.get(action="create_partner")
    assert "duplicate_override" in event.changes


def test_scope_and_reach_errors_name_the_field(client, partners_world):
    client.force_login(partners_world.district)
    response = post(client, "/api/partners", {"name": "Dinas X", "kind": "pemda", "reach": "kabupaten",
                                              "region": "32.02"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "region"]
    response = post(client, "/api/partners", {"name": "Dinas X", "kind": "pemda", "reach": "nasional"})
    assert response.json()["detail"][0]["loc"] == ["body", "reach"]


def test_detail_masks_contacts_unless_editable(client, partners_world):
    w = partners_world
    add_contact(w.district_other, w.serves_bogor, full_name="Asep", phone="081398765432", email="asep@tani.or.id")
    client.force_login(w.district)
    own = client.get(f"/api/partners/{w.bogor.pk}").json()
    assert own["may_edit"] and own["contacts"][0]["phone"] == "+6281311112222"
    other = client.get(f"/api/partners/{w.serves_bogor.pk}").json()
    assert not other["may_edit"]
    assert other["contacts"][0]["phone"] == "0813****5432" and other["contacts"][0]["email"] == "a***@tani.or.id"


def test_visible_but_not_editable_is_403(client, partners_world):
    w = partners_world
    client.force_login(w.district)
    before = AuditEvent.objects.count()
    assert post(client, f"/api/partners/{w.bri.pk}", {"address": "X"}, "patch").status_code == 403
    assert post(client, f"/api/partners/{w.serves_bogor.pk}/contacts",
                {"full_name": "X", "phone": "081234567890"}).status_code == 403
    assert AuditEvent.objects.count() == before


def test_list_filters(client, partners_world):
    w = partners_world
    client.force_login(w.national)

    def names(query):
        return {p["name"] for p in client.get("/api/partners" + query).json()["items"]}

    assert names("?kind=bank") == {w.bri.name, w.bogor.name}
    assert names("?reach=provinsi") == {w.jabar.name, w.ntb.name}
    assert names("?offer=pelatihan") == {w.bogor.name}
    assert names("?region=32.01") == {w.jabar.name, w.bogor.name, w.serves_bogor.name}
    assert names("?q=PT+bank+rakyat") == {w.bri.name}
    assert names("?q=politeknik") == {w.sukabumi.name}
    assert client.get("/api/partners?reach=galaksi").status_code == 422


def test_bad_values_are_422(client, partners_world):
    client.force_login(partners_world.district)
    url = f"/api/partners/{partners_world.bogor.pk}/agreements"
    response = post(client, url, {"kind": "pks", "number": "1", "starts_on": "2026-02-01", "ends_on": "2026-01-01"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "ends_on"]
    assert client.get("/api/partners/999999999").status_code == 404
    response = post(client, f"/api/partners/{partners_world.bogor.pk}/contacts", {"full_name": "A", "phone": "12"})
    assert response.json()["detail"][0]["loc"] == ["body", "phone"]
