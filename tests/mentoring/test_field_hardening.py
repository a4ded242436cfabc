"""Inputs found by the review's probes: each must be a 4xx naming the field, never a 500 (POST and PUT
alike); an edit moving a visit to another group with its old snapshot; part files of dropped photos;
follow-up ids kept through an edit."""

import datetime as dt
import hashlib
import io
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import Photo, Visit
from sukarela.mentoring.services import photos as photo_services
from tests.mentoring.conftest import visit_payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tks_client(field_world):
    client = Client(raise_request_exception=False)  # a server error shows as a 500, as the phone sees it
    client.force_login(field_world.tks)
    return client


def post(client, body):
    return client.post("/api/field/visits", data=json.dumps(body), content_type="application/json")


def put(client, visit_id, body):
    return client.put(f"/api/field/visits/{visit_id}", data=json.dumps(body), content_type="application/json")


def _later(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


KEMITRAAN = {"tasks": ["kemitraan"]}
AKSES = {"tasks": ["akses"]}
BAD = [
    pytest.param({**KEMITRAAN, "details": {"kemitraan": {"partner": "Bank", "outcome": []}}},
                 ["details", "kemitraan", "outcome"], id="choice-list"),
    pytest.param({**KEMITRAAN, "details": {"kemitraan": {"partner": "Bank", "outcome": {"a": 1}}}},
                 ["details", "kemitraan", "outcome"], id="choice-object"),
    pytest.param({**AKSES, "details": {"akses": {"support": ["kredit"], "status": "cair"}}},
                 ["details", "akses", "support"], id="choice-list-akses"),
    pytest.param({"kind": ["kegiatan"]}, ["kind"], id="kind-list"),
    pytest.param({"photos": [{"id": str(uuid.uuid4()), "size": 10, "sha256": "a" * 64,
                              "content_type": ["image/jpeg"]}]}, ["photos", 0, "content_type"], id="photo-type-list"),
    pytest.param({"started_at": "0001-01-01T00:30:00+07:00"}, ["started_at"], id="year-1"),
    pytest.param({"started_at": "9999-12-31T23:30:00-07:00"}, ["started_at"], id="year-9999"),
    pytest.param({"follow_ups": [{"action": "Periksa", "due_on": "0001-01-01"}]},
                 ["follow_ups", 0, "due_on"], id="due-year-1"),
    pytest.param({"follow_ups": [{"action": "Periksa", "due_on": "1999-12-31"}]},
                 ["follow_ups", 0, "due_on"], id="due-before-2000"),
    pytest.param({"follow_ups": [{"action": "Periksa", "due_on": _later(800)}]},
                 ["follow_ups", 0, "due_on"], id="due-over-two-years"),
    pytest.param({**AKSES, "details": {"akses": {"support": "kredit", "status": "diajukan", "applied_on": "1990-05-01"}}},
                 ["details", "akses", "applied_on"], id="applied-1990"),
    pytest.param({**AKSES, "details": {"akses": {"support": "kredit", "status": "diajukan", "applied_on": "9999-12-31"}}},
                 ["details", "akses", "applied_on"], id="applied-9999"),
    pytest.param({"details": {"usaha": {"topic": "x"}, "²": {}}}, ["details"], id="task-key-superscript"),
    pytest.param({"details": {"usaha": {"topic": "x"}, "١": {}}}, ["details"], id="task-key-arabic-digit"),
    pytest.param({"details": {"usaha": {"topic": "x"}, "3": {}}}, ["details"], id="task-key-digit"),
    pytest.param({"details": {"usaha": {"topic": "x"}, "usaha.topic": {}}}, ["details"], id="task-key-dotted"),
    pytest.param({"details": {"usaha": {"topic": "x", "١": 1}}}, ["details", "usaha"], id="field-arabic-digit"),
    pytest.param({"details": {"usaha": {"topic": "x", "a.0": 1}}}, ["details", "usaha"], id="field-dotted"),
]


@pytest.mark.parametrize("over,loc", BAD)
def test_bad_input_to_post_is_a_422_naming_the_field(tks_client, field_world, over, loc):
    response = post(tks_client, visit_payload(field_world.groups[0], **over))
    assert response.status_code == 422, response.content[:300]
    assert [e["loc"] for e in response.json()["detail"]] == [["body", *loc]]
    assert not Visit.objects.exists()


@pytest.mark.parametrize("over,loc", BAD)
def test_bad_input_to_put_is_a_422_naming_the_field(tks_client, field_world, over, loc):
    body = visit_payload(field_world.groups[0])
    assert post(tks_client, body).status_code == 201
    response = put(tks_client, body["id"], {**body, **over, "base_version": 1})
    assert response.status_code == 422, response.content[:300]
    assert [e["loc"] for e in response.json()["detail"]] == [["body", *loc]]
    assert Visit.objects.get().version == 1


def test_unknown_keys_are_quoted_in_the_message(tks_client, field_world):
    response = post(tks_client, visit_payload(field_world.groups[0], details={"usaha": {"topic": "x", "warna": 1}}))
    assert response.json()["detail"][0]["msg"] == "Isian tidak dikenal untuk tugas ini: warna."


def test_field_loc_splits_on_ascii_digits_only():
    from sukarela.api import _field_loc

    assert _field_loc("photos.2.size") == ["body", "photos", 2, "size"]
    assert _field_loc("details.²") == ["body", "details", "²"]
    assert _field_loc("details.١") == ["body", "details", "١"]


# --- an edit moving a visit to another group ----------------------------------------------------------

def test_an_edit_to_another_group_cannot_take_the_old_groups_snapshot(tks_client, field_world):
    g0, g1 = field_world.groups
    body = visit_payload(g0)
    assert post(tks_client, body).status_code == 201
    moved = visit_payload(g1, id=body["id"], indicators=body["indicators"], base_version=1)
    response = put(tks_client, body["id"], moved)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [e["loc"] for e in detail] == [["body", "indicators", "id"]]
    assert "milik kelompok lain" in detail[0]["msg"] and "catatan baru" in detail[0]["msg"]
    visit = Visit.objects.get()
    assert visit.group == g0 and visit.version == 1 and visit.indicators.group == g0
    # the same edit with the indicators as a new snapshot (a new id) goes through, for the new group
    fresh = {**body["indicators"], "id": str(uuid.uuid4())}
    assert put(tks_client, body["id"], {**moved, "indicators": fresh}).status_code == 200
    visit.refresh_from_db()
    assert visit.group == g1 and visit.indicators.group == g1
    assert IndicatorSnapshot.objects.filter(group=g0).count() == 1  # the old one is kept, never rewritten


# --- a dropped photo's part file ------------------------------------------------------------------------

def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_edit_dropping_a_half_uploaded_photo_removes_its_part_file(tks_client, field_world,
                                                                    django_capture_on_commit_callbacks):
    data = _jpeg()
    photo = {"id": str(uuid.uuid4()), "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
             "content_type": "image/jpeg"}
    body = visit_payload(field_world.groups[0], photos=[photo])
    assert post(tks_client, body).status_code == 201
    part = tks_client.put(f"/api/field/photos/{photo['id']}?offset=0", data=data[:100],
                          content_type="application/octet-stream")
    assert part.json()["received"] == 100
    assert photo_services.part_path(photo["id"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert put(tks_client, body["id"], {**body, "photos": [], "base_version": 1}).status_code == 200
    assert not Photo.objects.exists()
    assert not photo_services.part_path(photo["id"]).exists()


def test_a_refused_edit_keeps_the_part_file(tks_client, field_world, django_capture_on_commit_callbacks):
    data = _jpeg()
    photo = {"id": str(uuid.uuid4()), "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
             "content_type": "image/jpeg"}
    body = visit_payload(field_world.groups[0], photos=[photo])
    post(tks_client, body)
    tks_client.put(f"/api/field/photos/{photo['id']}?offset=0", data=data[:100], content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        refused = put(tks_client, body["id"], {**body, "photos": [], "duration_minutes": 0, "base_version": 1})
    assert refused.status_code == 422
    assert Photo.objects.get().received == 100 and photo_services.part_path(photo["id"]).exists()


# --- follow-ups keep their ids through an edit ----------------------------------------------------------

def test_an_edit_keeps_unchanged_follow_ups_and_their_ids(tks_client, field_world):
    keep = {"action": "Periksa buku kas", "due_on": _later(7)}
    drop = {"action": "Hubungi bank", "due_on": _later(10)}
    body = visit_payload(field_world.groups[0], follow_ups=[keep, drop])
    post(tks_client, body)
    before = {f["action"]: f["id"] for f in tks_client.get(f"/api/field/visits/{body['id']}").json()["follow_ups"]}
    added = {"action": "Daftarkan PIRT", "due_on": _later(20)}
    edited = put(tks_client, body["id"], {**body, "follow_ups": [keep, added], "base_version": 1}).json()
    after = {f["action"]: f["id"] for f in edited["follow_ups"]}
    assert set(after) == {keep["action"], added["action"]}
    assert after[keep["action"]] == before[keep["action"]]


@pytest.mark.parametrize("since", ["0001-01-01T00:30:00+07:00", "9999-12-31T23:30:00-07:00", "not a time",
                                   "2026-01-01T00:00:00"])  # the last: no time zone, so no instant
def test_history_with_a_time_out_of_range_or_without_a_zone_names_since(client, field_world, since):
    client.force_login(field_world.tks)
    response = client.get("/api/field/visits", {"since": since})
    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"][0]["loc"] == ["query", "since"]
