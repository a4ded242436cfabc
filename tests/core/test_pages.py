"""Pages render for the roles that use them, with a label on every form field."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape

from sukarela.core.navigation import STAGES


class FieldLabels(HTMLParser):
    """Collects form controls and the ids that a <label for> or aria-label covers."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.label_depth = [], set(), 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.labelled.add(a["for"])
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit", "button"}:
            self.controls.append((a.get("name"), a.get("id"), bool(a.get("aria-label")) or self.label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self):
        return [name for name, id_, inline in self.controls if not inline and id_ not in self.labelled]


def assert_every_field_labelled(html: str):
    parser = FieldLabels()
    parser.feed(html)
    assert parser.controls, "no form fields found"
    assert not parser.unlabelled(), f"fields without a label: {parser.unlabelled()}"


@pytest.mark.parametrize(
    "viewer,url",
    [
        (None, "/masuk/"),
        ("district", "/pengguna/"),
        ("district", "/pengguna/baru/"),
        ("national", "/audit/"),
        ("tks_in", "/akun/"),
    ],
)
def test_form_fields_have_labels(client, world, viewer, url):
    if viewer:
        client.force_login(getattr(world, viewer))
    response = client.get(url)
    assert response.status_code == 200
    assert_every_field_labelled(response.content.decode())


def test_edit_form_has_labels_and_current_values(client, world):
    client.force_login(world.district)
    html = client.get(reverse("core:user_edit", args=[world.tks_in.pk])).content.decode()
    assert_every_field_labelled(html)
    assert world.tks_in.region_id in html  # the picker starts at the user's village


def test_home_shows_scope_counts(client, world):
    client.force_login(world.district)
    body = client.get("/").content.decode()
    assert "Kabupaten Bogor" in body
    # Two users are active inside 32.01: the district officer and one TKS.
    assert "<td>TKS (relawan)</td><td>1</td>" in body.replace("\n", "")


def test_every_stage_has_an_honest_page(client, world):
    """A built stage links to its pages; one not built yet says so instead of pretending."""
    client.force_login(world.national)
    home = client.get("/").content.decode()
    for stage in STAGES:
        assert stage.url in home
        response = client.get(stage.url, follow=True)  # a stage may send each role on to its own page
        body = response.content.decode()
        assert response.status_code == 200
        if stage.url_name == "core:stage":
            assert "Belum tersedia" in body and escape(str(stage.title)) in body
        else:
            assert "Belum tersedia" not in body


def test_user_list_masks_phone_numbers_and_detail_shows_them(client, world):
    client.force_login(world.district)
    listing = client.get("/pengguna/").content.decode()
    assert "0812****7890" in listing and "+6281234567890" not in listing
    detail = client.get(reverse("core:user_detail", args=[world.tks_in.pk])).content.decode()
    assert "+6281234567890" in detail


def test_create_user_through_the_form(client, world):
    client.force_login(world.district)
    response = client.post(reverse("core:user_create"), {
        "username": "tks-baru", "full_name": "Relawan Baru", "role": "tks", "region": world.village_in.code,
        "phone": "0813 5555 6666",
    })
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Relawan Baru" in detail and "+6281355556666" in detail


def test_form_errors_name_the_field(client, world):
    client.force_login(world.district)
    response = client.post(reverse("core:user_create"), {
        "username": "kab-bogor", "full_name": "", "role": "tks", "region": "99.99", "phone": "123",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"full_name", "region"}
    assert "99.99" in str(errors["region"])


def test_audit_page_filters_by_object_and_user(client, world):
    from sukarela.core import services

    services.update_user(world.district, world.tks_in, full_name="Nama Audit")
    services.update_user(world.provincial, world.tks_out, full_name="Lain")
    client.force_login(world.national)
    body = client.get("/audit/", {"target_type": "core.user", "target_id": world.tks_in.pk}).content.decode()
    assert "Nama Audit" in body and "Lain" not in body
    body = client.get("/audit/", {"actor": "prov-jabar"}).content.decode()
    assert "Lain" in body and "Nama Audit" not in body
