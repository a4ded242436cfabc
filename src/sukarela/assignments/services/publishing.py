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
from sukarela.assignments.services.matching import current_postings


@dataclass
class Changes:
    kept: list = field(default_factory=list)     # group ids
    moved: list = field(default_factory=list)    # (group, old mentor, new mentor)
    added: list = field(default_factory=list)    # (group, new mentor)
    dropped: list = field(default_factory=list)  # (group, old mentor)

    @property
    def count(self) -> int:
        return len(self.moved) + len(self.added) + len(self.dropped)


def preview(run: MatchRun) -> Changes:
    proposed = dict(run.proposals.values_list("group_id", "mentor_id"))
    current = current_postings(list(proposed))
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


@transaction.atomic
def publish(actor, run: MatchRun, today=None) -> Changes:
    run = MatchRun.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=run.pk)
    require_manager(actor, run.cohort)
    if run.status != RunStatus.DRAFT:
        raise ValidationError(_("Pencocokan ini sudah diterbitkan atau digantikan."))
    if MatchRun.objects.filter(cohort=run.cohort, status=RunStatus.PUBLISHED, published_at__gt=run.created_at).exists():
        raise ValidationError(_("Ada penerbitan yang lebih baru sejak pencocokan ini dijalankan; jalankan ulang."))
    today = today or timezone.localdate()
    changes = preview(run)
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
