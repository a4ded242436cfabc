"""The TKS table of a regency's dashboard: each TKS who lives in the regency, holds an open posting to
one of its groups, or visited one of them in the period; with the groups they mentor there, their
visits and activities there in the period, and their last visit there up to the period's end.

One query whatever the size (correlated subqueries on the indexed visit and posting tables, limited
to one regency and one period), at most CAP rows by name: a regency has some tens of TKS, and a cap
keeps a mistaken import from making the page unbounded.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.mentoring.models import Visit
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures
from sukarela.regions.models import Level, subtree_q

CAP = 500


@dataclass(frozen=True)
class TksRow:
    id: int
    name: str
    groups: int                # open postings to groups of the regency
    visits: int                # visits + activities to groups of the regency in the period
    last_visit_on: dt.date | None


@dataclass(frozen=True)
class TksListing:
    rows: list
    capped: bool               # more TKS than CAP: only the first CAP by name are listed


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _count(qs):
    return Coalesce(Subquery(qs.values("mentor" if qs.model is Posting else "tks").annotate(n=Count("pk"))
                             .values("n")[:1], output_field=IntegerField()), Value(0))


def regency_tks(user, code: str, period: Period) -> TksListing:
    """Http404 unless `code` is a regency inside the user's scope (selectors.figures.region_ref)."""
    if figures.region_ref(user, code).level != Level.REGENCY:
        raise Http404("Not a regency")
    start, end = _bounds(period)
    in_regency = code + "."
    postings = Posting.objects.filter(mentor=OuterRef("pk"), ends_on__isnull=True,
                                      group__village__code__startswith=in_regency)
    visits = Visit.objects.filter(tks=OuterRef("pk"), group__village__code__startswith=in_regency)
    in_period = visits.filter(started_at__gte=start, started_at__lt=end)
    last = visits.filter(started_at__lt=end).order_by().values("tks").annotate(at=Max("started_at")).values("at")[:1]
    who = (subtree_q("region__code", code)
           | Q(pk__in=Posting.objects.filter(ends_on__isnull=True, group__village__code__startswith=in_regency)
               .values("mentor"))
           | Q(pk__in=Visit.objects.filter(group__village__code__startswith=in_regency, started_at__gte=start,
                                           started_at__lt=end).values("tks")))
    qs = (User.objects.filter(who, role=Role.TKS)
          .annotate(n_groups=_count(postings), n_visits=_count(in_period), last_at=Subquery(last))
          .order_by("full_name", "pk").values("pk", "full_name", "n_groups", "n_visits", "last_at")[:CAP + 1])
    found = list(qs)
    rows = [TksRow(r["pk"], r["full_name"], r["n_groups"], r["n_visits"],
                   timezone.localtime(r["last_at"]).date() if r["last_at"] else None) for r in found[:CAP]]
    return TksListing(rows, len(found) > CAP)
