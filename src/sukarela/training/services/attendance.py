"""Attendance: one mark per participant and session, set by the trainer's tap, by the TKS's
own check-in with the session's code, or from a file an officer uploads.

Every stored change is one audit record ({"mark": [old, new]}); an import records each
mark it changes, so a participant's history reads the same whichever way a mark came in.
A mark that does not change writes nothing.

Session dates and times are wall-clock times where the cohort trains, so "today" and the
check-in window are taken in the time zone of the cohort's region (regions.timezones: a
cohort in Lombok runs on WITA). No mark is taken for a session whose day is still to come.
"""

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.roles import Role
from sukarela.engines.tabular import Column
from sukarela.regions.timezones import label_of, zone_of
from sukarela.training.models import (Attendance, Cohort, Mark, MarkSource, Participant, ParticipantStatus,
                                      Session)
from sukarela.training.permissions import require_manager, require_recorder
from sukarela.core.importing import ImportResult, RowError, parse_date, read_upload

OPENS_BEFORE = dt.timedelta(minutes=60)
LATE_AFTER = dt.timedelta(minutes=15)
# What a trainer or an officer has set stands; a check-in only fills a gap or corrects "absent".
KEPT_ON_CHECK_IN = {Mark.PRESENT, Mark.LATE, Mark.EXCUSED}

MARK_WORDS = {"hadir": Mark.PRESENT, "terlambat": Mark.LATE, "telat": Mark.LATE, "izin": Mark.EXCUSED,
              "ijin": Mark.EXCUSED, "sakit": Mark.EXCUSED, "alpa": Mark.ABSENT, "alpha": Mark.ABSENT,
              "tidak hadir": Mark.ABSENT, **{m.value: m for m in Mark}}

COLUMNS = (
    Column("date", "tanggal", ("date", "tgl"), True),
    Column("start", "jam_mulai", ("jam mulai", "jam", "start", "start time", "starts_at")),
    Column("username", "nama_pengguna", ("nama pengguna", "username", "user", "akun"), True),
    Column("mark", "status", ("kehadiran", "mark", "attendance", "presensi"), True),
)
HEADER_OF = {c.key: c.header for c in COLUMNS}


def _store(actor, session: Session, participant: Participant, mark: str, source: str,
           action: str) -> tuple[Attendance, bool]:
    """Create or change the one row; (row, whether anything changed)."""
    row = Attendance.objects.select_for_update().filter(session=session, participant=participant).first()
    old = row.mark if row else None
    if row is not None and old == mark:
        return row, False
    mark = Mark(mark).value
    row = row or Attendance(session=session, participant=participant)
    row.mark, row.source, row.recorded_at = mark, source, timezone.now()
    row.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit.record(actor, action, row, {"mark": [old, mark]})
    return row, True


def _check_mark(value: str) -> None:
    if value not in Mark.values:
        raise ValidationError({"mark": _("Pilih hadir, terlambat, izin atau alpa.")})


def _check_participant(session: Session, participant: Participant) -> None:
    if participant.cohort_id != session.cohort_id:
        raise ValidationError({"participant": _("%(name)s bukan peserta angkatan sesi ini.")
                               % {"name": participant.volunteer.full_name}})
    if participant.status != ParticipantStatus.ACTIVE:
        raise ValidationError({"participant": _("%(name)s sudah %(status)s; kehadirannya tidak dicatat lagi.")
                               % {"name": participant.volunteer.full_name,
                                  "status": participant.get_status_display().lower()}})


def local_today(cohort: Cohort, now: dt.datetime | None = None) -> dt.date:
    """Today where the cohort trains."""
    return (now or timezone.now()).astimezone(zone_of(cohort.region_id)).date()


def _future_message(session: Session) -> str:
    return (_("Sesi ini belum berlangsung (tanggal %(date)s); kehadiran dicatat pada atau setelah hari sesi.")
            % {"date": date_format(session.date, "j F Y")})


def _check_held(session: Session, now: dt.datetime | None) -> None:
    if session.date > local_today(session.cohort, now):
        raise ValidationError(_future_message(session))


@transaction.atomic
def mark(actor, session: Session, participant: Participant, mark: str, *,
         source: str = MarkSource.TRAINER, now: dt.datetime | None = None) -> Attendance:
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    require_recorder(actor, session.cohort)
    _check_held(session, now)
    _check_mark(mark)
    # Locking the participant serialises two taps on the same person (the row may not exist yet).
    participant = Participant.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=participant.pk)
    _check_participant(session, participant)
    return _store(actor, session, participant, mark, source, "mark")[0]


@transaction.atomic
def mark_many(actor, session: Session, items, *, now: dt.datetime | None = None) -> list[Attendance]:
    """[(participant pk, mark)] all or nothing; errors name the item (index) and its field."""
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    require_recorder(actor, session.cohort)
    _check_held(session, now)
    items = list(items)
    found = {p.pk: p for p in Participant.objects.select_for_update(of=("self",)).select_related("volunteer").filter(
        pk__in=[pid for pid, _m in items if isinstance(pid, int)])}
    errors, seen = [], {}
    for index, (pid, value) in enumerate(items):
        participant = found.get(pid)
        if participant is None or participant.cohort_id != session.cohort_id:
            errors.append(_item_error(index, "participant", _("Bukan peserta angkatan sesi ini.")))
        elif participant.status != ParticipantStatus.ACTIVE:
            errors.append(_item_error(index, "participant", _("Peserta sudah tidak aktif di angkatan ini.")))
        elif pid in seen:
            errors.append(_item_error(index, "participant", _("Peserta ini sudah ada di butir %(i)s.")
                                      % {"i": seen[pid]}))
        if value not in Mark.values:
            errors.append(_item_error(index, "mark", _("Pilih present, late, excused atau absent.")))
        seen.setdefault(pid, index)
    if errors:
        raise ValidationError({"marks": errors})
    return [_store(actor, session, found[pid], value, MarkSource.TRAINER, "mark")[0] for pid, value in items]


def _item_error(index: int, name: str, message: str) -> ValidationError:
    return ValidationError(message, code="item", params={"index": index, "field": name})


@transaction.atomic
def mark_unmarked_present(actor, session: Session, *, now: dt.datetime | None = None) -> int:
    """The trainer's "everyone else is here" button: active participants with no mark yet."""
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    require_recorder(actor, session.cohort)
    _check_held(session, now)
    waiting = (Participant.objects.select_for_update().filter(cohort=session.cohort, status=ParticipantStatus.ACTIVE)
               .exclude(attendance__session=session))
    return sum(_store(actor, session, p, Mark.PRESENT, MarkSource.TRAINER, "mark")[1] for p in waiting)


# --------------------------------------------------------------------- self check-in

def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def window(session: Session) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(opens, late from, closes) in the cohort's time zone: only on the session's own day."""
    tz = zone_of(session.cohort.region_id)
    start = dt.datetime.combine(session.date, session.starts_at, tzinfo=tz)
    midnight = dt.datetime.combine(session.date, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(session.date, session.ends_at, tzinfo=tz)
    return max(start - OPENS_BEFORE, midnight), start + LATE_AFTER, end


def _when(moment: dt.datetime, region_code: str) -> str:
    """"1 September 2026 07:00 WITA": as the clock on the classroom wall shows it."""
    moment = moment.astimezone(zone_of(region_code))
    return f"{date_format(moment.date(), 'j F Y')} {time_format(moment.time(), 'H:i')} {label_of(region_code)}"


@transaction.atomic
def check_in(user, code: str, now: dt.datetime | None = None) -> Attendance:
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.TKS):
        raise PermissionDenied(_("Presensi mandiri hanya untuk TKS."))
    wanted = normalise_code(code)
    session = Session.objects.select_related("cohort", "module").filter(check_in_code=wanted).first() if wanted else None
    if session is None:
        raise ValidationError({"code": _("Kode presensi salah. Periksa lagi kode yang dibacakan pelatih.")})
    participant = (Participant.objects.select_for_update(of=("self",)).select_related("volunteer")
                   .filter(cohort=session.cohort, volunteer=user).first())
    if participant is None:
        raise ValidationError({"code": _("Kode ini untuk sesi angkatan lain; Anda bukan peserta angkatan itu.")})
    if participant.status != ParticipantStatus.ACTIVE:
        raise ValidationError({"code": _("Anda tidak lagi tercatat sebagai peserta aktif angkatan ini.")})
    now = now or timezone.now()
    opens, late_from, closes = window(session)
    region = session.cohort.region_id
    if now < opens:
        raise ValidationError({"code": _("Presensi sesi ini belum dibuka; dibuka %(when)s.")
                               % {"when": _when(opens, region)}})
    if now > closes:
        raise ValidationError({"code": _("Presensi sesi ini sudah ditutup sejak %(when)s.")
                               % {"when": _when(closes, region)}})
    current = Attendance.objects.filter(session=session, participant=participant).first()
    if current is not None and current.mark in KEPT_ON_CHECK_IN:
        return current
    return _store(user, session, participant, Mark.LATE if now > late_from else Mark.PRESENT, MarkSource.SELF,
                  "check_in")[0]


# --------------------------------------------------------------------- import

def parse_time(text: str) -> dt.time | None:
    text = text.replace(".", ":")
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return None


class _Rows:
    """Resolves each row to (session, participant, mark), collecting what is wrong with it."""

    def __init__(self, cohort: Cohort, today: dt.date):
        self.today = today
        self.sessions: dict[dt.date, list[Session]] = {}
        for s in cohort.sessions.order_by("date", "starts_at"):
            self.sessions.setdefault(s.date, []).append(s)
        # Locked so a trainer's tap cannot create the same mark while the import stores it.
        self.participants = {p.volunteer.username.casefold(): p for p in
                             cohort.participants.select_for_update(of=("self",)).select_related("volunteer")}
        self.first_row: dict[tuple[int, int], int] = {}

    def resolve(self, number: int, cells: dict) -> tuple[tuple | None, list[RowError]]:
        errors = []

        def bad(key, reason):
            errors.append(RowError(number, HEADER_OF[key], reason, cells.get(key, "")[:100]))

        session = self._session(cells, bad)
        participant = self.participants.get(cells["username"].casefold()) if cells["username"] else None
        if not cells["username"]:
            bad("username", _("Wajib diisi."))
        elif participant is None:
            bad("username", _("Bukan peserta angkatan ini."))
        elif participant.status != ParticipantStatus.ACTIVE:
            bad("username", _("Peserta sudah %(s)s.") % {"s": participant.get_status_display().lower()})
        value = MARK_WORDS.get(" ".join(cells["mark"].split()).casefold())
        if value is None:
            bad("mark", _("Isi hadir, terlambat, izin atau alpa."))
        if session and participant and not errors:
            first = self.first_row.setdefault((session.pk, participant.pk), number)
            if first != number:
                bad("username", _("Peserta dan sesi yang sama sudah ada di baris %(n)s.") % {"n": first})
        return (None if errors else (session, participant, value)), errors

    def _session(self, cells, bad) -> Session | None:
        day = parse_date(cells["date"])
        if day is None:
            bad("date", _("Isi tanggal TTTT-BB-HH atau HH/BB/TTTT.") if cells["date"] else _("Wajib diisi."))
            return None
        found = self.sessions.get(day, [])
        if not found:
            bad("date", _("Angkatan ini tidak punya sesi pada tanggal ini."))
            return None
        if day > self.today:
            bad("date", _future_message(found[0]))
            return None
        if not cells.get("start"):
            if len(found) == 1:
                return found[0]
            bad("start", _("Ada %(n)s sesi pada tanggal ini (%(times)s); isi jam mulai.") % {
                "n": len(found), "times": ", ".join(f"{s.starts_at:%H:%M}" for s in found)})
            return None
        start = parse_time(cells["start"])
        match = [s for s in found if s.starts_at == start]
        if start is None:
            bad("start", _("Isi jam mulai JJ:MM."))
        elif not match:
            bad("start", _("Tidak ada sesi yang mulai pukul %(t)s pada tanggal ini.") % {"t": f"{start:%H:%M}"})
        return match[0] if match else None


@transaction.atomic
def import_attendance(actor, cohort: Cohort, upload, mode: str, *, now: dt.datetime | None = None) -> ImportResult:
    """Mode "all": any wrong row and nothing is stored; "valid": the valid rows are stored."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require_manager(actor, cohort)
    table = read_upload(upload, COLUMNS, mode)
    result = ImportResult(mode=mode, total=table.frame.height + len(table.row_errors))
    result.errors = [RowError(row, "", message) for row, message in table.row_errors]
    rows = _Rows(cohort, local_today(cohort, now))
    good = []
    for cells in table.frame.iter_rows(named=True):
        cells = {c.key: cells.get(c.key) or "" for c in COLUMNS} | {"_row": cells["_row"]}
        resolved, errors = rows.resolve(cells["_row"], cells)
        result.errors.extend(errors)
        if resolved:
            good.append(resolved)
    result.errors.sort(key=lambda e: e.row)
    if not result.applied:
        return result
    changed = Counter(_store(actor, s, p, m, MarkSource.IMPORT, "import_mark")[1] for s, p, m in good)
    result.stored, result.unchanged = changed[True], changed[False]
    return result
