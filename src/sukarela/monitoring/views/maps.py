"""The monitoring map for officers: the regions of one level as circles shaded by an indicator,
and at province and regency level the groups, TKS and BLK in scope. Leaflet comes from
xstatic-leaflet; the drawing script fetches GET /api/monitoring/map (selectors/map.py). The page
itself lists the regions with their values and the legend, so it says everything without the
script, and it needs no tile server (settings.SUKARELA_MAP_TILES, empty by default)."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import path, reverse

from sukarela.core.views import officer_required
from sukarela.monitoring.selectors import figures
from sukarela.monitoring.selectors.map import map_data
from sukarela.monitoring.views.dashboards import ancestors, breadcrumb
from sukarela.monitoring.views.options import read_options


def map_url(code: str, indicator: str, period) -> str:
    return reverse("monitoring:map") + "?" + urlencode({"region": code, "indikator": indicator,
                                                       "periode": str(period)})


@officer_required
def map_page(request):
    user = request.user
    code = (request.GET.get("region") or "").strip()[:13]
    form, period, indicator = read_options(request)
    if not code:
        code = figures.dashboard_root(user) or ""
    data = map_data(user, code, indicator, period)  # Http404 outside the scope
    trail = breadcrumb(user, ancestors(data.region.code))
    for crumb in trail:  # the trail leads up the map, not to the dashboards
        crumb["url"] = map_url(crumb["code"], indicator, period) if crumb["url"] else None
    for region in data.regions:
        region["map_url"] = map_url(region["code"], indicator, period) if region["code"] != data.region.code else None
    api = reverse("api:monitoring_map") + "?" + urlencode({"region": data.region.code, "indicator": indicator,
                                                           "period": str(period)})
    context = {"form": form, "period": period, "data": data, "breadcrumb": trail, "api_url": api,
               "tiles": settings.SUKARELA_MAP_TILES, "attribution": settings.SUKARELA_MAP_ATTRIBUTION,
               "counts": {k: len(v) for k, v in data.points.items()},
               "dashboard_url": reverse("monitoring:national") if data.region.code == "" else
               reverse("monitoring:region", args=[data.region.code])}
    return render(request, "monitoring/map.html", context)


urlpatterns = [path("pantau/peta/", map_page, name="map")]
