"""Photos in parts: in order, resumed after a cut, repeated or out-of-order parts answered with
where to resume, and a complete photo checked (size, SHA-256, a real image of its type)."""

import hashlib
import io
import json
import uuid

import pytest
from PIL import Image

from sukarela.core.models import AuditEvent
from sukarela.mentoring.models import Photo
from sukarela.mentoring.services import photos as photo_services
from tests.mentoring.conftest import visit_payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt="JPEG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return buffer.getvalue()


def declare(client, group, data: bytes, content_type="image/jpeg", **over) -> str:
    """Submits a visit declaring one photo of `data`; returns the photo id."""
    photo = {"id": str(uuid.uuid4()), "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
             "content_type": content_type, **over}
    response = client.post("/api/field/visits", data=json.dumps(visit_payload(group, photos=[photo])),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    return photo["id"]


def send(client, photo_id, data: bytes, start: int, total: int):
    end = start + len(data) - 1
    return client.put(f"/api/field/photos/{photo_id}", data=data, content_type="application/octet-stream",
                      HTTP_CONTENT_RANGE=f"bytes {start}-{end}/{total}")


@pytest.fixture
def tks_client(client, field_world):
    client.force_login(field_world.tks)
    return client


def test_a_photo_in_parts_resumes_after_a_cut(tks_client, field_world, media, django_capture_on_commit_callbacks):
    data = image_bytes(size=(400, 300))
    photo_id = declare(tks_client, field_world.groups[0], data)
    third = len(data) // 3
    first = send(tks_client, photo_id, data[:third], 0, len(data))
    assert first.json() == {"id": photo_id, "received": third, "size": len(data), "complete": False}
    # the connection drops; the phone asks where to resume
    assert tks_client.get(f"/api/field/photos/{photo_id}").json()["received"] == third
    again = send(tks_client, photo_id, data[:third], 0, len(data))  # the same part twice: harmless
    assert again.status_code == 409 and again.json()["received"] == third
    ahead = send(tks_client, photo_id, data[2 * third:], 2 * third, len(data))  # out of order
    assert ahead.status_code == 409 and ahead.json()["received"] == third
    assert send(tks_client, photo_id, data[third:2 * third], third, len(data)).json()["received"] == 2 * third
    with django_capture_on_commit_callbacks(execute=True):  # the part file goes once the copy is committed
        done = tks_client.put(f"/api/field/photos/{photo_id}?offset={2 * third}", data=data[2 * third:],
                              content_type="application/octet-stream")
    assert done.json() == {"id": photo_id, "received": len(data), "size": len(data), "complete": True}
    photo = Photo.objects.get()
    assert photo.file.read() == data and photo.file.name.endswith(".jpg")
    assert not photo_services.part_path(photo_id).exists()
    assert AuditEvent.objects.filter(action="complete_photo", target_id=photo_id).count() == 1
    # the last part again, after completion: nothing changes, the phone learns it is complete
    late = send(tks_client, photo_id, data[2 * third:], 2 * third, len(data))
    assert late.status_code == 409 and late.json()["complete"] is True


@pytest.mark.parametrize("fmt,content_type,ext", [("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp")])
def test_png_and_webp(tks_client, field_world, fmt, content_type, ext):
    data = image_bytes(fmt)
    photo_id = declare(tks_client, field_world.groups[0], data, content_type)
    assert send(tks_client, photo_id, data, 0, len(data)).json()["complete"] is True
    assert Photo.objects.get().file.name.endswith("." + ext)


def test_bytes_past_received_left_by_a_failed_write_are_cut(tks_client, field_world):
    data = image_bytes()
    photo_id = declare(tks_client, field_world.groups[0], data)
    send(tks_client, photo_id, data[:100], 0, len(data))
    with open(photo_services.part_path(photo_id), "ab") as fh:
        fh.write(b"garbage that was never acknowledged")
    assert send(tks_client, photo_id, data[100:], 100, len(data)).json()["complete"] is True
    assert Photo.objects.get().file.read() == data


@pytest.mark.parametrize("case", ["not_an_image", "wrong_type", "truncated_image", "bad_sha"])
def test_a_bad_photo_is_discarded_and_says_why(tks_client, field_world, case):
    jpeg = image_bytes()
    data, declared = {
        "not_an_image": (b"%PDF-1.4 not a photo at all" * 10, "image/jpeg"),
        "wrong_type": (image_bytes("PNG"), "image/jpeg"),
        "truncated_image": (jpeg[:20] + b"\0" * 50, "image/jpeg"),
        "bad_sha": (jpeg, "image/jpeg"),
    }[case]
    over = {"sha256": "0" * 64} if case == "bad_sha" else {}
    photo_id = declare(tks_client, field_world.groups[0], data, declared, **over)
    response = send(tks_client, photo_id, data, 0, len(data))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "photo"]
    photo = Photo.objects.get()
    assert photo.received == 0 and not photo.complete and not photo.file
    assert not photo_services.part_path(photo_id).exists()
    assert AuditEvent.objects.filter(action="reject_photo").count() == 1


def test_a_part_over_the_chunk_size_or_past_the_declared_size(tks_client, field_world, settings):
    settings.SUKARELA_FIELD = {**settings.SUKARELA_FIELD, "chunk_bytes": 100}
    data = image_bytes()
    photo_id = declare(tks_client, field_world.groups[0], data)
    assert send(tks_client, photo_id, data[:101], 0, len(data)).status_code == 422
    wrong_total = send(tks_client, photo_id, data[:50], 0, len(data) + 1)
    assert wrong_total.json()["detail"][0]["loc"] == ["body", "size"]
    bad_range = tks_client.put(f"/api/field/photos/{photo_id}", data=data[:50],
                               content_type="application/octet-stream", HTTP_CONTENT_RANGE="bytes 0-99/10")
    assert bad_range.json()["detail"][0]["loc"] == ["body", "content_range"]
    no_position = tks_client.put(f"/api/field/photos/{photo_id}", data=data[:50],
                                 content_type="application/octet-stream")
    assert no_position.json()["detail"][0]["loc"] == ["body", "offset"]
    assert Photo.objects.get().received == 0


def test_an_oversized_photo_is_refused_when_declared(tks_client, field_world):
    photo = {"id": str(uuid.uuid4()), "size": 1_500_001, "sha256": "a" * 64, "content_type": "image/jpeg"}
    response = tks_client.post("/api/field/visits", data=json.dumps(visit_payload(field_world.groups[0],
                                                                                  photos=[photo])),
                               content_type="application/json")
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "photos", 0, "size"]]


def test_only_the_visits_tks_may_upload(client, field_world):
    data = image_bytes()
    client.force_login(field_world.tks)
    photo_id = declare(client, field_world.groups[0], data)
    client.force_login(field_world.other_tks)
    assert send(client, photo_id, data, 0, len(data)).status_code == 404
    assert client.get(f"/api/field/photos/{photo_id}").status_code == 404
    client.force_login(field_world.district)
    assert send(client, photo_id, data, 0, len(data)).status_code == 404
    assert Photo.objects.get().received == 0
    assert send(client, str(uuid.uuid4()), data, 0, len(data)).status_code == 404


# --- after a crash ---------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["missing", "short"])
def test_a_lost_part_file_restarts_the_photo_from_zero(tks_client, field_world, damage):
    """The row says 200 bytes arrived but the part file holds fewer (lost in a crash, or a restored
    disk): appending would leave a hole, so the upload goes back to 0 and the phone resends it all."""
    data = image_bytes(size=(300, 200))
    photo_id = declare(tks_client, field_world.groups[0], data)
    assert send(tks_client, photo_id, data[:200], 0, len(data)).json()["received"] == 200
    part = photo_services.part_path(photo_id)
    if damage == "missing":
        part.unlink()
    else:
        part.write_bytes(data[:120])
    response = send(tks_client, photo_id, data[200:400], 200, len(data))
    assert response.status_code == 409 and response.json()["received"] == 0, response.content
    assert Photo.objects.get().received == 0 and not part.exists()
    assert AuditEvent.objects.filter(action="restart_photo", target_id=photo_id).count() == 1
    assert tks_client.get(f"/api/field/photos/{photo_id}").json()["received"] == 0
    assert send(tks_client, photo_id, data, 0, len(data)).json()["complete"] is True
    assert Photo.objects.get().file.read() == data


def test_a_failed_commit_keeps_the_part_so_the_last_part_can_be_sent_again(tks_client, field_world, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    """The photo is complete and checked, but the transaction storing that fails (here: its audit
    record): the part file must still be there, the row still at the last part, and the phone's
    retry of that part completes the photo."""
    data = image_bytes(size=(300, 200))
    photo_id = declare(tks_client, field_world.groups[0], data)
    half = len(data) // 2
    send(tks_client, photo_id, data[:half], 0, len(data))
    real_record = photo_services.audit.record

    def failing(actor, action, *args, **kwargs):
        if action == "complete_photo":
            raise RuntimeError("the database went away")
        return real_record(actor, action, *args, **kwargs)

    monkeypatch.setattr(photo_services.audit, "record", failing)
    with pytest.raises(RuntimeError):
        photo_services.receive_part(field_world.tks, photo_id, half, len(data), data[half:])
    monkeypatch.setattr(photo_services.audit, "record", real_record)
    photo = Photo.objects.get()
    assert photo.received == half and not photo.complete
    assert photo_services.part_path(photo_id).stat().st_size >= half
    with django_capture_on_commit_callbacks(execute=True):
        response = send(tks_client, photo_id, data[half:], half, len(data))
    assert response.json()["complete"] is True
    assert Photo.objects.get().file.read() == data
    assert not photo_services.part_path(photo_id).exists()
