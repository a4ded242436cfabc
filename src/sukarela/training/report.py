"""The cohort report: one XLSX workbook of where every participant stands.

Sheets: "Ringkasan" (one row per participant: attendance, modules passed, final score and
the graduation rules still unmet, in words), "Kehadiran" (participant × held session, the
mark as a letter; "–" where the session does not count for them: before a late joiner
joined or after a drop-out left) and "Nilai" (participant × module: latest score, attempts, passed). The
numbers are those of the pages (training.results), and every cell goes through
engines.tabular.safe_cell, since names and titles are typed by people.
"""

import datetime as dt
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sukarela.engines.tabular import safe_cell
from sukarela.training import results
from sukarela.training.models import Attendance, Cohort, Mark, Session

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 cannot carry them
# One letter per mark, as attendance sheets are kept on paper in Indonesian offices.
LETTERS = {Mark.PRESENT: "H", Mark.LATE: "T", Mark.EXCUSED: "I", Mark.ABSENT: "A"}


NOT_COUNTED = "–"


def legend() -> str:
    return _("H = Hadir, T = Terlambat, I = Izin, A = Alpa, kosong = belum dicatat, "
             "– = tidak dihitung (sebelum bergabung atau sesudah keluar)")


def _yes(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def _pct(rate):
    return None if rate is None else round(rate, 1)


def cohort_report(cohort: Cohort, today: dt.date | None = None) -> bytes:
    rows = results.cohort_results(cohort, today=today)
    modules = list(cohort.modules.all())
    held = results.held_sessions(cohort, today)
    sessions = list(Session.objects.filter(pk__in=held).select_related("module").order_by("date", "starts_at", "id"))
    book = Workbook(write_only=True)
    _sheet(book, _("Ringkasan"), *_summary(rows, modules, cohort))
    _sheet(book, _("Kehadiran"), *_attendance(cohort, rows, sessions))
    _sheet(book, _("Nilai"), *_scores(rows, modules, cohort))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _who(r) -> list:
    return [r.participant.volunteer.full_name, r.participant.volunteer.username]


def _summary(rows, modules, cohort):
    headers = [_("Nama"), _("Nama pengguna"), _("Status"), _("Kehadiran (%)"), _("Modul lulus"),
               _("Jumlah modul"), _("Nilai ujian akhir"), _("Kelulusan")]
    body = []
    for r in rows:
        final = r.final_scores[-1] if r.final_scores else None
        verdict = _("Memenuhi syarat kelulusan") if r.eligible else "; ".join(r.reasons)
        body.append(_who(r) + [r.participant.get_status_display(), _pct(r.rate),
                               sum(1 for m in r.modules if m.passed), len(modules),
                               final if cohort.has_final else None, verdict])
    return headers, body


def _attendance(cohort, rows, sessions):
    headers = [_("Nama"), _("Nama pengguna")] + [
        f"{s.date:%Y-%m-%d} {s.starts_at:%H:%M} {s.module.code}" for s in sessions]
    marks = {(pid, sid): mark for pid, sid, mark in Attendance.objects.filter(
        session__in=sessions).values_list("participant_id", "session_id", "mark")}
    body = [_who(r) + [_letter(cohort, r.participant, s, marks) for s in sessions] for r in rows]
    return headers, body + [[], [legend()]]


def _letter(cohort, participant, session, marks) -> str:
    if not results.counts_for(participant, cohort, session.date):
        return NOT_COUNTED
    return LETTERS.get(marks.get((participant.pk, session.pk)), "")


def _scores(rows, modules, cohort):
    headers = [_("Nama"), _("Nama pengguna")]
    for m in modules:
        headers += [_("%(code)s nilai") % {"code": m.code}, _("%(code)s percobaan") % {"code": m.code},
                    _("%(code)s lulus") % {"code": m.code}]
    if cohort.has_final:
        headers += [_("Ujian akhir nilai"), _("Ujian akhir percobaan"), _("Ujian akhir lulus")]
    body = []
    for r in rows:
        row = _who(r)
        for m in r.modules:
            row += [m.latest, m.attempts, _yes(m.passed) if m.attempts else None]
        if cohort.has_final:
            latest = r.final_scores[-1] if r.final_scores else None
            row += [latest, len(r.final_scores),
                    _yes(latest >= float(cohort.final_pass_mark)) if latest is not None else None]
        body.append(row)
    return headers, body


def _sheet(book, title, headers, rows) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "C2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(header)) + 2, 8), 40)
    bold = Font(bold=True)

    def cell(value, font=None):
        value = safe_cell(value)
        if isinstance(value, str):
            value = _ILLEGAL_XML.sub("\ufffd", value)
        out = WriteOnlyCell(sheet, value if value != "" else None)
        if isinstance(value, str) and value:
            out.data_type = "s"  # text stays text: openpyxl would take "=..." for a formula
        if font is not None:
            out.font = font
        return out

    sheet.append([cell(str(h), bold) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
