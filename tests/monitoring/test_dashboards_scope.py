"""Every dashboard page, download and figures API operation through the scope harness.

The region routes are asked, as the issue puts it, for Kab. Bogor (32.01): its district officer
reads it, Kab. Sukabumi's (district_other) gets 404 — on the page, its downloads and every API
parameter. Field roles get 403 on officer pages; a TKS reaches their own groups' pages and /mine.
Figures are hand-written aggregates (tests/monitoring/dashboard_data.py)."""

import itertools

from django.urls import reverse

from sukarela.monitoring.models import GroupMonth
from tests.groups.conftest import make_group
from tests.mentoring.conftest import post
from tests.monitoring.dashboard_data import small_programme, this_month
from tests.scope_harness import RouteCase

_n = itertools.count(1)


class BogorRoute(RouteCase):
    """Kab. Bogor's figures: its officer reads them, Kab. Sukabumi's gets 404."""
    outsider = "district_other"

    def make(self, world, where):
        small_programme()
        return "32.01"


class FieldRoleRefused(RouteCase):
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        small_programme()
        return "32.01"


def bogor_group(world, where):
    """A group of Kab. Bogor (in) or Kab. Sukabumi (out) with one month of aggregates; the Bogor TKS
    (tks_in) mentors the Bogor group."""
    group = make_group(world, where, name=f"Kelompok Pantau {'Dalam' if where == 'in' else 'Luar'} {next(_n)}")
    GroupMonth.objects.create(group=group, month=this_month(), regency_code=group.village_id[:5], visits=2)
    if where == "in":
        post(group, world.tks_in)
    return group


# ----------------------------------------------------------------------------- pages

class TestHome(FieldRoleRefused):
    route = "monitoring:home"
    insider = "district"
    ok_status = 302  # to the officer's own dashboard
    outsider_status = 302  # a TKS is sent to their own groups, never to an officer's dashboard

    def url(self, obj):
        return reverse("monitoring:home")


class TestNational(RouteCase):
    route = "monitoring:national"
    insider = "national"
    outsider = "provincial"  # the nation is outside a province's scope

    def make(self, world, where):
        small_programme()

    def url(self, obj):
        return reverse("monitoring:national")


class TestNationalRefusesFieldRoles(FieldRoleRefused):
    route = "monitoring:national"
    insider = "national"

    def url(self, obj):
        return reverse("monitoring:national")


class TestRegion(BogorRoute):
    route = "monitoring:region"

    def url(self, code):
        return reverse("monitoring:region", args=[code])

    def marker(self, code):
        return "Kabupaten Bogor"


class TestRegionRefusesFieldRoles(FieldRoleRefused):
    route = "monitoring:region"

    def url(self, code):
        return reverse("monitoring:region", args=[code])


class TestRegionExport(BogorRoute):
    route = "monitoring:region"

    def url(self, code):
        return reverse("monitoring:region", args=[code]) + "?unduh=csv&tabel=kelompok"


class TestRegionTksExport(BogorRoute):
    route = "monitoring:region"

    def url(self, code):
        return reverse("monitoring:region", args=[code]) + "?unduh=xlsx&tabel=tks"


class TestGroup(RouteCase):
    route = "monitoring:group"

    def make(self, world, where):
        return bogor_group(world, where)

    def url(self, group):
        return reverse("monitoring:group", args=[group.pk])

    def marker(self, group):
        return group.name


class TestGroupForItsTks(TestGroup):
    """The TKS who mentors the group opens its page; another region's TKS gets 404."""
    insider = "tks_in"
    outsider = "tks_out"

    def make(self, world, where):
        return bogor_group(world, "in")


class TestGroupExport(TestGroup):
    def url(self, group):
        return reverse("monitoring:group", args=[group.pk]) + "?unduh=csv&tabel=bulanan"


class TestMine(RouteCase):
    route = "monitoring:mine"
    insider = "tks_in"
    outsider = "district"
    outsider_status = 403  # officers have their regions' dashboards

    def make(self, world, where):
        return bogor_group(world, where)

    def url(self, group):
        return reverse("monitoring:mine")


class TestMineExport(TestMine):
    def url(self, group):
        return reverse("monitoring:mine") + "?unduh=xlsx&tabel=kelompok"


class TestRefresh(RouteCase):
    route = "monitoring:refresh"
    method = "post"
    insider = "national"
    outsider = "provincial"
    outsider_status = 403
    ok_status = 302

    def url(self, obj):
        return reverse("monitoring:refresh")


class TestRefreshRefusesFieldRoles(TestRefresh):
    outsider = "tks_in"


# ----------------------------------------------------------------------------- API

class TestIndicatorsApi(RouteCase):
    """Definitions only (no figure): any signed-in user may read them."""
    route = "GET /api/monitoring/indicators"
    outsider = "tks_in"
    outsider_status = 200

    def url(self, obj):
        return "/api/monitoring/indicators"


class TestFiguresApi(BogorRoute):
    route = "GET /api/monitoring/figures"

    def url(self, code):
        return f"/api/monitoring/figures?region={code}"


class TestFiguresApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/figures"

    def url(self, code):
        return f"/api/monitoring/figures?region={code}"


class TestChildrenApi(BogorRoute):
    route = "GET /api/monitoring/children"
    insider = "provincial"
    outsider = "provincial_other"

    def make(self, world, where):
        small_programme()
        return "32"

    def url(self, code):
        return f"/api/monitoring/children?region={code}"


class TestChildrenApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/children"

    def url(self, code):
        return "/api/monitoring/children"


class TestTrendApi(BogorRoute):
    route = "GET /api/monitoring/trend"

    def url(self, code):
        return f"/api/monitoring/trend?region={code}&months=3"


class TestTrendApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/trend"

    def url(self, code):
        return f"/api/monitoring/trend?region={code}"


class TestGroupsApi(BogorRoute):
    route = "GET /api/monitoring/groups"

    def make(self, world, where):
        self.group = bogor_group(world, "in")
        return "32.01"

    def url(self, code):
        return f"/api/monitoring/groups?region={code}"

    def marker(self, code):
        return self.group.name


class TestGroupsApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/groups"

    def url(self, code):
        return f"/api/monitoring/groups?region={code}"


class TestGroupApi(TestGroup):
    route = "GET /api/monitoring/groups/{group_id}"

    def url(self, group):
        return f"/api/monitoring/groups/{group.pk}"


class TestGroupApiForItsTks(TestGroupForItsTks):
    route = "GET /api/monitoring/groups/{group_id}"

    def url(self, group):
        return f"/api/monitoring/groups/{group.pk}"


class TestMineApi(TestMine):
    route = "GET /api/monitoring/mine"

    def url(self, group):
        return "/api/monitoring/mine"
