"""Indicator figures for dashboards, reports and the API, read from the precomputed RegionMonth rows
(never from raw visits): a dashboard request (figures + children + trend) costs a handful of
indexed queries whatever the size of the programme.

Scope: a national officer reads every region; a provincial officer their province and its
regencies; a district officer their regency. Anything else (another region, an unknown code, a
district or village code, a field role) is Http404, as core.scope answers for objects.
Group-level reads (group_rows, group_detail, my_groups) live in selectors/groups.py and are
re-exported here: this module is the contract other code imports.
"""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sukarela.core.roles import Role
from sukarela.engines.indicators import add_months
from sukarela.monitoring import indicators
from sukarela.monitoring.models import NATIONAL, RefreshState, RegionMonth
from sukarela.monitoring.periods import Period, month_start
from sukarela.regions.models import Level, Region, within

OFFICERS = (Role.NATIONAL, Role.PROVINCIAL, Role.DISTRICT)
STATE = "regions"  # the RefreshState row whose refreshed_at says how fresh the figures are


@dataclass(frozen=True)
class RegionRef:
    code: str           # "" for the nation
    name: str           # "Indonesia" for the nation
    level: int          # 0 nation, 1 province, 2 regency
    parent: str | None  # parent code ("" for a province, None for the nation)


@dataclass(frozen=True)
class Figures:
    region: RegionRef
    period: Period
    values: dict          # {indicator code: float | int | None}  (indicators.figures)
    components: dict      # the combined components (indicators.combine)
    refreshed_at: dt.datetime | None  # when the last refresh brought these rows up to date; None: never


def nation() -> RegionRef:
    return RegionRef(NATIONAL, _("Indonesia"), 0, None)


def ref_of(region: Region) -> RegionRef:
    return RegionRef(region.code, region.name, region.level, region.parent_id or NATIONAL)


def dashboard_root(user) -> str | None:
    """The region an officer's dashboard opens at: "" national, the province or regency code of a
    provincial or district officer; None for everyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role not in OFFICERS:
        return None
    return user.scope_code


def region_ref(user, code: str) -> RegionRef:
    """The region `code` ("" the nation, a province or a regency) if `user` may read its figures."""
    root = dashboard_root(user)
    if root is None or not isinstance(code or "", str):
        raise Http404("Not found")
    code = (code or "").strip()
    if code == NATIONAL:
        if root != NATIONAL:
            raise Http404("Not found")
        return nation()
    if root != NATIONAL and not within(code, root):
        raise Http404("Not found")
    region = Region.objects.filter(code=code, level__in=(Level.PROVINCE, Level.REGENCY)).first()
    if region is None:
        raise Http404("Not found")
    return ref_of(region)


def refreshed_at() -> dt.datetime | None:
    """Every refresh brings every row up to date (services/refresh.py), so the figures are as fresh
    as the last refresh that finished."""
    return RefreshState.objects.filter(name=STATE).values_list("refreshed_at", flat=True).first()


def _values(codes: list[str], months: list[dt.date]) -> dict[str, list[dict]]:
    """{code: [values of each month, {} where the region had no data]} in one query."""
    found = {(code, month): values for code, month, values in RegionMonth.objects.filter(
        region_code__in=codes, month__gte=months[0], month__lte=months[-1]).values_list(
        "region_code", "month", "values")} if months else {}
    return {code: [found.get((code, m), {}) for m in months] for code in codes}


def _figures(ref: RegionRef, period: Period, months: list[dict], fresh) -> Figures:
    return Figures(ref, period, indicators.figures(months), indicators.combine(months), fresh)


def figures(user, code: str, period: Period) -> Figures:
    """The indicators of one region over `period` (flows summed, stocks of the last month)."""
    ref = region_ref(user, code)
    months = _values([ref.code], period.months)[ref.code]
    return _figures(ref, period, months, refreshed_at())


def child_regions(ref: RegionRef) -> list[RegionRef]:
    """The active provinces of the nation or regencies of a province, by code; none below a regency."""
    if ref.level == 0:
        qs = Region.objects.filter(level=Level.PROVINCE, active=True)
    elif ref.level == Level.PROVINCE:
        qs = Region.objects.filter(level=Level.REGENCY, active=True, parent_id=ref.code)
    else:
        return []
    return [ref_of(r) for r in qs.order_by("code")]


def children(user, code: str, period: Period) -> list[Figures]:
    """Figures of every active child region (None values where it had no data), ordered by code."""
    ref = region_ref(user, code)
    kids = child_regions(ref)
    if not kids:
        return []
    by_code = _values([k.code for k in kids], period.months)
    fresh = refreshed_at()
    return [_figures(k, period, by_code[k.code], fresh) for k in kids]


def trend(user, code: str, months: int = 24, end: dt.date | None = None) -> list[tuple[dt.date, dict]]:
    """[(month, {indicator code: value})], oldest first, each month on its own, ending at `end`'s
    month (default: this month)."""
    ref = region_ref(user, code)
    try:
        months = max(1, min(int(months), 120))
    except (TypeError, ValueError):
        months = 24
    last = month_start(end or timezone.localdate())
    span = [add_months(last, i - months + 1) for i in range(months)]
    values = _values([ref.code], span)[ref.code]
    return [(m, indicators.figures([v])) for m, v in zip(span, values)]


def region_months(codes: list[str], period: Period) -> dict[str, list[dict]]:
    """The raw per-month `values` of RegionMonth for `codes`, one dict per month of the period ({}
    where a region had no data). No scope check: for open data and the benchmark."""
    return _values(list(codes), period.months)


from sukarela.monitoring.selectors.groups import (  # noqa: E402  (re-exported: the contract)
    GroupDetail, GroupRow, group_detail, group_rows, my_groups)

__all__ = ["RegionRef", "Figures", "GroupRow", "GroupDetail", "dashboard_root", "region_ref", "figures",
           "children", "trend", "group_rows", "group_detail", "my_groups", "region_months", "nation",
           "child_regions", "refreshed_at"]
