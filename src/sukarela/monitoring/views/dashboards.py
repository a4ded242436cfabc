"""The programme dashboards: the nation, a province or a regency for officers (drilling down to a
group), and "my groups" for a TKS or a group chair. Thin: every figure comes from
selectors/figures.py (precomputed RegionMonth/GroupMonth rows, never raw visits), the regency's TKS
table from selectors/tks.py; the tables, charts and downloads are views/dashboard_tables.py's.
National officers may ask for a refresh of the aggregates (one at a time, at most once a minute)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sukarela.core.roles import Role
from sukarela.core.scope import in_scope
from sukarela.core.views import officer_required
from sukarela.groups.models import GroupStatus, Tier
from sukarela.monitoring.selectors import figures as selectors
from sukarela.monitoring.selectors.tks import regency_tks
from sukarela.monitoring.services import refresh as refreshing
from sukarela.monitoring.views import dashboard_tables as T
from sukarela.monitoring.views.options import chart_scripts, read_options
from sukarela.monitoring.views.tables import answer_download
from sukarela.regions.models import Level, Region

FIELD_ROLES = (Role.TKS, Role.GROUP_CHAIR)
REFRESH_RUNNING, REFRESH_RECENT = "monitoring:refresh:running", "monitoring:refresh:recent"
REFRESH_PAUSE = 60  # seconds between two refreshes asked for from the page


@login_required
def home(request):
    root = selectors.dashboard_root(request.user)
    if root is not None:
        return redirect(T.region_url(root))
    if request.user.role in FIELD_ROLES:
        return redirect("monitoring:mine")
    raise PermissionDenied


def breadcrumb(user, codes: list[str]) -> list[dict]:
    """Indonesia and the regions down to the last code, each linked only when the user may open its
    dashboard (an officer: their region and below). Names are public reference data."""
    names = dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    officer = user.is_officer
    return [{"name": names.get(c, c).title() if c else "Indonesia", "code": c,
             "url": T.region_url(c) if officer and in_scope(user, c) else None} for c in codes]


def ancestors(code: str) -> list[str]:
    parts = code.split(".") if code else []
    return [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]


def _render(request, template, context, tables, stem):
    response = answer_download(request, tables, stem)
    if response is not None:
        return response
    query = request.GET.copy()
    for name in ("unduh", "tabel"):
        query.pop(name, None)
    context.update(tables={t.key: t for t in tables}, charts=[c for t in tables for c in t.chart_data],
                   query=query.urlencode() + "&" if query else "",
                   chart_scripts=chart_scripts(), refresh_allowed=request.user.is_officer and request.user.is_national)
    return render(request, template, context)


GROUP_PAGE_ROWS = 100


def _region_page(request, code: str):
    user = request.user
    form, period, indicator = read_options(request)
    fig = selectors.figures(user, code, period)  # Http404 outside the scope
    level = fig.region.level
    sections, head = T.headline(fig.values)
    tables = [head, T.funnel(fig.values)]
    if level < Level.REGENCY:
        tables.append(T.ranking(selectors.children(user, code, period), indicator))
    tables += [T.trend(selectors.trend(user, code, 24, period.end)), T.mix(fig.values, "roles"),
               T.mix(fig.values, "tasks")]
    group_page = None
    if level == Level.REGENCY:
        rows = selectors.group_rows(user, code, period)
        if not request.GET.get("unduh"):
            # A regency may hold a thousand groups: the page shows them a page at a time (rendering them
            # all cost most of a 470 ms request at 10× scale); the download keeps every row.
            group_page = Paginator(rows, GROUP_PAGE_ROWS).get_page(request.GET.get("page"))
            rows = group_page.object_list
        tables += [T.groups(rows), T.tks(regency_tks(user, code, period))]
    context = {"form": form, "period": period, "figures": fig, "region": fig.region, "sections": sections,
               "level": level, "breadcrumb": breadcrumb(user, ancestors(code)), "indicator": indicator,
               "page": group_page}
    return _render(request, "monitoring/dashboard.html", context, tables, f"pantau-{code or 'nasional'}-{period}")


@officer_required
def national(request):
    return _region_page(request, "")


@officer_required
def region(request, code: str):
    if not code or len(code) > 13:
        raise Http404
    return _region_page(request, code)


@login_required
def group(request, pk: int):
    user = request.user
    if not (user.is_officer or user.role in FIELD_ROLES):
        raise PermissionDenied
    form, period, _indicator = read_options(request)
    detail = selectors.group_detail(user, pk, period)  # Http404 outside the scope or not the user's group
    trail = breadcrumb(user, ancestors(detail.regency.code)) + [{"name": detail.row.name, "url": None}]
    context = {"form": form, "period": period, "detail": detail, "row": detail.row, "breadcrumb": trail,
               "record_url": user.is_officer, "mine_url": user.role in FIELD_ROLES,
               "tier": T.label(Tier, detail.row.tier), "status": T.label(GroupStatus, detail.row.status)}
    tables = T.group_months(detail.months, period)
    return _render(request, "monitoring/dashboard_group.html", context, tables, f"pantau-kelompok-{pk}-{period}")


@login_required
def mine(request):
    if request.user.role not in FIELD_ROLES:
        raise PermissionDenied
    form, period, _indicator = read_options(request)
    rows = selectors.my_groups(request.user, period)
    tables = [T.groups(rows, title=_("Kelompok saya"), chart=True)]
    context = {"form": form, "period": period, "rows": rows}
    return _render(request, "monitoring/dashboard_mine.html", context, tables, f"pantau-saya-{period}")


@require_POST
@officer_required
def refresh(request):
    """Fold what changed since the last refresh into the aggregates (services.refresh, incremental)."""
    if not request.user.is_national:
        raise PermissionDenied
    if cache.get(REFRESH_RECENT) or not cache.add(REFRESH_RUNNING, True, 30 * 60):
        messages.error(request, _("Pembaruan data sedang berjalan atau baru saja selesai; coba lagi sebentar lagi."))
        return redirect("monitoring:national")
    try:
        result = refreshing.refresh()
    finally:
        cache.delete(REFRESH_RUNNING)
    cache.set(REFRESH_RECENT, True, REFRESH_PAUSE)
    messages.success(request, _("Data diperbarui: %(m)d bulan, %(r)d baris wilayah, %(g)d kelompok-bulan dalam "
                                "%(s)s detik.") % {"m": result.months, "r": result.regions, "g": result.groups,
                                                   "s": number_format(result.seconds, 1)})
    return redirect("monitoring:national")


urlpatterns = [
    path("pantau/", home, name="home"),
    path("pantau/nasional/", national, name="national"),
    path("pantau/wilayah/<str:code>/", region, name="region"),
    path("pantau/kelompok/<int:pk>/", group, name="group"),
    path("pantau/saya/", mine, name="mine"),
    path("pantau/perbarui/", refresh, name="refresh"),
]
