"""Automatic flags for the supervisors, within the caller's scope, thresholds from
settings.SUKARELA_FIELD:

- a group with an open posting and no visit for `group_quiet_weeks` weeks (or none yet, its
  posting having started that long ago);
- a TKS with an open posting and no visit (to any group) for `tks_quiet_days` days, likewise;
- visits stored far from their group's point ("jauh") and visits overlapping another of the same
  TKS ("tumpang"): set on the visit when it is stored (services/visits.py), counted here;
- follow-ups past their due day and not done (overdue).

Every visit counts towards "last visit", whatever its kind or review status: a returned visit still
took place. Each kind is one query (subqueries, no per-row query), so a regency of 500 groups
costs the same few queries as one of five. `today` is an argument so tests fix the date.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, DateTimeField, F, OuterRef, Q, Subquery
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.models import User
from sukarela.core.scope import scoped
from sukarela.groups.models import Group
from sukarela.mentoring.models import Flag, ReviewStatus, Visit
from sukarela.mentoring.selectors import visits_for
from sukarela.mentoring.selectors.review import json_list_has
from sukarela.mentoring.selectors.review import overdue_follow_ups as _overdue


def _cutoff(today: dt.date, days: int) -> tuple[dt.date, dt.datetime]:
    """The last day a quiet clock may have started, and the instant after which a visit breaks it."""
    day = today - dt.timedelta(days=days)
    return day, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _last_visit(**outer) -> Subquery:
    # The newest started_at through the (tks|group, started_at) index: one index probe per row.
    return Subquery(Visit.objects.filter(**{k: OuterRef(v) for k, v in outer.items()})
                    .order_by("-started_at").values("started_at")[:1], output_field=DateTimeField())


def quiet_groups(user, today: dt.date | None = None):
    """Groups in scope with an open posting and no visit since the cutoff, the longest quiet first;
    each row has `posted_since`, `last_visit` (or None) and `mentor_name`."""
    today = today or timezone.localdate()
    day, instant = _cutoff(today, settings.SUKARELA_FIELD["group_quiet_weeks"] * 7)
    current = Posting.objects.filter(group=OuterRef("pk"), ends_on__isnull=True)
    qs = (scoped(user, Group.objects.select_related("village"))
          .annotate(posted_since=Subquery(current.values("starts_on")[:1]),
                    mentor_id=Subquery(current.values("mentor_id")[:1]),
                    mentor_name=Subquery(current.values("mentor__full_name")[:1]),
                    last_visit=_last_visit(group="pk"))
          .filter(posted_since__lte=day)
          .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=instant)))
    return qs.order_by(F("last_visit").asc(nulls_first=True), "posted_since", "name", "id")


def quiet_tks(user, today: dt.date | None = None):
    """TKS with an open posting to a group in scope and no visit since the cutoff; each row has
    `posted_since` (their earliest open posting), `last_visit` (or None) and `n_groups`."""
    today = today or timezone.localdate()
    day, instant = _cutoff(today, settings.SUKARELA_FIELD["tks_quiet_days"])
    postings = scoped(user, Posting.objects.filter(ends_on__isnull=True))
    mentors = postings.order_by().values("mentor")
    earliest = (postings.filter(mentor=OuterRef("pk")).order_by("starts_on").values("starts_on")[:1])
    qs = (User.objects.filter(pk__in=mentors)
          .annotate(posted_since=Subquery(earliest),
                    n_groups=Subquery(postings.filter(mentor=OuterRef("pk")).order_by().values("mentor")
                                      .annotate(n=Count("pk")).values("n")[:1]),
                    last_visit=_last_visit(tks="pk"))
          .filter(posted_since__lte=day)
          .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=instant)))
    return qs.order_by(F("last_visit").asc(nulls_first=True), "posted_since", "full_name", "id")


@dataclass(frozen=True)
class VisitFlagCount:
    flag: str
    label: str
    total: int
    waiting: int  # of those, still awaiting review


def flagged_visit_counts(user) -> list[VisitFlagCount]:
    """For each visit flag, how many visits in scope carry it and how many await review: one query."""
    waiting = Q(status=ReviewStatus.SUBMITTED)
    aggregates = {}
    for flag in Flag:
        has = json_list_has("flags", flag.value)
        aggregates[f"{flag.value}_total"] = Count("pk", filter=has)
        aggregates[f"{flag.value}_waiting"] = Count("pk", filter=has & waiting)
    counts = visits_for(user).order_by().aggregate(**aggregates)
    return [VisitFlagCount(flag.value, flag.label, counts[f"{flag.value}_total"], counts[f"{flag.value}_waiting"])
            for flag in Flag]


def overdue_follow_ups(user, today: dt.date | None = None):
    """Follow-ups of visits in scope past their due day (before today) and not done."""
    return scoped(user, _overdue(today))
