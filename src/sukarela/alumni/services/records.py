"""Alumni records: made when a TKS's last open posting ends, or by an officer for history from
before this system.

Rules (tests in tests/alumni/test_records.py):
- A TKS becomes an alumnus when a posting of theirs ends and they hold no other open posting; a
  TKS mentoring two groups becomes one when the second posting ends, not the first.
- Once: a TKS has at most one record (the one-to-one key); a second ending, or the same signal
  twice, adds nothing.
- The cohort is the training cohort they graduated from (a Participant with status graduated).
- A publication that ends thousands of postings costs a fixed handful of statements per 10,000
  TKS: one read of those with no open posting and no record, one insert, one read of the new keys,
  one insert of their audit events.
- By hand: an officer of the TKS's region, for a TKS whose postings have all ended (or who has
  none in this system); the end date defaults to their last posting's end and may not precede it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.alumni.models import AlumniRecord
from sukarela.assignments.models import Posting
from sukarela.core import audit, bulk
from sukarela.core.models import AuditEvent, User
from sukarela.core.permissions import require_officer
from sukarela.core.roles import Role
from sukarela.core.scope import scoped
from sukarela.training.models import Participant, ParticipantStatus

# Ids per statement: SQLite binds at most 32,766 parameters.
CHUNK = 10_000


def graduated_cohort():
    """A subquery: the cohort the outer user (OuterRef "pk") graduated from, the latest if several."""
    return Subquery(Participant.objects.filter(volunteer=OuterRef("pk"), status=ParticipantStatus.GRADUATED)
                    .order_by("-graduated_at", "-id").values("cohort")[:1])


def _open_posting():
    return Exists(Posting.objects.filter(mentor=OuterRef("pk"), ends_on__isnull=True))


def _label(full_name: str, username: str) -> str:
    return f"{full_name} ({username})"[:200]


def on_postings_ended(actor, mentors, on) -> int:
    """Called in the transaction that ended the postings (assignments' `posting_ended`): records for
    the TKS among `mentors` with no open posting left. Returns how many were made."""
    made = 0
    mentors = sorted(set(mentors))
    for start in range(0, len(mentors), CHUNK):
        made += _record_chunk(actor, mentors[start:start + CHUNK], on)
    return made


def _record_chunk(actor, ids, on) -> int:
    found = list(User.objects.filter(pk__in=ids)
                 .annotate(posted=_open_posting(), known=Exists(AlumniRecord.objects.filter(tks=OuterRef("pk"))),
                           graduated_from=graduated_cohort())
                 .filter(posted=False, known=False)
                 .values_list("pk", "graduated_from", "full_name", "username"))
    if not found:
        return 0
    now = timezone.now()
    # A concurrent ending (another publication, a group closing) may have made one of these since
    # the read: the unique key keeps one, and the read-back below finds only the rows made here.
    AlumniRecord.objects.bulk_create(
        [AlumniRecord(tks_id=pk, cohort_id=cohort, posting_ended_on=on, created_at=now)
         for pk, cohort, _name, _user in found], ignore_conflicts=True)
    labels = {pk: _label(name, user) for pk, _c, name, user in found}
    made = list(AlumniRecord.objects.filter(tks_id__in=list(labels), created_at=now)
                .values_list("pk", "tks_id", "cohort_id"))
    kind, label = AlumniRecord._meta.label_lower, audit.actor_label(actor)
    bulk.insert_rows(
        AuditEvent, ["at", "actor", "actor_label", "action", "target_type", "target_id", "target_label", "changes"],
        [(now, actor.pk if getattr(actor, "is_authenticated", False) else None, label, "create_alumni", kind,
          str(pk), labels[tks], {"tks": [None, str(tks)], "posting_ended_on": [None, on.isoformat()],
                                 **({"cohort": [None, str(cohort)]} if cohort else {})})
         for pk, tks, cohort in made])
    return len(made)


def tks_of_scope(actor, username: str) -> User | None:
    """The TKS account named `username` inside the officer's region, or None."""
    return scoped(actor, User.objects.filter(role=Role.TKS, username=(username or "").strip().lower())).first()


@transaction.atomic
def create_record(actor, username: str, posting_ended_on=None) -> AlumniRecord:
    """An officer records an alumnus by hand (history from before this system)."""
    require_officer(actor)
    tks = tks_of_scope(actor, username)
    if tks is None:
        # The same words whether the account is elsewhere or nowhere: the form tells nothing outside.
        raise ValidationError({"tks": _("Tidak ada TKS dengan nama pengguna ini di wilayah Anda.")})
    if AlumniRecord.objects.filter(tks=tks).exists():
        raise ValidationError({"tks": _("TKS ini sudah tercatat sebagai alumni.")})
    postings = Posting.objects.filter(mentor=tks)
    if postings.filter(ends_on__isnull=True).exists():
        raise ValidationError({"tks": _("TKS ini masih bertugas mendampingi kelompok; catatan alumni dibuat "
                                        "otomatis saat penugasan terakhirnya berakhir.")})
    last_end = postings.aggregate(last=Max("ends_on"))["last"]
    today = timezone.localdate()
    ended = posting_ended_on or last_end
    if ended is None:
        raise ValidationError({"posting_ended_on": _("Isi tanggal penugasan berakhir: TKS ini tidak punya "
                                                     "penugasan di sistem.")})
    if ended > today:
        raise ValidationError({"posting_ended_on": _("Tanggal penugasan berakhir tidak boleh di masa depan.")})
    if last_end is not None and ended < last_end:
        raise ValidationError({"posting_ended_on": _("Penugasan terakhir TKS ini berakhir pada %(d)s; tanggal "
                                                     "tidak boleh lebih awal.") % {"d": last_end.strftime("%d-%m-%Y")}})
    cohort = User.objects.filter(pk=tks.pk).annotate(c=graduated_cohort()).values_list("c", flat=True).first()
    record = AlumniRecord.objects.create(tks=tks, cohort_id=cohort, posting_ended_on=ended)
    audit.record(actor, "create_alumni", record, audit.diff(AlumniRecord, {}, audit.snapshot(
        record, ["tks", "cohort", "posting_ended_on"])))
    return record
