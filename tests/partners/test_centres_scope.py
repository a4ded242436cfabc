"""Every training-centre page and API operation through the scope harness.

Inside: a BLK of Kab. Bogor (32.01), used by Bogor's district officer. Outside: one of Kab.
Sukabumi (32.02), which Bogor's officer does not see (404). Routes with no object refuse a TKS
(403)."""

import itertools

from django.urls import reverse

from sukarela.partners.models import CentreProgramme, TrainingCentre
from tests.partners.conftest import partner
from tests.partners.test_linkages import make_centre
from tests.scope_harness import ListCase, RouteCase

_n = itertools.count(1)


class CentreRoute(RouteCase):
    def make(self, world, where):
        return make_centre(world, where, name=f"BLK Harness {'Dalam' if where == 'in' else 'Luar'} {next(_n)}",
                           fkn_member=True)

    def marker(self, obj):
        return obj.name


class FieldRoleRefused(RouteCase):
    outsider = "tks_in"
    outsider_status = 403


class TestCentreListPage(ListCase, CentreRoute):
    route = "partners:centre_list"
    outsider_status = 200

    def url(self, obj):
        return reverse("partners:centre_list")


class TestCentreFknPage(ListCase, CentreRoute):
    route = "partners:centre_fkn"
    outsider_status = 200

    def url(self, obj):
        return reverse("partners:centre_fkn")


class TestCentreCreatePage(FieldRoleRefused):
    route = "partners:centre_create"
    method = "post"
    ok_status = 302
    audit_action = "create_centre"

    def url(self, obj):
        return reverse("partners:centre_create")

    def data(self, obj, world):
        return {"name": f"BLK Baru {next(_n)}", "kind": "uptp", "region": "32.01"}


class TestCentreDetailPage(CentreRoute):
    route = "partners:centre_detail"

    def url(self, obj):
        return reverse("partners:centre_detail", args=[obj.pk])


class TestCentreEditPage(CentreRoute):
    route = "partners:centre_edit"
    method = "post"
    ok_status = 302
    audit_action = "update_centre"

    def url(self, obj):
        return reverse("partners:centre_edit", args=[obj.pk])

    def data(self, obj, world):
        return {"name": obj.name + " Baru", "kind": obj.kind, "region": obj.region_id, "fkn_member": "on"}


class TestCentreProgrammeAddPage(CentreRoute):
    route = "partners:centre_programme_add"
    method = "post"
    ok_status = 302
    audit_action = "add_centre_programme"

    def url(self, obj):
        return reverse("partners:centre_programme_add", args=[obj.pk])

    def data(self, obj, world):
        return {"name": "Inkubator bisnis", "year": 2025, "participants": 15}


class TestCentreProgrammeEditPage(CentreRoute):
    route = "partners:centre_programme_edit"
    method = "post"
    ok_status = 302
    audit_action = "update_centre_programme"

    def make(self, world, where):
        centre = super().make(world, where)
        centre.programme = CentreProgramme.objects.create(centre=centre, name="Kelas wirausaha", year=2024)
        return centre

    def url(self, obj):
        return reverse("partners:centre_programme_edit", args=[obj.pk, obj.programme.pk])

    def data(self, obj, world):
        return {"name": "Kelas wirausaha", "year": 2025, "participants": 30}


class TestCentreSupporterAddPage(CentreRoute):
    route = "partners:centre_supporter_add"
    method = "post"
    ok_status = 302
    audit_action = "add_centre_supporter"

    def make(self, world, where):
        centre = super().make(world, where)
        centre.partner = partner(world, reach="nasional", region=None)
        return centre

    def url(self, obj):
        return reverse("partners:centre_supporter_add", args=[obj.pk])

    def data(self, obj, world):
        return {"partner": obj.partner.pk}


class TestCentreSupporterRemovePage(CentreRoute):
    route = "partners:centre_supporter_remove"
    method = "post"
    ok_status = 302
    audit_action = "remove_centre_supporter"

    def make(self, world, where):
        centre = super().make(world, where)
        centre.partner = partner(world, reach="nasional", region=None)
        centre.supporters.add(centre.partner)
        return centre

    def url(self, obj):
        return reverse("partners:centre_supporter_remove", args=[obj.pk, obj.partner.pk])


# ----------------------------------------------------------------------------- API

class TestApiCentreList(ListCase, CentreRoute):
    route = "GET /api/partners/centres"
    outsider_status = 200

    def url(self, obj):
        return "/api/partners/centres"

    def expected_count(self, world):
        return TrainingCentre.objects.filter(region__code__startswith="32.01").count()


class TestApiCentreCreate(FieldRoleRefused):
    route = "POST /api/partners/centres"
    method = "post"
    ok_status = 201
    audit_action = "create_centre"

    def url(self, obj):
        return "/api/partners/centres"

    def data(self, obj, world):
        return {"name": f"BLK API {next(_n)}", "kind": "komunitas", "region": "32.01.01", "fkn_member": True,
                "vocational_fields": ["Menjahit", "Las"]}


class TestApiCentreDetail(CentreRoute):
    route = "GET /api/partners/centres/{centre_id}"

    def url(self, obj):
        return f"/api/partners/centres/{obj.pk}"


class TestApiCentreUpdate(CentreRoute):
    route = "PATCH /api/partners/centres/{centre_id}"
    method = "patch"
    audit_action = "update_centre"

    def url(self, obj):
        return f"/api/partners/centres/{obj.pk}"

    def data(self, obj, world):
        return {"host_institution": "Pondok Pesantren Darul Falah"}
