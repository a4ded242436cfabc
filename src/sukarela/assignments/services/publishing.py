"""Publishing a run: its proposals become postings. What changes is shown first (preview) and
then applied in one transaction: a posting that changes ends today and its successor starts
today; unchanged pairs are left alone. Every posting started or ended is in the audit trail."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core import audit, bulk
from sukarela.core.models import AuditEvent
from sukarela.training.permissions import require_manager
from sukarela.assignments.models import MatchRun, Posting, RunStatus
from sukarela.assignments.signals import posting_ended
from sukarela.core.roles import Role
from sukarela.groups.models import GroupStatus
from sukarela.regions.models import subtree_q
from sukarela.training.models import Cohort
from sukarela.training.selectors import graduates


@dataclass
class Changes:
    kept: list = field(default_factory=list)     # group ids
    moved: list = field(default_factory=list)    # (group, old mentor, new mentor)
    added: list = field(default_factory=list)    # (group, new mentor)
    dropped: list = field(default_factory=list)  # (group, old mentor)

    @property
    def count(self) -> int:
        return len(self.moved) + len(self.added) + len(self.dropped)


def _read(run: MatchRun):
    """In one query: the proposals (group, mentor, was), the current postings of their groups, and
    what no longer holds: groups no longer active in the run's region, mentors no longer graduates."""
    current = Posting.objects.filter(group=OuterRef("group_id"), ends_on__isnull=True).values("mentor_id")[:1]
    active = ExpressionWrapper(Q(group__status=GroupStatus.ACTIVE) & subtree_q("group__village__code", run.region_id),
                               output_field=BooleanField())
    eligible = Exists(graduates().filter(cohort_id=run.cohort_id, volunteer__role=Role.TKS,
                                         volunteer_id=OuterRef("mentor_id")))
    rows, now, gone = [], {}, set()
    for group, mentor, was, posted, is_active, is_eligible in (
            run.proposals.annotate(posted=Subquery(current), active=active, eligible=eligible)
            .values_list("group_id", "mentor_id", "was_id", "posted", "active", "eligible")):
        rows.append((group, mentor, was))
        if posted is not None:
            now[group] = posted
        if not is_active or (mentor is not None and not is_eligible):
            gone.add(group)
    return rows, now, gone


def preview(run: MatchRun, rows=None, current=None) -> Changes:
    """`rows` (group, mentor, was) and `current` postings when the caller has read them already."""
    if rows is None:
        rows, current, _gone = _read(run)
    proposed = {g: m for g, m, _was in rows}
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


def _check_still_true(run: MatchRun, rows, current, gone) -> None:
    """What the run assumed still holds: the same postings, active groups, mentors still graduates."""
    if any(current.get(g) != was for g, _m, was in rows):
        raise ValidationError(_("Penugasan berubah sejak pencocokan ini dijalankan; jalankan ulang."))
    if gone:
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
    rows, current, gone = _read(run)
    _check_still_true(run, rows, current, gone)
    today = today or timezone.localdate()
    changes = preview(run, rows, current)
    ending = [g for g, _old in changes.dropped] + [g for g, _old, _new in changes.moved]
    ended = list(Posting.objects.select_for_update().filter(group_id__in=ending, ends_on__isnull=True)
                 .values_list("id", "group_id", "mentor_id", "starts_on"))
    Posting.objects.filter(pk__in=[pk for pk, *_rest in ended]).update(ends_on=today)
    # Written in bulk (COPY on PostgreSQL): a national run starts thousands of postings.
    bulk.insert_rows(Posting, ["group", "mentor", "starts_on", "ends_on", "run", "created_by"],
                     [(g, m, today, None, run.pk, actor.pk) for g, m in changes.added]
                     + [(g, new, today, None, run.pk, actor.pk) for g, _old, new in changes.moved])
    started = list(Posting.objects.filter(run=run).values_list("id", "group_id", "mentor_id"))
    MatchRun.objects.filter(cohort=run.cohort, status=RunStatus.PUBLISHED).update(status=RunStatus.SUPERSEDED)
    run.status, run.published_by, run.published_at = RunStatus.PUBLISHED, actor, timezone.now()
    run.save(update_fields=["status", "published_by", "published_at"])
    # The publication and one event per posting started or ended, written together.
    now, label, kind = timezone.now(), audit.actor_label(actor), Posting._meta.label_lower
    bulk.insert_rows(
        AuditEvent, ["at", "actor", "actor_label", "action", "target_type", "target_id", "target_label", "changes"],
        [(now, actor.pk, label, "end_posting", kind, str(pk), Posting.describe(m, g, start, today),
          {"ends_on": [None, today.isoformat()]}) for pk, g, m, start in ended]
        + [(now, actor.pk, label, "start_posting", kind, str(pk), Posting.describe(m, g, today, None),
            {"mentor": [None, m], "group": [None, g]}) for pk, g, m in started]
        + [(now, actor.pk, label, "publish", run._meta.label_lower, str(run.pk), str(run)[:200],
            {"added": [None, len(changes.added)], "moved": [None, len(changes.moved)],
             "dropped": [None, len(changes.dropped)]})])
    # One signal for the whole publication, after the new postings exist: a mentor moved to another
    # group still holds an open posting and must not become an alumnus.
    if ended:
        posting_ended.send(sender=Posting, mentors=sorted({m for _pk, _g, m, _s in ended}), on=today, actor=actor)
    return changes


def end_postings_of(group, on, actor=None) -> int:
    """A group that stopped or graduated no longer needs its mentor: its open posting ends."""
    ended = list(Posting.objects.select_for_update().filter(group=group, ends_on__isnull=True))
    for posting in ended:
        posting.ends_on = on
        posting.save(update_fields=["ends_on"])
        audit.record(actor, "end_posting", posting, {"ends_on": [None, on.isoformat()]})
    if ended:
        posting_ended.send(sender=Posting, mentors=sorted({p.mentor_id for p in ended}), on=on, actor=actor)
    return len(ended)
