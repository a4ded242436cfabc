"""Cohorts: made from a campaign and a curriculum (whose modules they copy), with their
timetable and graduation rules; run by the officers of the cohort's region."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.engines import schedule as engine
from sukarela.engines.schedule import five_months_after
from sukarela.training.models import Cohort, CohortModule, Module
from sukarela.training.permissions import require_in_scope, require_manager
from sukarela.training.services.common import assign, fields_of, save_audited, trainer_problem, venue_problem
from sukarela.training.services.curricula import MODULE_FIELDS
from sukarela.training.services.sessions import days_off_for, slot_times

# Fixed once the cohort exists: its modules were copied from that curriculum.
CREATE_ONLY = ("campaign", "curriculum")
COHORT_FIELDS = (
    "name", "region", "venue", "starts_on", "ends_on", "day_starts_at", "session_hours", "sessions_per_day",
    "skip_cuti_bersama", "extra_days_off", "min_attendance", "require_all_modules", "final_pass_mark",
    "max_attempts",
)
MAX_TEACHING_HOURS_PER_DAY = 10
# Holiday data exists for a few years at a time; far-off years only come from typing errors.
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_days_off(text: str) -> list[dict]:
    """Lines of 'YYYY-MM-DD reason' (a local holiday, an office closure) as stored on the cohort."""
    days, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _sep, reason = line.partition(" ")
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            errors.append(_("Baris %(n)s: '%(day)s' bukan tanggal TTTT-BB-HH.") % {"n": number, "day": day})
            continue
        days.append({"date": parsed.isoformat(), "reason": reason.strip() or _("Libur tambahan")})
    if errors:
        raise ValidationError({"extra_days_off": errors})
    return sorted(days, key=lambda d: d["date"])


def format_days_off(days: list[dict]) -> str:
    return "\n".join(f"{d['date']} {d['reason']}" for d in days or [])


def _check(cohort: Cohort) -> None:
    errors = {}
    if cohort.starts_on and cohort.ends_on and cohort.ends_on <= cohort.starts_on:
        errors["ends_on"] = _("Tanggal selesai harus setelah tanggal mulai.")
    if cohort.session_hours is not None and not 1 <= cohort.session_hours <= 8:
        errors["session_hours"] = _("Jam per sesi antara 1 dan 8.")
    if cohort.sessions_per_day is not None and not 1 <= cohort.sessions_per_day <= 3:
        errors["sessions_per_day"] = _("Sesi per hari antara 1 dan 3.")
    elif (cohort.session_hours or 0) * (cohort.sessions_per_day or 0) > MAX_TEACHING_HOURS_PER_DAY:
        errors["sessions_per_day"] = _("Lebih dari %(h)s jam pelatihan sehari.") % {"h": MAX_TEACHING_HOURS_PER_DAY}
    for field in ("min_attendance", "final_pass_mark"):
        value = getattr(cohort, field)
        if value is not None and not 0 <= float(value) <= 100:
            errors[field] = _("Nilai harus antara 0 dan 100.")
    if cohort.max_attempts is not None and cohort.max_attempts < 1:
        errors["max_attempts"] = _("Minimal satu percobaan.")
    if cohort.venue_id and venue_problem(cohort.venue, cohort):
        errors["venue"] = venue_problem(cohort.venue, cohort)
    if cohort.starts_on and not MIN_YEAR <= cohort.starts_on.year <= MAX_YEAR:
        errors["starts_on"] = _("Tahun mulai harus antara %(a)s dan %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}
    if cohort.day_starts_at and cohort.session_hours and cohort.sessions_per_day and "sessions_per_day" not in errors:
        last_end = slot_times(cohort, cohort.sessions_per_day - 1)[1]
        if last_end <= cohort.day_starts_at:  # the day's last session would run past midnight
            errors["day_starts_at"] = _("Sesi terakhir hari itu melewati tengah malam; mulai lebih pagi.")
    if errors:
        raise ValidationError(errors)


def _normalise(data: dict) -> dict:
    data = dict(data)
    if isinstance(data.get("extra_days_off"), str):
        data["extra_days_off"] = parse_days_off(data["extra_days_off"])
    return data


@transaction.atomic
def create_cohort(actor, **data) -> Cohort:
    data = _normalise(data)
    cohort = Cohort()
    assign(cohort, data, COHORT_FIELDS + CREATE_ONLY)
    require_in_scope(actor, cohort.region_id)
    if isinstance(cohort.starts_on, dt.date) and not MIN_YEAR <= cohort.starts_on.year <= MAX_YEAR:
        raise ValidationError({"starts_on": _("Tahun mulai harus antara %(a)s dan %(b)s.") % {
            "a": MIN_YEAR, "b": MAX_YEAR}})
    if isinstance(cohort.starts_on, dt.date) and not cohort.ends_on:
        cohort.ends_on = five_months_after(cohort.starts_on)
    modules = list(Module.objects.filter(curriculum_id=cohort.curriculum_id))
    if cohort.curriculum_id and not modules:
        raise ValidationError({"curriculum": _("Kurikulum ini belum punya modul.")})
    cohort.full_clean()
    _check(cohort)
    save_audited(actor, cohort, action="create")
    CohortModule.objects.bulk_create(
        CohortModule(cohort=cohort, **{name: getattr(m, name) for name in MODULE_FIELDS}) for m in modules)
    return cohort


@transaction.atomic
def update_cohort(actor, cohort: Cohort, **data) -> Cohort:
    data = _normalise(data)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require_manager(actor, cohort)
    before = audit.snapshot(cohort, fields_of(cohort))
    assign(cohort, data, COHORT_FIELDS)
    require_in_scope(actor, cohort.region_id)
    cohort.full_clean()
    _check(cohort)
    _check_sessions_still_fit(cohort)
    save_audited(actor, cohort, action="update", before=before)
    return cohort


def _check_sessions_still_fit(cohort: Cohort) -> None:
    """A new period or new days off must not strand sessions already scheduled."""
    sessions = list(cohort.sessions.select_related("module"))
    if not sessions:
        return
    days_off = days_off_for(cohort)
    stranded = [s for s in sessions
                if not cohort.starts_on <= s.date <= cohort.ends_on or engine.day_off_reason(s.date, days_off)]
    if stranded:
        listed = ", ".join(str(s) for s in stranded[:5]) + (" …" if len(stranded) > 5 else "")
        raise ValidationError(_(
            "%(n)s sesi jatuh di luar periode baru atau pada hari libur: %(list)s. Pindahkan atau hapus sesi itu "
            "dahulu, atau buat ulang jadwal.") % {"n": len(stranded), "list": listed})


@transaction.atomic
def set_module_trainer(actor, module: CohortModule, trainer) -> CohortModule:
    """The module's main trainer: the schedule generator gives them its sessions."""
    module = CohortModule.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=module.pk)
    require_manager(actor, module.cohort)
    if trainer is not None and trainer_problem(trainer, module.cohort):
        raise ValidationError({"trainer": trainer_problem(trainer, module.cohort)})
    before = audit.snapshot(module, ["trainer"])
    module.trainer = trainer
    module.save(update_fields=["trainer"])
    audit.record(actor, "update", module, audit.diff(CohortModule, before, audit.snapshot(module, ["trainer"])))
    return module
