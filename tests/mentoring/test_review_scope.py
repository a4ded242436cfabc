"""Every review page and API operation through the scope harness, plus the API's own rules.

Inside: a visit by a TKS posted to a group of Kab. Bogor (32.01), reviewed by Bogor's district
officer. Outside: the same in Kab. Sukabumi (32.02), which Bogor's officer must not see (404).
"""

import hashlib
import itertools
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from sukarela.core.roles import Role
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import Photo, ReviewStatus
from sukarela.mentoring.services import review
from tests.conftest import make_user
from tests.mentoring.conftest import field_group, post
from tests.mentoring.test_review import chair_login, make_visit
from tests.mentoring.test_review_pages import png_bytes
from tests.scope_harness import ListCase, RouteCase

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def visit_in(world, where: str, **fields):
    """A visit to a group of 32.01 ("in") or 32.02 ("out") by a TKS posted there."""
    village = world.village_in if where == "in" else world.village_out
    tks = make_user(f"tks-periksa-{next(_n)}", Role.TKS, village.code, full_name=f"Pendamping Periksa {next(_n)}")
    group = field_group(world, where, members=1)
    post(group, tks)
    return make_visit(tks, group, **fields)


class VisitRoute(RouteCase):
    def make(self, world, where):
        return visit_in(world, where)

    def marker(self, obj):
        return obj.group.name


class TestReviewListPage(ListCase):
    route = "mentoring:review_list"
    outsider_status = 200  # a list: the outside visit is simply absent

    def make(self, world, where):
        return visit_in(world, where)

    def url(self, obj):
        return reverse("mentoring:review_list")

    def marker(self, obj):
        return reverse("mentoring:review_detail", args=[obj.pk])


class TestReviewDetailPage(VisitRoute):
    route = "mentoring:review_detail"

    def url(self, obj):
        return reverse("mentoring:review_detail", args=[obj.pk])


class TestReviewApprovePage(VisitRoute):
    route = "mentoring:review_approve"
    method = "post"
    ok_status = 302
    audit_action = "approve_visit"

    def url(self, obj):
        return reverse("mentoring:review_approve", args=[obj.pk])

    def data(self, obj, world):
        return {"version": obj.version}


class TestReviewReturnPage(VisitRoute):
    route = "mentoring:review_return"
    method = "post"
    ok_status = 302
    audit_action = "return_visit"

    def url(self, obj):
        return reverse("mentoring:review_return", args=[obj.pk])

    def data(self, obj, world):
        return {"comment": "Lengkapi daftar hadir", "version": obj.version}


class TestReviewBulkApprovePage(VisitRoute):
    route = "mentoring:review_bulk_approve"
    method = "post"
    ok_status = 302
    audit_action = "approve_visit"

    def url(self, obj):
        return reverse("mentoring:review_bulk_approve")

    def data(self, obj, world):
        return {"visits": [f"{obj.pk}:{obj.version}"], "query": ""}


class TestVisitConfirmPage(VisitRoute):
    route = "mentoring:visit_confirm"
    method = "post"
    ok_status = 302
    audit_action = "confirm_visit"
    insider = "chair"  # the login of the visited group's chair, made with the visit

    def make(self, world, where):
        visit = visit_in(world, where)
        world.chair = chair_login(visit.group)
        return visit

    def url(self, obj):
        return reverse("mentoring:visit_confirm", args=[obj.pk])


class TestVisitPhoto(RouteCase):
    route = "mentoring:visit_photo"

    def make(self, world, where):
        data = png_bytes()
        photo = Photo.objects.create(id=uuid.uuid4(), visit=visit_in(world, where), size=len(data),
                                     sha256=hashlib.sha256(data).hexdigest(), content_type="image/png",
                                     received=len(data), completed_at=timezone.now())
        photo.file.save("foto.png", ContentFile(data), save=True)
        return photo

    def url(self, obj):
        return reverse("mentoring:visit_photo", args=[obj.visit_id, obj.pk])


class TestFlagsPage(ListCase):
    route = "mentoring:flags"
    outsider_status = 200

    def make(self, world, where):
        village = world.village_in if where == "in" else world.village_out
        tks = make_user(f"tks-sepi-{next(_n)}", Role.TKS, village.code, full_name=f"Pendamping Sepi {next(_n)}")
        group = field_group(world, where, members=0)
        post(group, tks)  # posted 60 days ago, never visited: quiet
        return group

    def url(self, obj):
        return reverse("mentoring:flags")

    def marker(self, obj):
        return reverse("groups:group_detail", args=[obj.pk])


# --- API ------------------------------------------------------------------------------------------

class TestApiVisitList(ListCase):
    route = "GET /api/mentoring/visits"
    outsider_status = 200

    def make(self, world, where):
        return visit_in(world, where)

    def url(self, obj):
        return "/api/mentoring/visits"

    def marker(self, obj):
        return str(obj.pk)

    def expected_count(self, world) -> int:
        return 1


class TestApiVisitDetail(VisitRoute):
    route = "GET /api/mentoring/visits/{visit_id}"

    def url(self, obj):
        return f"/api/mentoring/visits/{obj.pk}"


class TestApiVisitReview(VisitRoute):
    route = "POST /api/mentoring/visits/{visit_id}/review"
    method = "post"
    audit_action = "approve_visit"

    def url(self, obj):
        return f"/api/mentoring/visits/{obj.pk}/review"

    def data(self, obj, world):
        return {"decision": "approve", "version": obj.version}


class TestApiFlags(RouteCase):
    route = "GET /api/mentoring/flags"
    outsider_status = 200  # the outside quiet group is absent (marker checked)

    def make(self, world, where):
        return TestFlagsPage().make(world, where)

    def url(self, obj):
        return "/api/mentoring/flags"

    def marker(self, obj):
        return obj.name


class TestApiGroupIndicators(RouteCase):
    route = "GET /api/groups/{group_id}/indicators"

    def make(self, world, where):
        group = field_group(world, where, members=0)
        IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=group, recorded_on=timezone.localdate(),
                                         turnover=7_654_321, products=f"Produk Rahasia {group.pk}")
        return group

    def url(self, obj):
        return f"/api/groups/{obj.pk}/indicators"

    def marker(self, obj):
        return f"Produk Rahasia {obj.pk}"


# --- the API's own rules ----------------------------------------------------------------------------

def _post(client, visit, body):
    return client.post(f"/api/mentoring/visits/{visit.pk}/review", data=body, content_type="application/json")


def test_tks_and_chairs_get_403_on_review_operations(client, world):
    visit = visit_in(world, "in")
    for user in (visit.tks, chair_login(visit.group)):
        client.force_login(user)
        assert _post(client, visit, {"decision": "approve"}).status_code == 403
        assert client.get("/api/mentoring/flags").status_code == 403
    visit.refresh_from_db()
    assert visit.status == ReviewStatus.SUBMITTED


def test_a_tks_reads_only_their_own_visits(client, world):
    mine, other = visit_in(world, "in"), visit_in(world, "in")
    client.force_login(mine.tks)
    data = client.get("/api/mentoring/visits").json()
    assert [row["id"] for row in data["items"]] == [str(mine.pk)]
    assert client.get(f"/api/mentoring/visits/{other.pk}").status_code == 404


def test_return_without_comment_names_the_field(client, world):
    visit = visit_in(world, "in")
    client.force_login(world.district)
    response = _post(client, visit, {"decision": "return", "comment": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "comment"]
    response = _post(client, visit, {"decision": "return", "comment": "Foto buram"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "dikembalikan" and body["review_comment"] == "Foto buram"
    assert body["history"][-1]["action"] == "return_visit" and body["history"][-1]["comment"] == "Foto buram"


def test_bad_decisions_and_repeated_approval(client, world):
    visit = visit_in(world, "in")
    client.force_login(world.district)
    response = _post(client, visit, {"decision": "maybe"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "decision"]
    response = _post(client, visit, {"decision": "approve", "comment": "bagus"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "comment"]
    response = _post(client, visit, {"decision": "approve", "version": visit.version + 1})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "version"]
    assert _post(client, visit, {"decision": "approve"}).status_code == 200
    response = _post(client, visit, {"decision": "approve"})
    assert response.status_code == 422 and "sudah disetujui" in response.json()["detail"][0]["msg"]
    assert client.post("/api/mentoring/visits/not-a-uuid/review", data={"decision": "approve"},
                       content_type="application/json").status_code == 422


def test_own_visit_is_refused_in_the_api(client, world):
    group = field_group(world, "in", members=0)
    own = make_visit(world.district, group)
    client.force_login(world.district)
    assert _post(client, own, {"decision": "approve"}).status_code == 403


def test_list_filters_and_detail_shape(client, world):
    far = visit_in(world, "in", flags=["jauh"], tasks=["kemitraan"],
                   details={"kemitraan": {"partner": "Koperasi Maju", "outcome": "terealisasi"}})
    near = visit_in(world, "in")
    review.approve(world.district, near)
    client.force_login(world.district)
    rows = client.get("/api/mentoring/visits", {"flag": "jauh"}).json()["items"]
    assert [r["id"] for r in rows] == [str(far.pk)]
    rows = client.get("/api/mentoring/visits", {"status": "disetujui"}).json()["items"]
    assert [r["id"] for r in rows] == [str(near.pk)]
    rows = client.get("/api/mentoring/visits", {"group": far.group_id, "task": "kemitraan"}).json()["items"]
    assert [r["id"] for r in rows] == [str(far.pk)] and rows[0]["tks_name"] == far.tks.full_name
    assert client.get("/api/mentoring/visits", {"flag": "hilang"}).status_code == 422
    detail = client.get(f"/api/mentoring/visits/{far.pk}").json()
    assert detail["task_details"][0]["label"] == "Jejaring kemitraan"
    assert {"label": "Hasil", "value": "Terealisasi"} in detail["task_details"][0]["fields"]
    assert detail["indicators"] is None and detail["photos"] == [] and detail["version"] == 1


def test_flags_api_shape(client, world):
    quiet = TestFlagsPage().make(world, "in")
    visit_in(world, "in", flags=["tumpang"])
    client.force_login(world.district)
    data = client.get("/api/mentoring/flags").json()
    assert quiet.pk in [g["id"] for g in data["quiet_groups"]]
    assert {v["flag"]: v["total"] for v in data["visits"]} == {"jauh": 0, "tumpang": 1}
    assert data["group_quiet_weeks"] == 4 and data["tks_quiet_days"] == 14
