"""Module scores: each attempt is a new row; a remedial attempt never overwrites the first.

Another attempt is allowed only after a fail and up to the cohort's maximum
(engines.graduation.may_attempt). Scores are entered one by one or imported from a
file (username, module code, score, date) with the same row/column error report as
the recruitment import.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.engines import graduation as engine
from sukarela.engines.tabular import ROW, Column
from sukarela.training.models import Assessment, Cohort, CohortModule, Participant, ParticipantStatus
from sukarela.training.permissions import require_recorder
from sukarela.core.importing import ImportResult, RowError, parse_date, read_upload

# The template's headers are Indonesian, like every import; English aliases are accepted.
IMPORT_COLUMNS = (
    Column("username", "Nama Pengguna", ("nama_pengguna", "pengguna"), required=True),
    Column("module", "Kode Modul", ("kode_modul", "modul"), required=True),
    Column("score", "Nilai", ("nilai",), required=True),
    Column("assessed_on", "Tanggal", ("tanggal", "date", "tanggal_penilaian")),
    Column("note", "Catatan", ("catatan",)),
)
FINAL_CODES = ("akhir", "final", "ujian_akhir")
HEADER_OF = {c.key: c.header for c in IMPORT_COLUMNS}


def parse_score(value) -> Decimal:
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("Nilai '%(v)s' bukan angka.") % {"v": value}}) from None
    if not score.is_finite() or not 0 <= score <= 100:
        raise ValidationError({"score": _("Nilai harus antara 0 dan 100.")})
    if score != score.quantize(Decimal("0.01")):  # rounding 69.995 up would turn a fail into a pass
        raise ValidationError({"score": _("Nilai paling banyak dua angka di belakang koma.")})
    return score.quantize(Decimal("0.01"))


def _attempts(participant, module) -> list[float]:
    return [float(s) for s in Assessment.objects.filter(participant=participant, module=module)
            .order_by("attempt").values_list("score", flat=True)]


def _check_attempt(participant: Participant, module: CohortModule | None) -> int:
    cohort = participant.cohort
    if participant.status != ParticipantStatus.ACTIVE:
        raise ValidationError(_("%(name)s tidak sedang mengikuti pelatihan.") % {"name": participant.volunteer.full_name})
    if module is not None and module.cohort_id != cohort.pk:
        raise ValidationError({"module": _("Modul ini bukan milik angkatan peserta.")})
    if module is None and not cohort.has_final:
        raise ValidationError({"module": _("Angkatan ini tidak memakai ujian akhir.")})
    pass_mark = float(cohort.final_pass_mark if module is None else module.pass_mark)
    scores = _attempts(participant, module)
    refused = engine.may_attempt(engine.ModuleResult("", "", pass_mark, tuple(scores)), cohort.max_attempts)
    if refused == "passed":
        raise ValidationError({"score": _("Sudah lulus; remedial hanya untuk yang belum lulus.")})
    if refused == "max_attempts":
        raise ValidationError({"score": _("Sudah %(n)s kali percobaan (maksimum angkatan ini).") % {
            "n": cohort.max_attempts}})
    return len(scores) + 1


def _record(actor, participant, module, score, assessed_on, note) -> Assessment:
    attempt = _check_attempt(participant, module)
    row = Assessment.objects.create(participant=participant, module=module, attempt=attempt, score=score,
                                    assessed_on=assessed_on or timezone.localdate(), note=(note or "")[:200],
                                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor, "assess", row, {"score": [None, str(score)], "attempt": [None, attempt],
                                        "module": [None, module.code if module else "final"]})
    return row


@transaction.atomic
def record_score(actor, participant: Participant, module: CohortModule | None, score,
                 assessed_on: dt.date | None = None, note: str = "") -> Assessment:
    """A new attempt for `module` (None: the final assessment)."""
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("cohort", "volunteer")
                   .get(pk=participant.pk))
    require_recorder(actor, participant.cohort)
    _check_date(participant.cohort, assessed_on)
    return _record(actor, participant, module, parse_score(score), assessed_on, note)


def _check_date(cohort: Cohort, day: dt.date | None) -> None:
    if day is not None and not cohort.starts_on <= day <= timezone.localdate():
        raise ValidationError({"assessed_on": _("Tanggal penilaian antara awal angkatan (%(a)s) dan hari ini.")
                               % {"a": cohort.starts_on.isoformat()}})


def _attempt_date(cohort: Cohort, text: str) -> dt.date | None:
    if not text:
        return None
    day = parse_date(text[:10])
    if day is None:
        raise ValidationError({"assessed_on": _("Isi tanggal TTTT-BB-HH atau HH/BB/TTTT.")})
    _check_date(cohort, day)
    return day


@transaction.atomic
def import_scores(actor, cohort: Cohort, upload, mode: str) -> ImportResult:
    """Rows in file order (a second row for the same module is the remedial attempt). Mode "all": one
    wrong row stores nothing; "valid": the valid rows are stored and the others reported."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require_recorder(actor, cohort)
    table = read_upload(upload, IMPORT_COLUMNS, mode)
    result = ImportResult(mode=mode, total=table.frame.height + len(table.row_errors))
    result.errors = [RowError(row, "", message) for row, message in table.row_errors]
    # Locked like record_score's participant, so the two never number the same attempt twice.
    people = {p.volunteer.username.casefold(): p for p in
              cohort.participants.select_for_update(of=("self",)).select_related("volunteer", "cohort")}
    modules = {m.code.casefold(): m for m in cohort.modules.all()}
    for cells in table.frame.iter_rows(named=True):
        cells = {c.key: cells.get(c.key) or "" for c in IMPORT_COLUMNS} | {ROW: cells[ROW]}
        sid = transaction.savepoint()
        try:
            participant = people.get(cells["username"].casefold())
            if participant is None:
                raise ValidationError({"username": _("Bukan peserta angkatan ini.")})
            code = cells["module"].casefold()
            module = None if code in FINAL_CODES else modules.get(code)
            if module is None and code not in FINAL_CODES:
                raise ValidationError({"module": _("Kode modul ini tidak ada di angkatan ini.")})
            _record(actor, participant, module, parse_score(cells["score"]), _attempt_date(cohort, cells["assessed_on"]),
                    cells["note"])
        except ValidationError as exc:
            transaction.savepoint_rollback(sid)
            pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [("username", exc.messages)]
            result.errors.extend(RowError(cells[ROW], HEADER_OF.get(key, ""), message, cells.get(key, "")[:100])
                                 for key, messages in pairs for message in messages)
        else:
            transaction.savepoint_commit(sid)
            result.stored += 1
    result.errors.sort(key=lambda e: e.row)
    if not result.applied:
        transaction.set_rollback(True)
        result.stored = 0
    return result
