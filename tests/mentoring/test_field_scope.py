"""Every field API operation through the scope harness.

Inside: a visit by `tks_in` to a group of Kab. Bogor (32.01) posted to them. Outside: a visit by
another TKS to a group of Kab. Sukabumi (32.02). The outsider is `tks_out`, a TKS with no posting:
they get 404 for another TKS's visit or photo and see none of them in lists; officers, whatever
their region, are not field-app users (403 or 404).
"""

import hashlib
import io
import itertools
import json
import uuid

import pytest
from PIL import Image

from sukarela.core.roles import Role
from sukarela.mentoring.services import visits
from tests.conftest import make_user
from tests.mentoring.conftest import field_group, post, visit_payload
from tests.scope_harness import ListCase, RouteCase

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 160, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def _tks(world, where):
    if where == "in":
        return world.tks_in
    return make_user(f"tks-lain-{next(_n)}", Role.TKS, world.village_out.code, full_name="Pendamping Sukabumi")


def posted_group(world, where):
    group = field_group(world, where, members=1)
    group.tks = _tks(world, where)
    post(group, group.tks)
    return group


def field_visit(world, where, *, photo: bytes | None = None):
    group = posted_group(world, where)
    declared = [{"id": str(uuid.uuid4()), "size": len(photo), "sha256": hashlib.sha256(photo).hexdigest(),
                 "content_type": "image/jpeg"}] if photo else []
    body = visit_payload(group, notes=f"Catatan rahasia {where} {next(_n)}", photos=declared)
    visit, _ = visits.submit(group.tks, body)
    visit.body, visit.photo_bytes = body, photo
    visit.photo_id = declared[0]["id"] if declared else None
    return visit


class FieldRoute(RouteCase):
    insider = "tks_in"
    outsider = "tks_out"

    def make(self, world, where):
        return field_visit(world, where)

    def marker(self, obj):
        return getattr(obj, "notes", None)


class TestBootstrapApi(FieldRoute):
    route = "GET /api/field/bootstrap"
    outsider_status = 200  # their own (empty) bootstrap: the other TKS's group is absent

    def make(self, world, where):
        return posted_group(world, where)

    def url(self, obj):
        return "/api/field/bootstrap"

    def marker(self, obj):
        return obj.name


def test_officers_have_no_bootstrap(client, world):
    client.force_login(world.district)
    assert client.get("/api/field/bootstrap").status_code == 403


class TestSubmitVisitApi(FieldRoute):
    route = "POST /api/field/visits"
    method = "post"
    ok_status = 201
    outsider_status = 422  # the group is not posted to them: refused naming "group"
    audit_action = "submit_visit"

    def make(self, world, where):
        return posted_group(world, where)

    def url(self, obj):
        return "/api/field/visits"

    def data(self, obj, world):
        return visit_payload(obj)

    def marker(self, obj):
        return obj.name


class TestVisitHistoryApi(FieldRoute, ListCase):
    route = "GET /api/field/visits"
    outsider_status = 200

    def url(self, obj):
        return "/api/field/visits"

    def expected_count(self, world):
        return 1


class TestVisitApi(FieldRoute):
    route = "GET /api/field/visits/{visit_id}"

    def url(self, obj):
        return f"/api/field/visits/{obj.pk}"


class TestEditVisitApi(FieldRoute):
    route = "PUT /api/field/visits/{visit_id}"
    method = "put"
    audit_action = "edit_visit"

    def url(self, obj):
        return f"/api/field/visits/{obj.pk}"

    def data(self, obj, world):
        return {**obj.body, "notes": "Diperbaiki", "base_version": 1}


class PhotoRoute(FieldRoute):
    def make(self, world, where):
        return field_visit(world, where, photo=_jpeg())

    def marker(self, obj):
        return obj.photo_id


class TestPhotoPartApi(PhotoRoute):
    route = "PUT /api/field/photos/{photo_id}"
    method = "put"
    audit_action = "complete_photo"

    def url(self, obj):
        return f"/api/field/photos/{obj.photo_id}"

    def request(self, client, obj, world):
        data = obj.photo_bytes
        return client.put(self.url(obj), data=data, content_type="application/octet-stream",
                          HTTP_CONTENT_RANGE=f"bytes 0-{len(data) - 1}/{len(data)}")


class TestPhotoStateApi(PhotoRoute):
    route = "GET /api/field/photos/{photo_id}"

    def url(self, obj):
        return f"/api/field/photos/{obj.photo_id}"


@pytest.mark.django_db
def test_the_district_officer_gets_404_for_a_visit_of_their_own_district(client, world):
    visit = field_visit(world, "in", photo=_jpeg())
    client.force_login(world.district)
    assert client.get(f"/api/field/visits/{visit.pk}").status_code == 404
    assert client.get(f"/api/field/photos/{visit.photo_id}").status_code == 404
    assert client.get("/api/field/visits").json()["count"] == 0
    edit = client.put(f"/api/field/visits/{visit.pk}", data=json.dumps({**visit.body, "base_version": 1}),
                      content_type="application/json")
    assert edit.status_code == 403
