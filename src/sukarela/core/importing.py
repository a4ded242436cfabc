"""What every small import (training attendance and scores, TKM groups) shares: reading the
upload, the result with one error per row and column, the error report (row, column, reason,
value) and keeping that report in the importer's session for the download link under the result.

Recruitment's million-row import keeps its own report (with a machine code per error); these
files are small enough to be checked row by row inside one transaction.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

import polars as pl
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sukarela.engines.tabular import TableError, read_table, write_csv

MODES = ("all", "valid")
MODE_CHOICES = [("valid", gettext_lazy("Simpan baris yang benar, laporkan yang salah")),
                ("all", gettext_lazy("Semua atau tidak sama sekali"))]
MAX_UPLOAD = 5 * 1024 * 1024  # a cohort's five months, or a regency's groups, fit in well under this
REPORT_HEADERS = ("Baris", "Kolom", "Alasan", "Nilai")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str   # the header as in the template ("" for a row the file itself could not hold)
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    mode: str
    total: int = 0
    stored: int = 0      # rows that changed something
    unchanged: int = 0   # valid rows that matched what was already recorded
    errors: list = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def applied(self) -> bool:
        return not (self.errors and self.mode == "all")


def read_upload(upload, columns, mode: str, *, max_size: int = MAX_UPLOAD):
    """The table in an uploaded CSV/XLSX, or a ValidationError naming the field that is wrong."""
    if mode not in MODES:
        raise ValidationError({"mode": _("Mode impor tidak dikenal.")})
    if upload is None or not upload.size:
        raise ValidationError({"file": _("Pilih berkas CSV atau XLSX yang tidak kosong.")})
    if upload.size > max_size:
        raise ValidationError({"file": _("Berkas lebih dari %(m)d MB.") % {"m": max_size // 2**20}})
    upload.seek(0)
    try:
        return read_table(upload.read(), columns)
    except TableError as exc:
        raise ValidationError({"file": str(exc)}) from None


def every_column(frame, columns):
    """`frame` with a blank column for each optional one the file left out, so rows read alike."""
    missing = [c.key for c in columns if c.key not in frame.columns]
    return frame.with_columns([pl.lit("").alias(key) for key in missing]) if missing else frame


def parse_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def error_report(errors) -> bytes:
    """The rejected rows as CSV (formula-safe: engines.tabular)."""
    buffer = io.BytesIO()
    write_csv(buffer, REPORT_HEADERS, ((e.row, e.column, e.reason, e.value) for e in errors))
    return buffer.getvalue()


def remember_errors(request, key: str, result) -> None:
    # Kept in the importer's own session for the download link under the result.
    request.session[key] = [[e.row, e.column, e.reason, e.value] for e in result.errors]


def errors_download(request, key: str, filename: str):
    from sukarela.core.web import download

    rows = request.session.get(key)
    if not rows:
        raise Http404
    return download(error_report([RowError(*r) for r in rows]), filename, "csv")
