"""Outcomes: dated entries of what an alumnus does, by an officer or by the alumnus's own answer to
a tracer survey. An outcome is never edited or deleted; a change is a new, later entry.

Rules (tests in tests/alumni/test_outcomes.py):
- The status is one of Employment; the date lies between the posting's end and today.
- Working, own business and incubator name the organisation; jobs created for others belong to an
  own business or incubator only, and those two must state it (0 is an answer).
- Text fields are bounded and free of NUL; every refusal names its field.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.alumni.models import AlumniRecord, Employment, Outcome, Source
from sukarela.core import audit
from sukarela.core.permissions import require_in_scope

NAMED = {Employment.EMPLOYED, Employment.OWN_BUSINESS, Employment.INCUBATOR}
WITH_JOBS = {Employment.OWN_BUSINESS, Employment.INCUBATOR}
MAX_JOBS = 100_000
FIELDS = ["status", "as_of", "organisation", "jobs_created", "note", "source"]


def _text(errors: dict, name: str, value, limit: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        errors[name] = _("Teks berisi karakter yang tidak sah.")
    elif len(value) > limit:
        errors[name] = _("Paling panjang %(n)s karakter.") % {"n": limit}
    return value


def clean_outcome(record: AlumniRecord, *, status, as_of, organisation="", jobs_created=None, note="") -> dict:
    """The outcome's fields checked together; ValidationError naming every wrong field."""
    errors = {}
    if status not in Employment.values:
        errors["status"] = _("Pilih salah satu status.")
    today = timezone.localdate()
    if not isinstance(as_of, dt.date):
        errors["as_of"] = _("Isi tanggal.")
    elif as_of > today:
        errors["as_of"] = _("Tanggal tidak boleh di masa depan.")
    elif as_of < record.posting_ended_on:
        errors["as_of"] = _("Tanggal tidak boleh sebelum penugasan berakhir (%(d)s).") % {
            "d": record.posting_ended_on.strftime("%d-%m-%Y")}
    organisation = _text(errors, "organisation", organisation, 200)
    note = _text(errors, "note", note, 300)
    if status in NAMED and not organisation and "organisation" not in errors:
        errors["organisation"] = _("Sebutkan tempat kerja, nama usaha atau nama inkubator.")
    if jobs_created is not None and status not in WITH_JOBS:
        errors["jobs_created"] = _("Lapangan kerja bagi orang lain hanya diisi untuk usaha sendiri atau inkubator.")
    elif status in WITH_JOBS and jobs_created is None:
        errors["jobs_created"] = _("Isi jumlah orang lain yang bekerja di usaha atau inkubator ini (0 bila belum ada).")
    elif jobs_created is not None and not (isinstance(jobs_created, int) and 0 <= jobs_created <= MAX_JOBS):
        errors["jobs_created"] = _("Isi bilangan bulat 0 sampai %(n)s.") % {"n": MAX_JOBS}
    if errors:
        raise ValidationError(errors)
    return {"status": status, "as_of": as_of, "organisation": organisation, "jobs_created": jobs_created,
            "note": note}


def store(actor, record: AlumniRecord, clean: dict, *, source: str, survey=None) -> Outcome:
    """Write a checked outcome and its audit record (callers hold the transaction)."""
    outcome = Outcome.objects.create(alumni=record, source=source, survey=survey,
                                     recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                                     **clean)
    audit.record(actor, "add_outcome", outcome, audit.diff(Outcome, {}, audit.snapshot(outcome, FIELDS)),
                 target_label=f"{record} {outcome.as_of:%Y-%m-%d}")
    return outcome


@transaction.atomic
def add_outcome(actor, record: AlumniRecord, **data) -> Outcome:
    """An officer of the alumnus's region records an outcome."""
    require_in_scope(actor, record.tks.region_id)
    return store(actor, record, clean_outcome(record, **data), source=Source.OFFICER)
