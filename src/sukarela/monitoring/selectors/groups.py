"""Group-level figures: the groups of one regency, one group's months, a TKS's or chair's own groups.
Read from GroupMonth and GroupTurnover (+ Group, Posting): three queries for a table of any size
(the groups with their last visit and turnover record beside them, the open postings, the sums of
the period's months), each growing with the regency's groups and the period's months, never with
a group's whole history. Groups are limited by core.scope like every other read of them.
Re-exported by selectors/figures.py.

`tier` and `status` of a row are the stored codes (groups.models.Tier / GroupStatus); `village`
and `sector` are names. A group's turnover growth follows the indicator's rule: from its first
turnover ever recorded to the latest up to the period's end, when there are at least two and
the first is above 0.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from sukarela.core.roles import Role
from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.engines.indicators import add_months, growth
from sukarela.groups.models import Group
from sukarela.monitoring import window
from sukarela.monitoring.models import GroupMonth, GroupTurnover
from sukarela.monitoring.periods import Period
from sukarela.regions.models import Level, Region

WINDOW_DAYS = window.DAYS  # "visited in the last 30 days" (monitoring/window.py, shared with the refresh)
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


def _annotated(qs, period: Period, day: dt.date):
    """Groups with their last visit up to `day` (the newest of their months holding one: a backward
    probe of the (group, month) index each) and their GroupTurnover record."""
    last = (GroupMonth.objects.filter(group=OuterRef("pk"), month__lte=period.end, last_visit_on__lte=day)
            .order_by("-month").values("last_visit_on")[:1])
    record = GroupTurnover.objects.filter(group=OuterRef("pk"))
    return qs.annotate(last_visit=Subquery(last), **{
        f"t_{name}": Subquery(record.values(name)[:1]) for name in ("first", "latest", "latest_month", "count")})


def _sums(group_ids, period: Period, **by) -> dict[int, tuple[int, int]]:
    """{group: (visits + activities, new workers)} of the period's months (each month by name: the
    index is (month, regency_code))."""
    qs = GroupMonth.objects.filter(month__in=period.months, **by).order_by().values("group_id").annotate(
        v=Sum(F("visits") + F("activities")), w=Sum("new_workers"))
    wanted = set(group_ids)
    return {r["group_id"]: (r["v"] or 0, r["w"] or 0) for r in qs if r["group_id"] in wanted}


def _turnover_then(groups: list, period: Period) -> dict[int, tuple]:
    """{group: (latest turnover, how many)} up to the end of a past period, for the groups whose
    record has a later turnover (none while the period runs to this month)."""
    later = [g.pk for g in groups if g.t_latest_month is not None and _date(g.t_latest_month) > period.end]
    out: dict = {}
    for i in range(0, len(later), 5000):
        for group, turnover, count in GroupMonth.objects.filter(
                group_id__in=later[i:i + 5000], month__lte=period.end, turnover__isnull=False).order_by(
                "group_id", "month").values_list("group_id", "turnover", "turnover_count"):
            out[group] = (turnover, out.get(group, (None, 0))[1] + count)
    return out


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _rows(groups: list, sums: dict, period: Period) -> list[GroupRow]:
    """Rows for `groups` (from _annotated) and their period's sums."""
    mentors = _mentors([g.pk for g in groups])
    day = as_of(period)
    then = _turnover_then(groups, period)
    out = []
    for g in groups:
        visits, new_workers = sums.get(g.pk, (0, 0))
        last_visit = _date(g.last_visit) if g.last_visit else None
        latest, count = (g.t_latest, g.t_count or 0) if g.t_latest_month is not None else (None, 0)
        if g.pk in then or (latest is not None and _date(g.t_latest_month) > period.end):
            latest, count = then.get(g.pk, (None, 0))
        out.append(GroupRow(
            id=g.pk, name=g.name, village=g.village.name, sector=g.sector.name, tier=g.tier, status=g.status,
            mentor=mentors.get(g.pk, ""), visits=visits, last_visit_on=last_visit,
            turnover=None if latest is None else Decimal(latest),
            turnover_growth=growth(g.t_first, latest) if count >= 2 else None, new_workers=new_workers,
            visited_30d=window.inside(last_visit, day)))
    return out


def group_rows(user, code: str, period: Period) -> list[GroupRow]:
    """The groups of a regency the user may read, by name (Http404 for any other region)."""
    from sukarela.monitoring.selectors.figures import region_ref

    ref = region_ref(user, code)
    if ref.level != Level.REGENCY:
        raise Http404("Not found")
    groups = list(_annotated(scoped(user, _groups().filter(village__code__startswith=ref.code + ".")),
                             period, as_of(period)).order_by("name", "id"))
    return _rows(groups, _sums([g.pk for g in groups], period, regency_code=ref.code), period)


def my_groups(user, period: Period) -> list[GroupRow]:
    """A TKS's groups (their open postings) or a group chair's group; [] for anyone else."""
    if not getattr(user, "is_authenticated", False) or user.role not in (Role.TKS, Role.GROUP_CHAIR):
        return []
    groups = list(_annotated(scoped(user, _groups()), period, as_of(period)).order_by("name", "id"))
    ids = [g.pk for g in groups]
    return _rows(groups, _sums(ids, period, group_id__in=ids), period)


def group_detail(user, group_id, period: Period) -> GroupDetail:
    """One group's row and its last 24 months to the period's end (404 out of scope)."""
    from sukarela.monitoring.selectors.figures import ref_of

    group = get_scoped_or_404(user, _annotated(_groups().only(
        "id", "name", "tier", "status", "village__name", "village__code", "sector__name"), period, as_of(period)),
        pk=group_id)
    first = add_months(period.end, 1 - DETAIL_MONTHS)
    stored = {m.month: m for m in GroupMonth.objects.filter(group_id=group.pk, month__gte=first,
                                                            month__lte=period.end)}
    sums = [(m.visits + m.activities, m.new_workers) for m in stored.values() if m.month >= period.start]
    if period.start < first:  # a period longer than the months shown
        sums = [_sums([group.pk], period, group_id=group.pk).get(group.pk, (0, 0))]
    row = _rows([group], {group.pk: tuple(map(sum, zip(*sums))) if sums else (0, 0)}, period)[0]
    regency = Region.objects.get(code=group.village.code[:5])
    series = []
    for i in range(DETAIL_MONTHS):
        month = add_months(first, i)
        m = stored.get(month)
        series.append((month, {
            "visits": m.visits if m else 0, "activities": m.activities if m else 0,
            "turnover": m.turnover if m else None, "new_workers": m.new_workers if m else 0,
            "roles": dict(m.roles) if m else {}, "tasks": dict(m.tasks) if m else {}}))
    return GroupDetail(row=row, regency=ref_of(regency), months=series)
