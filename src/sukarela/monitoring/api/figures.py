"""Indicator definitions and figures over HTTP: the same selectors as the dashboards
(selectors/figures.py, selectors/map.py), the same scope. `region` omitted is the caller's own
region (the nation for a national officer); a region outside the caller's scope is 404 in every
parameter; field roles get 403 except on /mine and on their own groups; a period that cannot be read
is 422 with loc ["query", "period"]."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Query, Schema
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import Field

from sukarela.core.roles import Role
from sukarela.core.schema_types import Id, Text
from sukarela.monitoring import indicators as ind
from sukarela.monitoring.api import router
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures as selectors
from sukarela.monitoring.views.options import DEFAULT_INDICATOR, default_period

IndicatorCode = Literal[*ind.BY_CODE]  # type: ignore[valid-type]
PERIOD_HELP = "2026-10, 2026-01..2026-06 or 2026; default: the 12 months ending with this month"
TAGS = ["monitoring"]


def officer(request):
    """The caller when they have a dashboard (an officer); 403 for everyone else."""
    if selectors.dashboard_root(request.auth) is None:
        raise PermissionDenied("Officers only")
    return request.auth


def parse_period(text: str) -> Period:
    if not text:
        return default_period()
    try:
        return Period.parse(text, timezone.localdate())
    except ValueError as exc:
        raise SchemaValidationError([{"loc": ["query", "period"], "msg": str(exc), "type": "value_error"}]) from None


def region_of(user, code: str) -> str:
    return code if code else selectors.dashboard_root(user)


class RegionFilter(Schema):
    region: Text = Field("", max_length=13, description="a province or regency code; omitted: the caller's own")
    period: Text = Field("", max_length=40, description=PERIOD_HELP)


class PeriodFilter(Schema):
    period: Text = Field("", max_length=40, description=PERIOD_HELP)


class TrendFilter(Schema):
    region: Text = Field("", max_length=13)
    months: int = Field(24, ge=1, le=120, description="how many months, ending with this month")


class MapFilter(RegionFilter):
    indicator: IndicatorCode = Field(DEFAULT_INDICATOR, description="the indicator that shades the regions")


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    unit: Literal["count", "percent", "rupiah", "per_tks"]
    source: str
    level: Literal["group", "regency"] = Field(..., description="the finest level it is counted at")
    topic: str


class RegionOut(Schema):
    code: str = Field(..., description='"" for the nation')
    name: str
    level: int = Field(..., description="0 nation, 1 province, 2 regency")
    parent: str | None


class FiguresOut(Schema):
    region: RegionOut
    period: str
    refreshed_at: dt.datetime | None = Field(..., description="when the aggregates were last refreshed")
    values: dict[str, float | None] = Field(..., description="indicator code → value (None: cannot be computed)")
    components: dict[str, float] = Field(..., description="the period's combined components of the indicators")


class ChildOut(Schema):
    region: RegionOut
    values: dict[str, float | None]


class ChildrenOut(Schema):
    region: RegionOut
    period: str
    children: list[ChildOut]


class MonthOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    values: dict[str, float | None]


class TrendOut(Schema):
    region: RegionOut
    months: list[MonthOut]


class GroupRowOut(Schema):
    id: int
    name: str
    village: str
    sector: str
    tier: str
    status: str
    mentor: str = Field(..., description="the TKS with the open posting; empty when none")
    visits: int = Field(..., description="visits + activities in the period")
    last_visit_on: dt.date | None
    turnover: Decimal | None = Field(..., description="Rp, the latest recorded up to the period's end")
    turnover_growth: float | None = Field(..., description="% from the first turnover recorded to that latest")
    new_workers: int
    visited_30d: bool


class GroupsOut(Schema):
    region: RegionOut
    period: str
    groups: list[GroupRowOut]


class GroupMonthOut(Schema):
    month: str
    visits: int
    activities: int
    turnover: Decimal | None
    new_workers: int
    roles: dict[str, int]
    tasks: dict[str, int]


class GroupDetailOut(Schema):
    group: GroupRowOut
    regency: RegionOut
    period: str
    months: list[GroupMonthOut] = Field(..., description="24 months to the period's end")


class MineOut(Schema):
    period: str
    groups: list[GroupRowOut]


def _region(ref) -> dict:
    return {"code": ref.code, "name": str(ref.name), "level": ref.level, "parent": ref.parent}


def _figures(f) -> dict:
    return {"region": _region(f.region), "period": str(f.period), "refreshed_at": f.refreshed_at,
            "values": f.values, "components": {k: v for k, v in f.components.items() if v is not None}}


@router.get("/monitoring/indicators", response=list[IndicatorOut], tags=TAGS,
            summary="Every programme indicator: name, formula, unit, source, finest level, topic")
def list_indicators(request):
    return [{"code": i.code, "name": str(i.name), "formula": str(i.formula), "unit": i.unit, "source": str(i.source),
             "level": i.level, "topic": i.topic} for i in ind.INDICATORS]


@router.get("/monitoring/figures", response=FiguresOut, tags=TAGS,
            summary="The indicators of one region over a period (from the precomputed aggregates)")
def region_figures(request, filters: Query[RegionFilter]):
    user = officer(request)
    period = parse_period(filters.period)
    return _figures(selectors.figures(user, region_of(user, filters.region), period))


@router.get("/monitoring/children", response=ChildrenOut, tags=TAGS,
            summary="The indicators of each province of the nation or regency of a province")
def region_children(request, filters: Query[RegionFilter]):
    user = officer(request)
    period = parse_period(filters.period)
    code = region_of(user, filters.region)
    ref = selectors.region_ref(user, code)
    kids = selectors.children(user, code, period)
    return {"region": _region(ref), "period": str(period),
            "children": [{"region": _region(k.region), "values": k.values} for k in kids]}


@router.get("/monitoring/trend", response=TrendOut, tags=TAGS,
            summary="The indicators of one region month by month, oldest first")
def region_trend(request, filters: Query[TrendFilter]):
    user = officer(request)
    code = region_of(user, filters.region)
    ref = selectors.region_ref(user, code)
    months = selectors.trend(user, code, filters.months)
    return {"region": _region(ref), "months": [{"month": f"{m:%Y-%m}", "values": v} for m, v in months]}


def _row(r) -> dict:
    return {name: getattr(r, name) for name in GroupRowOut.model_fields}


@router.get("/monitoring/groups", response=GroupsOut, tags=TAGS,
            summary="The groups of a regency with their visits, turnover and new workers in the period")
def regency_groups(request, filters: Query[RegionFilter]):
    user = officer(request)
    period = parse_period(filters.period)
    code = region_of(user, filters.region)
    rows = selectors.group_rows(user, code, period)
    return {"region": _region(selectors.region_ref(user, code)), "period": str(period),
            "groups": [_row(r) for r in rows]}


@router.get("/monitoring/groups/{int:group_id}", response=GroupDetailOut, tags=TAGS,
            summary="One group: its figures in the period and its last 24 months (officers in scope, the "
                    "group's TKS and chair)")
def group_figures(request, group_id: Id, filters: Query[PeriodFilter]):
    user = request.auth
    if not (user.is_officer or user.role in (Role.TKS, Role.GROUP_CHAIR)):
        raise PermissionDenied("Officers, TKS and group chairs only")
    period = parse_period(filters.period)
    detail = selectors.group_detail(user, group_id, period)
    months = [{"month": f"{m:%Y-%m}", **{k: v[k] for k in ("visits", "activities", "turnover", "new_workers")},
               "roles": v["roles"], "tasks": v["tasks"]} for m, v in detail.months]
    return {"group": _row(detail.row), "regency": _region(detail.regency), "period": str(period), "months": months}


@router.get("/monitoring/mine", response=MineOut, tags=TAGS,
            summary="A TKS's groups (open postings) or a group chair's group, with their figures")
def mine(request, filters: Query[PeriodFilter]):
    user = request.auth
    if user.role not in (Role.TKS, Role.GROUP_CHAIR):
        raise PermissionDenied("TKS and group chairs only")
    period = parse_period(filters.period)
    return {"period": str(period), "groups": [_row(r) for r in selectors.my_groups(user, period)]}


from sukarela.monitoring.api import map_points  # noqa: E402  (the map operation registers on the router)

__all__ = ["router", "map_points"]
