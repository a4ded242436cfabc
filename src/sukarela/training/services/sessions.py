"""The schedule: generated from the curriculum onto working days, then adjusted by hand.

A trainer, a room (not an online one) and a cohort each hold one session at a time;
any change that would double-book one of them is refused, naming the other session.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.models import User
from sukarela.engines import schedule as engine
from sukarela.training.models import Attendance, Cohort, Mode, Session, Venue, new_code
from sukarela.training.permissions import require_manager
from sukarela.training.services.common import assign, trainer_problem, venue_problem

SESSION_FIELDS = ("module", "date", "starts_at", "ends_at", "trainer", "venue", "note")
BREAK = dt.timedelta(hours=1)
CODE_LENGTH = 6


def days_off_for(cohort: Cohort) -> dict[dt.date, str]:
    """National holidays (and cuti bersama unless the cohort works them) plus the cohort's own days off."""
    try:
        days = engine.indonesian_days_off(cohort.starts_on, cohort.ends_on, cuti_bersama=cohort.skip_cuti_bersama)
    except engine.ScheduleError as exc:
        raise ValidationError(_(
            "Data hari libur nasional tahun %(year)s belum tersedia (lokal-id). Jadwal tidak dibuat agar tidak "
            "jatuh pada hari libur; perbarui lokal-id atau persingkat periode.") % {"year": exc.year}) from None
    for extra in cohort.extra_days_off or []:
        days.setdefault(dt.date.fromisoformat(extra["date"]), extra["reason"])
    return days


def slot_times(cohort: Cohort, slot: int) -> tuple[dt.time, dt.time]:
    length = dt.timedelta(hours=cohort.session_hours)
    start = dt.datetime.combine(dt.date.min, cohort.day_starts_at) + slot * (length + BREAK)
    return start.time(), (start + length).time()


def _overlapping(date, starts_at, ends_at) -> Q:
    return Q(date=date, starts_at__lt=ends_at, ends_at__gt=starts_at)


def clashes(session: Session) -> list[str]:
    """Why this session cannot take place as set: every double booking, named."""
    others = Session.objects.exclude(pk=session.pk).filter(
        _overlapping(session.date, session.starts_at, session.ends_at)).select_related("cohort", "module")
    found = []
    for other in others.filter(cohort_id=session.cohort_id):
        found.append(_("Angkatan ini sudah ada sesi %(s)s pada waktu itu.") % {"s": other})
    if session.trainer_id:
        for other in others.filter(trainer_id=session.trainer_id).exclude(cohort_id=session.cohort_id):
            found.append(_("Pelatih sudah mengajar %(s)s di angkatan %(c)s.") % {"s": other, "c": other.cohort})
    if session.venue_id and session.venue.can_clash:
        for other in others.filter(venue_id=session.venue_id).exclude(cohort_id=session.cohort_id):
            found.append(_("Tempat sudah dipakai %(s)s oleh angkatan %(c)s.") % {"s": other, "c": other.cohort})
    return found


def _blocked(cohort: Cohort, module, slots_per_day: int) -> frozenset:
    """Slots where this module's trainer or room is busy with another cohort."""
    who = Q()
    if module.trainer_id:
        who |= Q(trainer_id=module.trainer_id)
    venue = cohort.venue if module.mode == Mode.CLASSROOM else None
    if venue is not None and venue.can_clash:
        who |= Q(venue_id=venue.pk)
    if not who:
        return frozenset()
    busy = Session.objects.filter(who, date__range=(cohort.starts_on, cohort.ends_on)).exclude(cohort=cohort)
    blocked = set()
    for date, starts_at, ends_at in busy.values_list("date", "starts_at", "ends_at"):
        for slot in range(slots_per_day):
            start, end = slot_times(cohort, slot)
            if starts_at < end and ends_at > start:
                blocked.add((date, slot))
    return frozenset(blocked)


def _lock(trainer_ids, venue_ids) -> None:
    """Serialise bookings of the same trainer or room across cohorts: without it, two officers
    scheduling at once could each see the other's slot free. Always in key order (no deadlock)."""
    list(User.objects.select_for_update().filter(pk__in=[t for t in trainer_ids if t]).order_by("pk"))
    list(Venue.objects.select_for_update().filter(pk__in=[v for v in venue_ids if v]).order_by("pk"))


def _unique_codes(n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        fresh = {new_code(CODE_LENGTH) for _ in range(n - len(codes))}
        codes |= fresh - set(Session.objects.filter(check_in_code__in=fresh).values_list("check_in_code", flat=True))
    return sorted(codes)


@transaction.atomic
def generate_schedule(actor, cohort: Cohort) -> list[Session]:
    """Replace the cohort's sessions with a fresh schedule. Refused once attendance is recorded:
    from then on the schedule changes session by session."""
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("venue").get(pk=cohort.pk)
    require_manager(actor, cohort)
    if Attendance.objects.filter(session__cohort=cohort).exists():
        raise ValidationError(_("Kehadiran sudah dicatat; ubah jadwal per sesi, bukan dibuat ulang."))
    modules = list(cohort.modules.all())
    _lock([m.trainer_id for m in modules], [cohort.venue_id])
    days_off = days_off_for(cohort)
    needs = [engine.ModuleNeed(m.code, engine.sessions_needed(m.planned_hours, cohort.session_hours),
                               _blocked(cohort, m, cohort.sessions_per_day)) for m in modules]
    try:
        placed = engine.generate(cohort.starts_on, cohort.ends_on, needs, days_off,
                                 sessions_per_day=cohort.sessions_per_day)
    except engine.ScheduleError as exc:
        if exc.code == "too_few_slots":
            raise ValidationError(_(
                "Hanya %(available)s dari %(needed)s sesi muat di hari kerja periode ini. Perpanjang periode, "
                "tambah sesi per hari, atau kurangi jam modul.") % {"available": exc.available,
                                                                  "needed": exc.needed}) from None
        raise ValidationError(str(exc)) from None
    by_code = {m.code: m for m in modules}
    old = cohort.sessions.count()
    cohort.sessions.all().delete()
    sessions = []
    for item, code in zip(placed, _unique_codes(len(placed))):
        module = by_code[item.key]
        starts_at, ends_at = slot_times(cohort, item.slot)
        sessions.append(Session(cohort=cohort, module=module, date=item.date, starts_at=starts_at, ends_at=ends_at,
                                trainer_id=module.trainer_id, check_in_code=code,
                                venue=cohort.venue if module.mode == Mode.CLASSROOM else None))
    Session.objects.bulk_create(sessions)
    audit.record(actor, "generate_schedule", cohort, {"sessions": [old, len(sessions)]})
    return sessions


def _check(session: Session, actor) -> None:
    cohort = session.cohort
    errors = {}
    if session.module_id and session.module.cohort_id != cohort.pk:
        errors["module"] = _("Modul ini bukan milik angkatan ini.")
    if session.date:
        if not cohort.starts_on <= session.date <= cohort.ends_on:
            errors["date"] = _("Tanggal di luar periode angkatan (%(a)s – %(b)s).") % {
                "a": cohort.starts_on, "b": cohort.ends_on}
        else:
            reason = engine.day_off_reason(session.date, days_off_for(cohort))
            if reason:
                errors["date"] = _("Bukan hari kerja: %(reason)s.") % {
                    "reason": _("akhir pekan") if reason == "weekend" else reason}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("Jam selesai harus setelah jam mulai.")
    if session.trainer_id and trainer_problem(session.trainer, cohort):
        errors["trainer"] = trainer_problem(session.trainer, cohort)
    if session.venue_id and venue_problem(session.venue, cohort):
        errors["venue"] = venue_problem(session.venue, cohort)
    if errors:
        raise ValidationError(errors)
    found = clashes(session)
    if found:
        raise ValidationError({"__all__": found})


@transaction.atomic
def add_session(actor, cohort: Cohort, **data) -> Session:
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require_manager(actor, cohort)
    session = Session(cohort=cohort, check_in_code=_unique_codes(1)[0])
    assign(session, data, SESSION_FIELDS)
    _lock([session.trainer_id], [session.venue_id])
    session.full_clean(exclude=["cohort"])
    _check(session, actor)
    session.save()
    audit.record(actor, "create", session, audit.diff(Session, {}, audit.snapshot(session, SESSION_FIELDS)))
    return session


@transaction.atomic
def update_session(actor, session: Session, **data) -> Session:
    Cohort.objects.select_for_update().get(pk=session.cohort_id)
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    require_manager(actor, session.cohort)
    before = audit.snapshot(session, SESSION_FIELDS)
    assign(session, data, SESSION_FIELDS)
    _lock([session.trainer_id], [session.venue_id])
    session.full_clean(exclude=["cohort"])
    _check(session, actor)
    session.save()
    audit.record(actor, "update", session, audit.diff(Session, before, audit.snapshot(session, SESSION_FIELDS)))
    return session


@transaction.atomic
def delete_session(actor, session: Session) -> None:
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    require_manager(actor, session.cohort)
    if session.attendance.exists():
        raise ValidationError(_("Sesi ini sudah punya catatan kehadiran dan tidak dapat dihapus."))
    audit.record(actor, "delete", session, {"date": [str(session.date), None]})
    session.delete()

