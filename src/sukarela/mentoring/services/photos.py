"""Photos of a visit, uploaded in small parts that resume after a dropped connection.

The visit declared each photo (id, size, SHA-256, type). Parts are appended, in order, to
MEDIA_ROOT/photo-parts/<id>.part; the row's `received` is the truth: a part must start exactly
there (else OutOfOrder tells the phone where to resume), and bytes on disk beyond `received` (a
write whose transaction failed) are cut before the next part. A part file shorter than `received`
(lost in a crash, or MEDIA_ROOT restored from an older copy) cannot be resumed: the upload goes
back to zero and the phone is told to restart from there. When the last byte is in, the whole photo
is checked (size, SHA-256, a real image of the declared type) and copied into Photo.file; the part
file is removed only once that is committed, so a failed transaction can take the last part again.
A photo that fails the check is discarded, back to zero bytes, and the error says why.
"""

import hashlib
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from sukarela.core import audit
from sukarela.mentoring.models import Photo

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


class OutOfOrder(Exception):
    """A part that does not start at the bytes received so far; `photo` says where to resume."""

    def __init__(self, photo: Photo):
        super().__init__(f"expected offset {photo.received}")
        self.photo = photo


class PartLost(Exception):
    """The part file holds fewer bytes than the row says were received."""


def part_path(photo_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "photo-parts" / f"{photo_id}.part"


def receive_part(actor, photo_id, start: int, total: int | None, data: bytes) -> Photo:
    """Appends one part of the caller's declared photo. Http404 when it is not theirs, OutOfOrder
    when `start` is not where the upload stands (or the part file was lost: then from byte 0),
    ValidationError (field named) for a bad part or, after the last part, a bad photo (then
    discarded)."""
    chunk = settings.SUKARELA_FIELD["chunk_bytes"]
    if len(data) > chunk:
        raise ValidationError({"part": _("Bagian terlalu besar: paling banyak %(m)d bita.") % {"m": chunk}})
    problem = restart = None
    with transaction.atomic():
        photo = Photo.objects.select_for_update().filter(pk=photo_id, visit__tks=actor).first()
        if photo is None:
            raise Http404("Not found")
        if total is not None and total != photo.size:
            raise ValidationError({"size": _("Ukuran total %(t)d tidak sama dengan ukuran yang dinyatakan (%(s)d).")
                                   % {"t": total, "s": photo.size}})
        if start != photo.received or photo.complete:
            raise OutOfOrder(photo)
        if not data:
            raise ValidationError({"part": _("Bagian kosong.")})
        if start + len(data) > photo.size:
            raise ValidationError({"part": _("Bagian melewati ukuran foto yang dinyatakan (%(s)d bita).")
                                   % {"s": photo.size}})
        path = part_path(photo.pk)
        try:
            _append(path, photo.received, data)
        except PartLost:
            restart = photo.received
            path.unlink(missing_ok=True)
            photo.received = 0
            photo.save(update_fields=["received"])
            audit.record(actor, "restart_photo", photo, {"received": [restart, 0]})
        else:
            photo.received += len(data)
            problem = _finish(actor, photo, path) if photo.received == photo.size else None
            if problem is None:
                photo.save(update_fields=["received", "file", "completed_at"])
            else:
                path.unlink(missing_ok=True)
                photo.received = 0
                photo.save(update_fields=["received"])
                audit.record(actor, "reject_photo", photo, {"received": [photo.size, 0], "reason": [None, problem]})
    # Raised after the commit, so the reset stays: the phone resends the photo from byte 0.
    if restart is not None:
        raise OutOfOrder(photo)
    if problem is not None:
        raise ValidationError({"photo": problem})
    return photo


def _append(path: Path, at: int, data: bytes) -> None:
    """Writes `data` at byte `at` of the part file, cutting what lies past it. PartLost when the
    file holds fewer than `at` bytes: writing there would leave a hole of zeros in the photo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    have = path.stat().st_size if path.exists() else 0
    if have < at:
        raise PartLost(path)
    with open(path, "r+b" if path.exists() else "wb") as fh:
        fh.seek(at)
        fh.truncate()  # bytes past `received` were never acknowledged
        fh.write(data)


def _finish(actor, photo: Photo, path: Path) -> str | None:
    """Checks the complete photo and stores a copy of it; the reason when it is not acceptable.
    The part file goes only when the transaction commits: were it moved now and the transaction
    then failed, the row would still say "all but the last part" with nothing left to append to."""
    problem = check(path, photo.size, photo.sha256, photo.content_type)
    if problem:
        return problem
    with open(path, "rb") as fh:
        photo.file.save(f"{photo.pk}.{EXTENSIONS[photo.content_type]}", File(fh), save=False)
    photo.completed_at = timezone.now()
    audit.record(actor, "complete_photo", photo, {"received": [0, photo.size], "file": [None, photo.file.name]})
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return None


def check(path: Path, size: int, sha256: str, content_type: str) -> str | None:
    """Why the bytes at `path` are not the declared photo, or None."""
    body = path.read_bytes()
    if len(body) != size:
        return _("Ukuran foto %(n)d bita, bukan %(s)d seperti yang dinyatakan.") % {"n": len(body), "s": size}
    if hashlib.sha256(body).hexdigest() != sha256:
        return _("SHA-256 foto tidak sama dengan yang dinyatakan: foto rusak di jalan, kirim ulang.")
    kind = filetype.guess(body[:8192])
    if kind is None or kind.mime != content_type:
        return _("Isi berkas bukan %(t)s (terdeteksi: %(k)s).") % {"t": content_type,
                                                                    "k": kind.mime if kind else _("tidak dikenal")}
    try:
        with Image.open(path) as image:
            image_format = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds for a broken file; all mean "not a real image"
        return _("Berkas bukan gambar %(t)s yang utuh.") % {"t": content_type}
    if image_format != PILLOW_FORMATS[content_type]:
        return _("Isi berkas bukan %(t)s.") % {"t": content_type}
    return None


def status(photo: Photo) -> dict:
    return {"id": photo.pk, "received": photo.received, "size": photo.size, "complete": photo.complete}


def discard_upload(photo_id) -> None:
    """Removes a part file (a photo dropped from its visit)."""
    part_path(photo_id).unlink(missing_ok=True)
