"""Checks on uploaded documents: the type comes from the bytes, never from the name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MAX_FILES = 5


def document_response(doc) -> FileResponse:
    """Always a download, named by the type its bytes have, and sandboxed should a browser render it."""
    stem = (doc.original_name.rsplit(".", 1)[0] or "dokumen")[:80]
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type, as_attachment=True,
                            filename=f"{stem}.{ALLOWED.get(doc.content_type, 'bin')}")
    response["Content-Security-Policy"] = "sandbox"
    return response


def max_bytes() -> int:
    return getattr(settings, "SUKARELA_DOCUMENT_MAX_BYTES", 2 * 1024 * 1024)


def check_document(upload) -> tuple[str, str]:
    """(content type, extension) of an acceptable upload, else a ValidationError naming the file."""
    name = getattr(upload, "name", "") or "?"
    if upload.size > max_bytes():
        raise ValidationError(
            _("%(n)s: ukuran %(s)s KB melebihi batas %(m)s KB.")
            % {"n": name[:80], "s": upload.size // 1024, "m": max_bytes() // 1024})
    if upload.size == 0:
        raise ValidationError(_("%(n)s: berkas kosong.") % {"n": name[:80]})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(
            _("%(n)s: isi berkas bukan PDF, JPG atau PNG (terdeteksi: %(k)s).")
            % {"n": name[:80], "k": kind.mime if kind else _("tidak dikenal")})
    return kind.mime, ALLOWED[kind.mime]


def check_documents(uploads, already: int = 0) -> list:
    """`already`: documents the application holds; corrections add to them, up to MAX_FILES in all."""
    uploads = list(uploads)
    errors, checked = [], []
    if len(uploads) + already > MAX_FILES:
        errors.append(_("Paling banyak %(m)d berkas per lamaran (sudah ada %(a)d).") % {"m": MAX_FILES, "a": already})
    for kind, upload in uploads:
        try:
            checked.append((kind, upload, *check_document(upload)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"documents": errors})
    return checked
