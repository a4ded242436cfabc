"""Curriculum and venue pages and API operations through the scope harness.

Curricula are programme facts: every officer reads them (a field role is refused, 403)
and only national officers change them (the district officer is refused, 403). Venues
belong to a region: the district officer of Kabupaten Bogor (32.01) keeps the ones in
32.01; the officer of Kabupaten Sukabumi (32.02) gets 404 for them and never sees them
in a list.
"""

from types import SimpleNamespace

from django.urls import reverse

from sukarela.training.services import curricula, venues
from tests.scope_harness import ListCase, RouteCase

WHERE = {"in": "Dalam", "out": "Luar"}
MODULE = {"order": 4, "code": "kemitraan", "title": "Kemitraan dan akses pembiayaan", "outcomes": "",
          "planned_hours": 12, "mode": "classroom", "assessment": "Rencana kemitraan", "pass_mark": 70}


def _curriculum(world, where):
    c = curricula.create_curriculum(world.national, name=f"Kurikulum {WHERE[where]} Rahasia")
    c.module = curricula.add_module(world.national, c, **{**MODULE, "title": f"Modul {WHERE[where]} Rahasia"})
    return c


def _venue(world, where):
    officer, region = (world.district, "32.01") if where == "in" else (world.district_other, "32.02")
    return venues.create_venue(officer, name=f"Tempat {WHERE[where]} Rahasia", kind="blk_komunitas",
                               region_id=region, address="Jl. Uji")


# --- curricula: reads for every officer ---------------------------------------------
class CurriculumRead(RouteCase):
    insider = "district"
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        return _curriculum(world, where)

    def marker(self, obj):
        return obj.name


class TestCurriculumListPage(CurriculumRead):
    route = "training:curriculum_list"

    def url(self, obj):
        return reverse("training:curriculum_list")


class TestCurriculumDetailPage(CurriculumRead):
    route = "training:curriculum_detail"

    def url(self, obj):
        return reverse("training:curriculum_detail", args=[obj.pk])


class TestCurriculumListApi(CurriculumRead):
    route = "GET /api/training/curricula"

    def url(self, obj):
        return "/api/training/curricula"


# --- curricula: national writes -----------------------------------------------------
class CurriculumWrite(RouteCase):
    insider = "national"
    outsider = "district"
    outsider_status = 403

    def make(self, world, where):
        return _curriculum(world, where)


class TestCurriculumCreateForm(CurriculumWrite):
    route = "training:curriculum_create"

    def url(self, obj):
        return reverse("training:curriculum_create")


class TestCurriculumCreate(TestCurriculumCreateForm):
    method = "post"
    ok_status = 302
    audit_action = "create"

    def data(self, obj, world):
        return {"name": "Kurikulum Baru", "description": "Lima bulan"}


class TestCurriculumEditForm(CurriculumWrite):
    route = "training:curriculum_edit"

    def url(self, obj):
        return reverse("training:curriculum_edit", args=[obj.pk])


class TestCurriculumEdit(TestCurriculumEditForm):
    method = "post"
    ok_status = 302
    audit_action = "update"

    def data(self, obj, world):
        return {"name": "Kurikulum Berganti Nama", "description": ""}


class TestModuleCreate(CurriculumWrite):
    route = "training:module_create"
    method = "post"
    ok_status = 302
    audit_action = "create"

    def url(self, obj):
        return reverse("training:module_create", args=[obj.pk])

    def data(self, obj, world):
        return {**MODULE, "code": "lpj", "title": "Laporan lapangan dan LPJ"}


class TestModuleEditForm(CurriculumWrite):
    route = "training:module_edit"

    def url(self, obj):
        return reverse("training:module_edit", args=[obj.module.pk])


class TestModuleEdit(TestModuleEditForm):
    method = "post"
    ok_status = 302
    audit_action = "update"

    def data(self, obj, world):
        return {**MODULE, "planned_hours": 20}


class TestModuleDelete(CurriculumWrite):
    route = "training:module_delete"
    method = "post"
    ok_status = 302
    audit_action = "delete"

    def url(self, obj):
        return reverse("training:module_delete", args=[obj.module.pk])


class TestCurriculumCreateApi(CurriculumWrite):
    route = "POST /api/training/curricula"
    method = "post"
    ok_status = 201
    audit_action = "create"

    def url(self, obj):
        return "/api/training/curricula"

    def data(self, obj, world):
        return {"name": "Kurikulum Lewat API"}


class TestModuleCreateApi(CurriculumWrite):
    route = "POST /api/training/curricula/{curriculum_id}/modules"
    method = "post"
    ok_status = 201
    audit_action = "create"

    def url(self, obj):
        return f"/api/training/curricula/{obj.pk}/modules"

    def data(self, obj, world):
        return {**MODULE, "code": "lpj", "order": None}


# --- venues: the region's officers ---------------------------------------------------
class VenueCase(RouteCase):
    def make(self, world, where):
        return _venue(world, where)

    def marker(self, obj):
        return obj.name if obj is not None else None


class TestVenueListPage(VenueCase, ListCase):
    route = "training:venue_list"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return reverse("training:venue_list")


class TestVenueListApi(VenueCase, ListCase):
    route = "GET /api/training/venues"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return "/api/training/venues"

    def expected_count(self, world):
        return 1


class VenueCreate(VenueCase):
    """A create aims at Kabupaten Bogor; `make` only says whose request it is."""

    def make(self, world, where):
        return SimpleNamespace(name="Tempat Baru Rahasia", where=where)

    def data(self, obj, world):
        return {"name": obj.name, "kind": "blk_uptp", "region": "32.01", "address": "", "capacity": 25}


class TestVenueCreateForm(VenueCreate):
    route = "training:venue_create"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return reverse("training:venue_create")

    def data(self, obj, world):
        return None


class TestVenueCreate(VenueCreate):
    route = "training:venue_create"
    method = "post"
    ok_status = 302
    audit_action = "create"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return reverse("training:venue_create")


class TestVenueCreateOutsideRegion(TestVenueCreate):
    """Another district's officer may use the form, but it refuses a region outside theirs."""

    outsider = "district_other"
    outsider_status = 200

    def assert_not_leaked(self, response, obj):
        assert response.context["form"].errors["region"]


class TestVenueCreateApi(VenueCreate):
    route = "POST /api/training/venues"
    method = "post"
    ok_status = 201
    audit_action = "create"
    outsider = "district_other"
    outsider_status = 403

    def url(self, obj):
        return "/api/training/venues"


class TestVenueEditForm(VenueCase):
    """Both targets are Kabupaten Bogor's venues; the officer of Kabupaten Sukabumi is the outsider."""

    route = "training:venue_edit"
    outsider = "district_other"
    outsider_status = 404

    def make(self, world, where):
        return venues.create_venue(world.district, name=f"Tempat {WHERE[where]} Rahasia", kind="blk_uptp",
                                   region_id="32.01")

    def url(self, obj):
        return reverse("training:venue_edit", args=[obj.pk])


class TestVenueEdit(TestVenueEditForm):
    method = "post"
    ok_status = 302
    audit_action = "update"

    def data(self, obj, world):
        return {"name": obj.name, "kind": "blk_uptp", "region": obj.region_id, "address": "Jl. Baru", "capacity": 30}
