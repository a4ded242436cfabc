"""The visit services alone: concurrency of identical submissions, the snapshot service, flags
and who may do what."""

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sukarela.core.models import AuditEvent
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring.models import Visit
from sukarela.mentoring.services import indicators, visits
from tests.mentoring.conftest import visit_payload


@pytest.mark.django_db(transaction=True)
def test_identical_submissions_at_once_store_one_visit_and_all_succeed(field_world):
    body = visit_payload(field_world.groups[0])
    n = 4
    barrier, results, errors = threading.Barrier(n), [], []

    def send():
        try:
            barrier.wait()
            results.append(visits.submit(field_world.tks, body)[1])
        except Exception as exc:  # collected: the assertion below shows it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [False] * (n - 1) + [True]
    assert Visit.objects.count() == 1 and IndicatorSnapshot.objects.count() == 1
    assert AuditEvent.objects.filter(action="submit_visit").count() == 1


@pytest.mark.django_db
def test_only_a_tks_submits(field_world):
    for officer in (field_world.district, field_world.national):
        with pytest.raises(PermissionDenied):
            visits.submit(officer, visit_payload(field_world.groups[0]))
    with pytest.raises(PermissionDenied):
        visits.edit(field_world.district, uuid.uuid4(), visit_payload(field_world.groups[0]), 1)


@pytest.mark.django_db
def test_a_uuid_taken_by_another_tks_is_not_theirs_to_read(field_world):
    body = visit_payload(field_world.groups[0])
    visits.submit(field_world.tks, body)
    other = {**visit_payload(field_world.other_group), "id": body["id"]}
    with pytest.raises(ValidationError) as refused:
        visits.submit(field_world.other_tks, other)
    assert "id" in refused.value.message_dict
    assert Visit.objects.get().tks == field_world.tks


@pytest.mark.django_db
def test_reused_indicator_or_photo_ids_are_named(field_world):
    first = visit_payload(field_world.groups[0])
    visits.submit(field_world.tks, first)
    again = visit_payload(field_world.groups[1], indicators={**first["indicators"]})
    with pytest.raises(ValidationError) as refused:
        visits.submit(field_world.tks, again)
    assert list(refused.value.message_dict) == ["indicators.id"]
    photo = {"id": str(uuid.uuid4()), "size": 5, "sha256": "e" * 64, "content_type": "image/jpeg"}
    visits.submit(field_world.tks, visit_payload(field_world.groups[0], photos=[photo]))
    with pytest.raises(ValidationError) as refused:
        visits.submit(field_world.tks, visit_payload(field_world.groups[1], photos=[photo]))
    assert list(refused.value.message_dict) == ["photos.0.id"]
    assert Visit.objects.count() == 2


@pytest.mark.django_db
def test_attendance_names_members_of_another_group(field_world):
    stranger = field_world.other_group.members.first().pk
    body = visit_payload(field_world.groups[0])
    body["attendance"] = [*body["attendance"], stranger]
    with pytest.raises(ValidationError) as refused:
        visits.submit(field_world.tks, body)
    assert list(refused.value.message_dict) == ["attendance.2"]


@pytest.mark.django_db
def test_record_indicators_alone_never_overwrites(field_world):
    group = field_world.groups[0]
    values = {"id": str(uuid.uuid4()), "turnover": 1_000_000, "active_members": 4, "lpj_done": True}
    snapshot, created = indicators.record(field_world.tks, group, values)
    assert created and snapshot.turnover == 1_000_000 and snapshot.lpj_done
    assert indicators.record(field_world.tks, group, values) == (snapshot, False)
    with pytest.raises(indicators.Conflict) as conflict:
        indicators.record(field_world.tks, group, {**values, "turnover": 5})
    assert conflict.value.snapshot == snapshot
    assert IndicatorSnapshot.objects.get().turnover == 1_000_000
    assert AuditEvent.objects.filter(action="record_indicators").count() == 1
    with pytest.raises(ValidationError) as refused:
        indicators.record(field_world.tks, group, {"id": str(uuid.uuid4()), "turnover": -1})
    assert list(refused.value.message_dict) == ["indicators.turnover"]
    with pytest.raises(PermissionDenied):
        indicators.record(field_world.other_tks, group, {"id": str(uuid.uuid4())})


@pytest.mark.django_db
def test_an_edit_that_moves_a_visit_away_clears_the_overlap_of_its_old_partner(field_world):
    a = visit_payload(field_world.groups[0], duration_minutes=90)
    b = visit_payload(field_world.groups[1], started_at=a["started_at"], duration_minutes=30)
    first, _created = visits.submit(field_world.tks, a)
    visits.submit(field_world.tks, b)
    flagged = Visit.objects.get(pk=a["id"])
    assert flagged.flags == ["tumpang"]
    assert flagged.updated_at > first.updated_at  # the phone's history sees the new flag
    moved = visits.edit(field_world.tks, b["id"], {**b, "duration_minutes": 30,
                                                  "started_at": _hours_before(a["started_at"], 5)}, 1)
    assert moved.flags == [] and moved.version == 2
    assert Visit.objects.get(pk=a["id"]).flags == []


@pytest.mark.django_db
@pytest.mark.parametrize("window", ["as sent", "unreadable", "wrong"])
def test_overlaps_are_judged_on_the_clean_visit_whatever_was_read_before(field_world, monkeypatch, window):
    """The overlaps are read with the group, from the payload as sent; when that reading was not
    possible or differs from what the rules accepted, they are read again for the clean visit."""
    a = visit_payload(field_world.groups[0], duration_minutes=90)
    visits.submit(field_world.tks, a)
    read_before = visits._window
    if window == "unreadable":
        monkeypatch.setattr(visits, "_window", lambda payload: None)
    elif window == "wrong":  # a window far from the visit: it finds no partner
        monkeypatch.setattr(visits, "_window", lambda payload: (
            read_before(payload)[0] - dt.timedelta(days=3), read_before(payload)[1]))
    b = visit_payload(field_world.groups[1], started_at=a["started_at"], duration_minutes=30)
    stored, created = visits.submit(field_world.tks, b)
    assert created and stored.flags == ["tumpang"]
    assert Visit.objects.get(pk=a["id"]).flags == ["tumpang"]


@pytest.mark.parametrize("payload, expected", [
    ({"started_at": "2026-11-01T09:30:00+07:00", "duration_minutes": 60}, "2026-11-01T09:30:00+07:00"),
    ({"started_at": dt.datetime(2026, 11, 1, 2, 30, tzinfo=dt.timezone.utc), "duration_minutes": 60},
     "2026-11-01T02:30:00+00:00"),
    ({"started_at": "2026-11-01T09:30:00", "duration_minutes": 60}, None),  # no offset: the rules refuse it
    ({"started_at": "kemarin", "duration_minutes": 60}, None),
    ({"started_at": "0001-01-01T00:00:00+07:00", "duration_minutes": 60}, None),  # no UTC instant
    ({"started_at": "2026-11-01T09:30:00+07:00", "duration_minutes": "60"}, None),
    ({"started_at": "2026-11-01T09:30:00+07:00", "duration_minutes": True}, None),
    ({"started_at": "2026-11-01T09:30:00+07:00", "duration_minutes": 0}, None),
    ({"duration_minutes": 60}, None),
])
def test_the_window_read_before_the_rules_is_only_a_well_formed_one(payload, expected):
    window = visits._window(payload)
    assert (window if expected is None else (window[0].isoformat(), window[1])) == (
        None if expected is None else (expected, payload["duration_minutes"]))


def _hours_before(iso: str, hours: int) -> str:
    return (dt.datetime.fromisoformat(iso) - dt.timedelta(hours=hours)).isoformat()


@pytest.mark.django_db
def test_edit_may_move_to_another_posted_group_only(field_world):
    body = visit_payload(field_world.groups[0])
    visits.submit(field_world.tks, body)
    moved = visits.edit(field_world.tks, body["id"], visit_payload(field_world.groups[1], id=body["id"],
                                                                   indicators=None), 1)
    assert moved.group == field_world.groups[1]
    with pytest.raises(ValidationError) as refused:
        visits.edit(field_world.tks, body["id"], visit_payload(field_world.other_group, id=body["id"]), 2)
    assert list(refused.value.message_dict) == ["group"]
