"""Group-level figures: the groups of one regency, one group's months, a TKS's or chair's own groups.
Read from GroupMonth (+ Group, Posting), a few queries bounded by the regency's groups; groups
are limited by core.scope like every other read of them. Re-exported by selectors/figures.py.

`tier` and `status` of a row are the stored codes (groups.models.Tier / GroupStatus); `village`
and `sector` are names. A group's turnover growth follows the indicator's rule: from its first
turnover ever recorded to the latest up to the period's end, when there are at least two and
the first is above 0.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from sukarela.core.roles import Role
from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.engines.indicators import add_months, growth
from sukarela.groups.models import Group
from sukarela.monitoring.models import GroupMonth
from sukarela.monitoring.periods import Period
from sukarela.regions.models import Level, Region

WINDOW_DAYS = 30  # "visited in the last 30 days": the as-of day and the 29 before it
DETAIL_MONTHS = 24


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    village: str
    sector: str
    tier: str
    status: str
    mentor: str            # the full name of the TKS with the open posting, "" when none
    visits: int            # visits + activities in the period
    last_visit_on: dt.date | None  # the latest up to the period's end
    turnover: Decimal | None       # the latest recorded up to the period's end
    turnover_growth: float | None  # % from the first recorded to that latest
    new_workers: int               # in the period
    visited_30d: bool              # a visit or activity in the 30 days to the period's end (today if sooner)


@dataclass(frozen=True)
class GroupDetail:
    row: GroupRow
    regency: object  # RegionRef, for the breadcrumb nation → province → regency → group
    months: list     # [(month, {"visits", "activities", "turnover", "new_workers", "roles", "tasks"})]


def as_of(period: Period, today: dt.date | None = None) -> dt.date:
    """The day a period's stocks are read at: its last day, or today while it runs."""
    return min(period.last_day, today or timezone.localdate())


def _groups():
    return Group.objects.select_related("village", "sector").only(
        "id", "name", "tier", "status", "village__name", "sector__name")


def _mentors(ids) -> dict[int, str]:
    from sukarela.assignments.models import Posting  # assignments depends on groups, not monitoring

    return dict(Posting.objects.filter(group_id__in=ids, ends_on__isnull=True)
                .values_list("group_id", "mentor__full_name"))


def _rows(groups: list, months_by_group: dict, period: Period) -> list[GroupRow]:
    """Rows for `groups` from their GroupMonth rows up to the period's end (oldest first)."""
    mentors = _mentors([g.pk for g in groups])
    day = as_of(period)
    since = day - dt.timedelta(days=WINDOW_DAYS - 1)
    out = []
    for g in groups:
        visits = new_workers = count = 0
        last_visit = first = latest = None
        for m in months_by_group.get(g.pk, ()):
            if m.month >= period.start:
                visits += m.visits + m.activities
                new_workers += m.new_workers
            if m.last_visit_on and m.last_visit_on <= day and (last_visit is None or m.last_visit_on > last_visit):
                last_visit = m.last_visit_on
            if m.turnover is not None:
                first = m.turnover_first if first is None else first
                latest, count = m.turnover, count + m.turnover_count
        out.append(GroupRow(
            id=g.pk, name=g.name, village=g.village.name, sector=g.sector.name, tier=g.tier, status=g.status,
            mentor=mentors.get(g.pk, ""), visits=visits, last_visit_on=last_visit, turnover=latest,
            turnover_growth=growth(first, latest) if count >= 2 else None, new_workers=new_workers,
            visited_30d=last_visit is not None and last_visit >= since))
    return out


FIELDS = ("group_id", "month", "visits", "activities", "last_visit_on", "turnover", "turnover_first",
          "turnover_count", "new_workers")


def _months_of(group_ids, period: Period, fields=FIELDS, **extra) -> dict[int, list]:
    by_group: dict[int, list] = {}
    qs = GroupMonth.objects.filter(month__lte=period.end, **extra).only(*fields).order_by("month")
    wanted = set(group_ids)
    for m in qs:
        if m.group_id in wanted:
            by_group.setdefault(m.group_id, []).append(m)
    return by_group


def group_rows(user, code: str, period: Period) -> list[GroupRow]:
    """The groups of a regency the user may read, by name (Http404 for any other region)."""
    from sukarela.monitoring.selectors.figures import region_ref

    ref = region_ref(user, code)
    if ref.level != Level.REGENCY:
        raise Http404("Not found")
    groups = list(scoped(user, _groups().filter(village__code__startswith=ref.code + ".")).order_by("name", "id"))
    return _rows(groups, _months_of([g.pk for g in groups], period, regency_code=ref.code), period)


def my_groups(user, period: Period) -> list[GroupRow]:
    """A TKS's groups (their open postings) or a group chair's group; [] for anyone else."""
    if not getattr(user, "is_authenticated", False) or user.role not in (Role.TKS, Role.GROUP_CHAIR):
        return []
    groups = list(scoped(user, _groups()).order_by("name", "id"))
    ids = [g.pk for g in groups]
    return _rows(groups, _months_of(ids, period, group_id__in=ids), period)


def group_detail(user, group_id, period: Period) -> GroupDetail:
    """One group's row and its last 24 months to the period's end (404 out of scope)."""
    from sukarela.monitoring.selectors.figures import ref_of

    group = get_scoped_or_404(user, _groups().only(
        "id", "name", "tier", "status", "village__name", "village__code", "sector__name"), pk=group_id)
    months = _months_of([group.pk], period, (*FIELDS, "roles", "tasks"), group_id=group.pk)
    row = _rows([group], months, period)[0]
    regency = Region.objects.get(code=group.village.code[:5])
    first = add_months(period.end, 1 - DETAIL_MONTHS)
    stored = {m.month: m for m in months.get(group.pk, ())}
    series = []
    for i in range(DETAIL_MONTHS):
        month = add_months(first, i)
        m = stored.get(month)
        series.append((month, {
            "visits": m.visits if m else 0, "activities": m.activities if m else 0,
            "turnover": m.turnover if m else None, "new_workers": m.new_workers if m else 0,
            "roles": dict(m.roles) if m else {}, "tasks": dict(m.tasks) if m else {}}))
    return GroupDetail(row=row, regency=ref_of(regency), months=series)
