"""Publishing a run: its proposals become postings. What changes is shown first (preview) and
then applied in one transaction: a posting that changes ends today and its successor starts
today; unchanged pairs are left alone. Every posting started or ended is in the audit trail."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.models import AuditEvent
from sukarela.training.permissions import require_manager
from sukarela.assignments.models import MatchRun, Posting, RunStatus
from sukarela.assignments.services.matching import current_postings, groups_of, mentor_ids_of
from sukarela.training.models import Cohort


@dataclass
class Changes:
    kept: list = field(default_factory=list)     # group ids
    moved: list = field(default_factory=list)    # (group, old mentor, new mentor)
    added: list = field(default_factory=list)    # (group, new mentor)
    dropped: list = field(default_factory=list)  # (group, old mentor)

    @property
    def count(self) -> int:
        return len(self.moved) + len(self.added) + len(self.dropped)


def preview(run: MatchRun, rows=None, current=None) -> Changes:
    """`rows` (group, mentor, was) and `current` postings when the caller has read them already."""
    rows = rows if rows is not None else list(run.proposals.values_list("group_id", "mentor_id", "was_id"))
    proposed = {g: m for g, m, _was in rows}
    current = current if current is not None else current_postings(list(proposed))
    changes = Changes()
    for group, new in sorted(proposed.items()):
        old = current.get(group)
        if old == new:
            if new is not None:
                changes.kept.append(group)
        elif old is None:
            changes.added.append((group, new))
        elif new is None:
            changes.dropped.append((group, old))
        else:
            changes.moved.append((group, old, new))
    return changes


def _check_still_true(run: MatchRun, rows, current) -> None:
    """What the run assumed still holds: the same postings, active groups, mentors still graduates."""
    if any(current.get(g) != was for g, _m, was in rows):
        raise ValidationError(_("Penugasan berubah sejak pencocokan ini dijalankan; jalankan ulang."))
    active = set(groups_of(run.region_id).filter(pk__in=[g for g, _m, _w in rows]).values_list("pk", flat=True))
    mentors = mentor_ids_of(run.cohort)
    if any(g not in active for g, _m, _w in rows) or any(m and m not in mentors for _g, m, _w in rows):
        raise ValidationError(_("Ada kelompok yang berhenti atau pendamping yang tidak lagi memenuhi syarat sejak "
                                "pencocokan ini dijalankan; jalankan ulang."))


@transaction.atomic
def publish(actor, run: MatchRun, today=None) -> Changes:
    # The cohort row is the lock every run and publication of the cohort takes.
    Cohort.objects.select_for_update().get(pk=run.cohort_id)
    run = MatchRun.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=run.pk)
    require_manager(actor, run.cohort)
    if run.status != RunStatus.DRAFT:
        raise ValidationError(_("Pencocokan ini sudah diterbitkan atau digantikan."))
    if MatchRun.objects.filter(cohort=run.cohort, status=RunStatus.PUBLISHED, published_at__gt=run.created_at).exists():
        raise ValidationError(_("Ada penerbitan yang lebih baru sejak pencocokan ini dijalankan; jalankan ulang."))
    rows = list(run.proposals.values_list("group_id", "mentor_id", "was_id"))
    current = current_postings([g for g, _m, _w in rows])
    _check_still_true(run, rows, current)
    today = today or timezone.localdate()
    changes = preview(run, rows, current)
    ending = [g for g, _old in changes.dropped] + [g for g, _old, _new in changes.moved]
    ended = list(Posting.objects.select_for_update().filter(group_id__in=ending, ends_on__isnull=True))
    for posting in ended:
        posting.ends_on = today
    Posting.objects.bulk_update(ended, ["ends_on"])
    started = Posting.objects.bulk_create(
        [Posting(group_id=g, mentor_id=m, starts_on=today, run=run, created_by=actor) for g, m in changes.added]
        + [Posting(group_id=g, mentor_id=new, starts_on=today, run=run, created_by=actor)
           for g, _old, new in changes.moved], batch_size=2000)
    MatchRun.objects.filter(cohort=run.cohort, status=RunStatus.PUBLISHED).update(status=RunStatus.SUPERSEDED)
    run.status, run.published_by, run.published_at = RunStatus.PUBLISHED, actor, timezone.now()
    run.save(update_fields=["status", "published_by", "published_at"])
    # One event per posting started or ended, written together: a national run changes thousands.
    label = audit.actor_label(actor)
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=actor, actor_label=label, action="end_posting", target_type="assignments.posting",
                    target_id=str(p.pk), target_label=str(p), changes={"ends_on": [None, today.isoformat()]})
         for p in ended]
        + [AuditEvent(actor=actor, actor_label=label, action="start_posting", target_type="assignments.posting",
                      target_id=str(p.pk), target_label=str(p),
                      changes={"mentor": [None, p.mentor_id], "group": [None, p.group_id]}) for p in started],
        batch_size=2000)
    audit.record(actor, "publish", run, {"added": [None, len(changes.added)], "moved": [None, len(changes.moved)],
                                         "dropped": [None, len(changes.dropped)]})
    return changes


def end_postings_of(group, on, actor=None) -> int:
    """A group that stopped or graduated no longer needs its mentor: its open posting ends."""
    ended = list(Posting.objects.select_for_update().filter(group=group, ends_on__isnull=True))
    for posting in ended:
        posting.ends_on = on
        posting.save(update_fields=["ends_on"])
        audit.record(actor, "end_posting", posting, {"ends_on": [None, on.isoformat()]})
    return len(ended)
