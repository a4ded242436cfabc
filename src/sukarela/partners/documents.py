"""Agreement documents: a PDF told by its bytes (filetype), never by its name, at most
settings.SUKARELA_AGREEMENT_MAX_BYTES; served only as a sandboxed download (views check scope)."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

PDF = "application/pdf"


def max_bytes() -> int:
    return getattr(settings, "SUKARELA_AGREEMENT_MAX_BYTES", 5 * 1024 * 1024)


def check_pdf(upload) -> None:
    name = (getattr(upload, "name", "") or "?")[:80]
    if upload.size == 0:
        raise ValidationError({"document": _("%(n)s: berkas kosong.") % {"n": name}})
    if upload.size > max_bytes():
        raise ValidationError({"document": _("%(n)s: ukuran %(s)s KB melebihi batas %(m)s KB.") % {
            "n": name, "s": upload.size // 1024, "m": max_bytes() // 1024}})
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime != PDF:
        raise ValidationError({"document": _("%(n)s: isi berkas bukan PDF (terdeteksi: %(k)s).") % {
            "n": name, "k": kind.mime if kind else _("tidak dikenal")}})


def download_name(agreement) -> str:
    stem = slugify(f"{agreement.get_kind_display().split(' (')[0]} {agreement.number}")[:80] or "perjanjian"
    return f"{stem}.pdf"


def document_response(agreement) -> FileResponse:
    """Always a download; should a browser render it anyway, the sandbox keeps its scripts inert."""
    response = FileResponse(agreement.document.open("rb"), content_type=PDF, as_attachment=True,
                            filename=download_name(agreement))
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
