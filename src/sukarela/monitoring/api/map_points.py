"""The monitoring map's data over HTTP (the map page's script draws it): regions shaded by an
indicator and, at province and regency level, the groups, TKS and BLK in scope (selectors/map.py)."""

from ninja import Query, Schema
from pydantic import Field

from sukarela.monitoring.api import router
from sukarela.monitoring.api.figures import TAGS, MapFilter, RegionOut, _region, officer, parse_period, region_of
from sukarela.monitoring.selectors.map import map_data


class MapIndicator(Schema):
    code: str
    name: str
    unit: str


class MapRegion(Schema):
    code: str
    name: str
    level: int
    lat: float | None
    lon: float | None
    value: float | None
    shade: int | None = Field(..., description="the legend class (0 lightest), None without a value")
    colour: str


class LegendEntry(Schema):
    colour: str
    low: float | None = Field(..., description="None: the entry for regions without a value")
    high: float | None


class MapPoint(Schema):
    id: int
    name: str
    lat: float
    lon: float


class MapPoints(Schema):
    groups: list[MapPoint]
    tks: list[MapPoint]
    centres: list[MapPoint]


class MapCapped(Schema):
    groups: bool
    tks: bool
    centres: bool


class MapOut(Schema):
    region: RegionOut
    indicator: MapIndicator
    period: str
    regions: list[MapRegion] = Field(..., description="the child regions (a regency: itself) as points")
    legend: list[LegendEntry]
    points: MapPoints = Field(..., description="only at province and regency level")
    capped: MapCapped = Field(..., description="which kinds of points were cut at `cap`")
    cap: int


@router.get("/monitoring/map", response=MapOut, tags=TAGS,
            summary="The map of one region: child regions shaded by an indicator; groups, TKS and BLK points")
def monitoring_map(request, filters: Query[MapFilter]):
    user = officer(request)
    period = parse_period(filters.period)
    data = map_data(user, region_of(user, filters.region), filters.indicator, period)
    return {"region": _region(data.region), "period": str(period), "regions": data.regions, "legend": data.legend,
            "indicator": {"code": data.indicator.code, "name": str(data.indicator.name), "unit": data.indicator.unit},
            "points": data.points, "capped": data.capped, "cap": data.cap}
