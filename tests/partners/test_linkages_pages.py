"""Linkage pages and API beyond the scope harness: filters, moving status by form and API (the
refusal's message on the field), creating from a visit's review page, and the linkage sections of
the partner and group pages."""

import json

from django.urls import reverse

from sukarela.partners.models import Linkage
from tests.conftest import make_user
from tests.partners.conftest import partner
from tests.partners.test_linkages import group_in, linked, make_centre, make_visit


def setup(world):
    world.tks = make_user("tks-halaman", "tks", world.village_in.code, full_name="Rina Pendamping")
    world.group = group_in(world, world.tks)
    world.bpr = partner(world, name="BPR Halaman Uji", region="32.01")
    return world


def test_list_filters_and_tks_sees_only_theirs(world, client):
    w = setup(world)
    loan = linked(w, group=w.group, partner_obj=w.bpr, broker=w.tks)
    training = linked(w, purpose="pelatihan", status="dihubungi")
    client.force_login(w.district)
    url = reverse("partners:linkage_list")
    body = client.get(url, {"purpose": "pelatihan"}).content.decode()
    assert training.group.name in body and loan.group.name not in body
    body = client.get(url, {"broker": "tks-halaman"}).content.decode()
    assert loan.group.name in body and training.group.name not in body
    body = client.get(url, {"partner_kind": "bank", "status": "diusulkan", "region": "32.01"}).content.decode()
    assert loan.group.name in body and training.group.name not in body
    client.force_login(w.tks)
    body = client.get(url).content.decode()
    assert loan.group.name in body and training.group.name not in body
    assert client.get(reverse("partners:linkage_detail", args=[training.pk])).status_code == 404


def test_move_by_form_refusal_is_shown_on_the_field(world, client):
    w = setup(world)
    lk = linked(w, group=w.group, partner_obj=w.bpr, status="disepakati")
    client.force_login(w.tks)
    url = reverse("partners:linkage_move", args=[lk.pk])
    refused = client.post(url, {"status": "terealisasi"})
    assert refused.status_code == 422 and "memerlukan nilai (Rp)" in refused.content.decode()
    back = client.post(url, {"status": "dihubungi"})
    assert back.status_code == 422 and "tidak dapat mundur" in back.content.decode()
    done = client.post(url, {"status": "terealisasi", "value_amount": "15000000"}, follow=True)
    body = done.content.decode()
    assert "Rp 15.000.000" in body or "Rp 15,000,000" in body
    assert 'id="linkage-final"' in body and 'id="move-form"' not in body
    assert list(Linkage.objects.get(pk=lk.pk).steps.values_list("status", flat=True)) == ["disepakati", "terealisasi"]


def test_api_move_refusal_names_the_field(world, client):
    w = setup(world)
    lk = linked(w, group=w.group, partner_obj=w.bpr, status="terealisasi", value_amount=1)
    client.force_login(w.district)
    response = client.post(f"/api/partners/linkages/{lk.pk}/moves", json.dumps({"status": "gagal",
                                                                                "failed_reason": "x"}),
                           content_type="application/json")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "status"] and "sudah terealisasi" in error["msg"]
    client.force_login(w.tks_in)  # a TKS who does not mentor the group: not theirs to see
    assert client.get(f"/api/partners/linkages/{lk.pk}").status_code == 404
    client.force_login(make_user("pelamar", "applicant"))
    assert client.get("/api/partners/linkages").status_code == 403


def test_create_page_for_group_and_centre(world, client):
    w = setup(world)
    client.force_login(w.tks)
    target = client.get(reverse("partners:linkage_create"))
    assert w.group.name in target.content.decode()
    url = reverse("partners:linkage_create") + f"?kelompok={w.group.pk}"
    assert 'name="broker"' not in client.get(url).content.decode()
    response = client.post(url, {"partner": w.bpr.pk, "purpose": "peralatan"})
    lk = Linkage.objects.get()
    assert response.status_code == 302 and lk.broker == w.tks
    centre = make_centre(w)
    assert client.get(reverse("partners:linkage_create") + f"?blk={centre.pk}").status_code == 404
    client.force_login(w.district)
    response = client.post(reverse("partners:linkage_create") + f"?blk={centre.pk}",
                           {"partner": w.bpr.pk, "purpose": "pelatihan"})
    assert response.status_code == 302 and Linkage.objects.filter(centre=centre).exists()
    assert centre.name in client.get(reverse("partners:centre_detail", args=[centre.pk])).content.decode()


def test_review_page_button_and_linkage_from_visit(world, client):
    w = setup(world)
    visit = make_visit(w.tks, w.group, outcome="sepakat", purpose="pelatihan", partner_name="bpr halaman uji")
    review = reverse("mentoring:review_detail", args=[visit.pk])
    for user in (w.tks, w.district):
        client.force_login(user)
        assert 'id="visit-linkage"' in client.get(review).content.decode()
    client.force_login(w.district_other)
    assert client.get(review).status_code == 404
    client.force_login(w.tks)
    page = client.get(reverse("partners:linkage_from_visit", args=[visit.pk])).content.decode()
    assert f'<option value="{w.bpr.pk}" selected>' in page and "Disepakati" in page
    response = client.post(reverse("partners:linkage_from_visit", args=[visit.pk]),
                           {"partner": w.bpr.pk, "purpose": "pelatihan"})
    lk = Linkage.objects.get()
    assert response.status_code == 302 and (lk.visit, lk.status) == (visit, "disepakati")


def test_partner_and_group_pages_show_their_linkages(world, client):
    w = setup(world)
    linked(w, group=w.group, partner_obj=w.bpr, status="gagal", failed_reason="Tutup")
    linked(w, group=w.group, partner_obj=w.bpr, status="dihubungi")
    client.force_login(w.district)
    body = client.get(reverse("partners:partner_detail", args=[w.bpr.pk])).content.decode()
    assert 'id="partner-linkages"' in body and "Gagal: <strong>1</strong>" in body
    assert "Dihubungi: <strong>1</strong>" in body
    client.force_login(w.tks)
    body = client.get(reverse("groups:group_detail", args=[w.group.pk])).content.decode()
    assert 'id="linkages-section"' in body and "Buat keterkaitan" in body and w.bpr.name in body
