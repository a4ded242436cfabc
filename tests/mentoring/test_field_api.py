"""The field sync API end to end: bootstrap, idempotent submit, conflicts, bad input naming the
field, history, and the query bound on the hot path."""

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import FollowUp, Photo, ReviewStatus, Visit
from tests.mentoring.conftest import visit_payload

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post("/api/field/visits", data=json.dumps(body), content_type="application/json")


def put(client, visit_id, body):
    return client.put(f"/api/field/visits/{visit_id}", data=json.dumps(body), content_type="application/json")


def locs(response) -> list:
    assert response.status_code == 422, response.content
    return [e["loc"] for e in response.json()["detail"]]


@pytest.fixture
def tks_client(client, field_world):
    client.force_login(field_world.tks)
    return client


def test_bootstrap_lists_only_the_posted_groups_with_members_and_catalogue(tks_client, field_world):
    g = field_world.groups[0]
    IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=g, recorded_on=dt.date(2025, 1, 31), turnover=100)
    latest = IndicatorSnapshot.objects.create(id=uuid.uuid4(), group=g, recorded_on=dt.date(2025, 2, 28),
                                              turnover=250, products="Tempe")
    body = tks_client.get("/api/field/bootstrap").json()
    assert body["user"]["id"] == field_world.tks.pk
    assert sorted(x["id"] for x in body["groups"]) == sorted(x.pk for x in field_world.groups)
    first = next(x for x in body["groups"] if x["id"] == g.pk)
    assert len(first["members"]) == 3 and first["members"][0]["is_chair"]
    assert first["last_indicators"]["id"] == str(latest.pk) and first["last_indicators"]["turnover"] == 250
    tasks = {t["value"]: t for t in body["catalogue"]["tasks"]}
    assert set(tasks) == {"usaha", "kemitraan", "kapasitas", "akses"}
    outcome = next(f for f in tasks["kemitraan"]["fields"] if f["name"] == "outcome")
    assert outcome["required"] and outcome["type"] == "choice" and {"value": "gagal", "label": "Tidak berhasil"} \
        in outcome["choices"]
    assert {r["value"] for r in body["catalogue"]["roles"]} == {"motivator", "fasilitator", "mediator", "inovator"}
    assert body["limits"] == {"max_photos": 5, "max_photo_bytes": 1_500_000, "chunk_bytes": 256 * 1024}


def test_submit_stores_everything_once_and_a_retry_answers_the_same(tks_client, field_world):
    body = visit_payload(field_world.groups[0])
    first = post(tks_client, body)
    assert first.status_code == 201, first.content
    again = post(tks_client, body)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Visit.objects.count() == 1 and FollowUp.objects.count() == 1 and IndicatorSnapshot.objects.count() == 1
    visit = Visit.objects.get()
    assert str(visit.pk) == body["id"] and visit.tks == field_world.tks and visit.version == 1
    assert visit.indicators.turnover == 4_500_000 and visit.indicators.recorded_by == field_world.tks
    assert visit.attendance == body["attendance"] and visit.details == body["details"]
    assert first.json()["status"] == "diajukan" and first.json()["flags"] == []
    events = AuditEvent.objects.filter(action="submit_visit", target_id=str(visit.pk))
    assert events.count() == 1 and events.get().actor == field_world.tks


def test_a_retry_with_other_content_is_a_conflict_with_the_server_copy(tks_client, field_world):
    body = visit_payload(field_world.groups[0])
    assert post(tks_client, body).status_code == 201
    changed = post(tks_client, {**body, "notes": "Isi lain"})
    assert changed.status_code == 409
    assert changed.json()["server"]["notes"] == "Kelompok aktif."
    assert changed.json()["server"] == tks_client.get(f"/api/field/visits/{body['id']}").json()
    assert Visit.objects.get().notes == "Kelompok aktif."


def test_a_retry_after_the_visit_aged_past_the_limit_still_answers_the_same(tks_client, field_world, settings):
    body = visit_payload(field_world.groups[0])
    assert post(tks_client, body).status_code == 201
    # The posting ended since: today the group would be refused, but the replay is judged as of then.
    field_world.groups[0].postings.update(ends_on=timezone.localdate())
    assert post(tks_client, body).status_code == 200
    assert post(tks_client, {**body, "notes": "lain"}).status_code == 409


def test_the_photos_and_flags_in_the_answer(tks_client, field_world):
    photo = {"id": str(uuid.uuid4()), "size": 1000, "sha256": "a" * 64, "content_type": "image/jpeg"}
    body = visit_payload(field_world.groups[0], photos=[photo], lat=-6.35, lon=106.80, accuracy_m=50)
    answer = post(tks_client, body).json()
    assert answer["photos"] == [{"id": photo["id"], "received": 0, "size": 1000, "complete": False}]
    assert answer["flags"] == ["jauh"]  # ~22 km from the group's point
    assert Visit.objects.get().km_from_group == pytest.approx(22.2, abs=0.2)
    assert post(tks_client, body).json() == answer


def test_overlapping_visits_flag_both(tks_client, field_world):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    a = visit_payload(field_world.groups[0], started_at=start.isoformat(), duration_minutes=90)
    b = visit_payload(field_world.groups[1], started_at=(start + dt.timedelta(minutes=60)).isoformat())
    c = visit_payload(field_world.groups[1], started_at=(start + dt.timedelta(minutes=120)).isoformat())
    assert post(tks_client, a).json()["flags"] == []
    assert post(tks_client, b).json()["flags"] == ["tumpang"]
    assert Visit.objects.get(pk=a["id"]).flags == ["tumpang"]
    # b is [60, 120) and c starts at 120; a is [0, 90): c touches b's end and overlaps nothing.
    assert post(tks_client, c).json()["flags"] == []


def test_officers_cannot_submit(client, field_world):
    client.force_login(field_world.district)
    response = post(client, visit_payload(field_world.groups[0]))
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_a_group_not_posted_to_this_tks_is_refused_naming_group(tks_client, field_world):
    assert locs(post(tks_client, visit_payload(field_world.other_group))) == [["body", "group"]]
    assert locs(post(tks_client, {**visit_payload(field_world.groups[0]), "group": 999999})) == [["body", "group"]]


def _bad(field_world, **over):
    return visit_payload(field_world.groups[0], **over)


BAD = {
    "future": ({"started_at": (timezone.now() + dt.timedelta(minutes=30)).isoformat()}, ["started_at"]),
    "too_old": ({"started_at": (timezone.now() - dt.timedelta(days=91)).isoformat()}, ["started_at"]),
    "naive": ({"started_at": "2025-01-01T10:00:00"}, ["started_at"]),
    "lat_out": ({"lat": 20.0}, ["lat"]),
    "lon_out": ({"lon": 150.0}, ["lon"]),
    "lat_alone": ({"lon": None, "accuracy_m": None}, ["lon"]),
    "role": ({"roles": ["motivator", "penyanyi"]}, ["roles", 1]),
    "task": ({"tasks": ["usaha", "sulap"]}, ["tasks", 1]),
    "required_task_field": ({"tasks": ["usaha", "kemitraan"], "details": {
        "usaha": {"topic": "x"}, "kemitraan": {"partner": "BRI"}}}, ["details", "kemitraan", "outcome"]),
    "choice": ({"tasks": ["akses"], "details": {"akses": {"support": "kredit", "status": "lunas"}}},
               ["details", "akses", "status"]),
    "innovation": ({"roles": ["inovator"], "innovation": ""}, ["innovation"]),
    "attendance": ({"attendance": [10**9]}, ["attendance", 0]),
    "too_many_photos": ({"photos": [{"id": str(uuid.uuid4()), "size": 10, "sha256": "a" * 64,
                                     "content_type": "image/jpeg"} for _ in range(6)]}, ["photos"]),
    "photo_size": ({"photos": [{"id": str(uuid.uuid4()), "size": 1_500_001, "sha256": "a" * 64,
                                "content_type": "image/jpeg"}]}, ["photos", 0, "size"]),
    "photo_type": ({"photos": [{"id": str(uuid.uuid4()), "size": 10, "sha256": "a" * 64,
                                "content_type": "application/pdf"}]}, ["photos", 0, "content_type"]),
    "duration": ({"duration_minutes": 0}, ["duration_minutes"]),
    "kind": ({"kind": "pesta"}, ["kind"]),
    "follow_up_date": ({"follow_ups": [{"action": "x", "due_on": "besok"}]}, ["follow_ups", 0, "due_on"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_answers_422_naming_the_field(tks_client, field_world, case):
    over, loc = BAD[case]
    assert locs(post(tks_client, _bad(field_world, **over))) == [["body", *loc]]
    assert not Visit.objects.exists() and not IndicatorSnapshot.objects.exists()


def test_a_missing_group_and_a_broken_body_name_the_field(tks_client, field_world):
    body = visit_payload(field_world.groups[0])
    del body["group"]
    assert ["body", "group"] in locs(post(tks_client, body))
    assert ["body", "id"] in locs(post(tks_client, {**visit_payload(field_world.groups[0]), "id": "not-a-uuid"}))
    response = tks_client.post("/api/field/visits", data="{", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_get_own_visit_and_404_for_anyone_else(client, field_world):
    body = visit_payload(field_world.groups[0])
    client.force_login(field_world.tks)
    post(client, body)
    got = client.get(f"/api/field/visits/{body['id']}").json()
    assert got["group"] == field_world.groups[0].pk and got["follow_ups"][0]["action"] == "Periksa buku kas"
    assert got["indicators"]["turnover"] == 4_500_000
    client.force_login(field_world.other_tks)
    assert client.get(f"/api/field/visits/{body['id']}").status_code == 404
    assert put(client, body["id"], {**body, "base_version": 1}).status_code == 404
    client.force_login(field_world.district)  # officers read visits in the review, not here
    assert client.get(f"/api/field/visits/{body['id']}").status_code == 404


def test_history_since(tks_client, field_world):
    first = visit_payload(field_world.groups[0])
    post(tks_client, first)
    mark = timezone.now()
    # Not overlapping the first: an overlap would flag the first visit too, a change since `mark`.
    second = visit_payload(field_world.groups[1], started_at=(timezone.now() - dt.timedelta(hours=4)).isoformat())
    post(tks_client, second)
    everything = tks_client.get("/api/field/visits").json()
    assert everything["count"] == 2
    since = tks_client.get("/api/field/visits", {"since": mark.isoformat()}).json()
    assert [v["id"] for v in since["items"]] == [second["id"]]


def test_edit_bumps_the_version_and_audits_the_change(tks_client, field_world):
    body = visit_payload(field_world.groups[0])
    post(tks_client, body)
    response = put(tks_client, body["id"], {**body, "notes": "Diperbaiki", "base_version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["notes"] == "Diperbaiki"
    event = AuditEvent.objects.filter(action="edit_visit").get()
    assert event.changes["notes"] == ["Kelompok aktif.", "Diperbaiki"] and event.changes["version"] == [1, 2]
    # the same edit again (its answer was lost) answers the stored visit; an old base otherwise conflicts
    assert put(tks_client, body["id"], {**body, "notes": "Diperbaiki", "base_version": 1}).status_code == 200
    stale = put(tks_client, body["id"], {**body, "notes": "Dari HP lain", "base_version": 1})
    assert stale.status_code == 409 and stale.json()["server"]["notes"] == "Diperbaiki"
    assert Visit.objects.get().version == 2


def test_an_approved_visit_is_closed_and_a_returned_one_goes_back_to_review(tks_client, field_world):
    body = visit_payload(field_world.groups[0])
    post(tks_client, body)
    Visit.objects.update(status=ReviewStatus.RETURNED)
    assert put(tks_client, body["id"], {**body, "base_version": 1}).json()["status"] == "diajukan"
    Visit.objects.update(status=ReviewStatus.APPROVED)
    closed = put(tks_client, body["id"], {**body, "notes": "x", "base_version": 2})
    assert closed.status_code == 409 and closed.json()["server"]["status"] == "disetujui"


def test_an_edit_never_overwrites_an_indicator_snapshot(tks_client, field_world):
    body = visit_payload(field_world.groups[0])
    post(tks_client, body)
    snapshot_id = body["indicators"]["id"]
    changed = {**body, "indicators": {**body["indicators"], "turnover": 1}, "base_version": 1}
    assert locs(put(tks_client, body["id"], changed)) == [["body", "indicators", "id"]]
    assert IndicatorSnapshot.objects.get(pk=snapshot_id).turnover == 4_500_000
    correction = {**changed, "indicators": {**changed["indicators"], "id": str(uuid.uuid4())}}
    assert put(tks_client, body["id"], correction).json()["indicators"]["turnover"] == 1
    assert IndicatorSnapshot.objects.count() == 2
    assert IndicatorSnapshot.objects.get(pk=snapshot_id).turnover == 4_500_000


def test_edit_replaces_follow_ups_and_declared_photos(tks_client, field_world):
    keep = {"id": str(uuid.uuid4()), "size": 10, "sha256": "b" * 64, "content_type": "image/png"}
    drop = {"id": str(uuid.uuid4()), "size": 10, "sha256": "c" * 64, "content_type": "image/png"}
    body = visit_payload(field_world.groups[0], photos=[keep, drop])
    post(tks_client, body)
    new = {"id": str(uuid.uuid4()), "size": 20, "sha256": "d" * 64, "content_type": "image/webp"}
    edited = put(tks_client, body["id"], {**body, "photos": [keep, new], "follow_ups": [], "base_version": 1}).json()
    assert sorted(p["id"] for p in edited["photos"]) == sorted([keep["id"], new["id"]])
    assert edited["follow_ups"] == [] and Photo.objects.count() == 2


def test_submit_stays_within_a_few_queries(tks_client, field_world, django_assert_max_num_queries):
    photo = {"id": str(uuid.uuid4()), "size": 1000, "sha256": "a" * 64, "content_type": "image/jpeg"}
    body = visit_payload(field_world.groups[0], photos=[photo])
    # the session with its user (one query, core.sessions); the group with its members present, and
    # the overlaps; SAVEPOINT (the test's transaction makes the write a savepoint), the writes
    # (snapshot, visit, follow-ups, photos, audit), RELEASE. On PostgreSQL the reads are one round
    # trip and the writes another (core.batch).
    one_trip = connection.vendor == "postgresql"
    with django_assert_max_num_queries(5 if one_trip else 10) as captured:
        assert post(tks_client, body).status_code == 201
    print("queries per submit:", len(captured))
    # ... the writes fail on the first key and roll back (ROLLBACK TO and RELEASE the savepoint); the
    # stored visit and its photos are read.
    with django_assert_max_num_queries(8 if one_trip else 9) as captured:
        assert post(tks_client, body).status_code == 200
    print("queries per retry:", len(captured))
