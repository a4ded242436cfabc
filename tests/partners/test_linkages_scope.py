"""Every linkage page and API operation through the scope harness.

Inside: a linkage of a Kab. Bogor (32.01) group with a Bogor partner, used by Bogor's district
officer. Outside: one of a Kab. Sukabumi (32.02) group, which Bogor's officer does not see (404).
Routes with no object (import, template, export) refuse a TKS (403)."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sukarela.core.web import spreadsheet
from sukarela.partners.models import Linkage
from sukarela.partners.services.linkage_imports import COLUMNS
from tests.partners.conftest import partner
from tests.partners.test_linkages import group_in, group_out, linked, make_visit
from tests.scope_harness import ListCase, RouteCase

_n = itertools.count(1)


def make_linkage(world, where):
    return linked(world, where)


class LinkageRoute(RouteCase):
    def make(self, world, where):
        return make_linkage(world, where)

    def marker(self, obj):
        return obj.group.name


class FieldRoleRefused(RouteCase):
    outsider = "tks_in"
    outsider_status = 403


# ----------------------------------------------------------------------------- pages

class TestLinkageListPage(ListCase, LinkageRoute):
    route = "partners:linkage_list"
    outsider_status = 200

    def url(self, obj):
        return reverse("partners:linkage_list")


class TestLinkageDetailPage(LinkageRoute):
    route = "partners:linkage_detail"

    def url(self, obj):
        return reverse("partners:linkage_detail", args=[obj.pk])


class TestLinkageMovePage(LinkageRoute):
    route = "partners:linkage_move"
    method = "post"
    ok_status = 302
    audit_action = "move_linkage"

    def url(self, obj):
        return reverse("partners:linkage_move", args=[obj.pk])

    def data(self, obj, world):
        return {"status": "dihubungi", "note": "Telepon ke kantor cabang"}


class GroupTarget(RouteCase):
    def make(self, world, where):
        group = group_in(world) if where == "in" else group_out(world)
        group.partner = (partner(world, region="32.01") if where == "in"
                         else partner(world, region="32.02", created_by=world.district_other))
        return group

    def marker(self, obj):
        return obj.name


class TestLinkageCreatePage(GroupTarget):
    route = "partners:linkage_create"
    method = "post"
    ok_status = 302
    audit_action = "create_linkage"

    def url(self, obj):
        return reverse("partners:linkage_create") + f"?kelompok={obj.pk}"

    def data(self, obj, world):
        return {"partner": obj.partner.pk, "purpose": "pinjaman", "notes": "KUR mikro"}


class TestLinkageFromVisitPage(RouteCase):
    route = "partners:linkage_from_visit"
    method = "post"
    ok_status = 302
    audit_action = "create_linkage_from_visit"

    def make(self, world, where):
        tks = world.tks_in if where == "in" else world.tks_out
        group = group_in(world, tks) if where == "in" else group_out(world, tks)
        visit = make_visit(tks, group, outcome="dihubungi", partner_name="BPR")
        visit.partner = (partner(world, region="32.01") if where == "in"
                         else partner(world, region="32.02", created_by=world.district_other))
        return visit

    def url(self, obj):
        return reverse("partners:linkage_from_visit", args=[obj.pk])

    def data(self, obj, world):
        return {"partner": obj.partner.pk, "purpose": "pinjaman"}

    def marker(self, obj):
        return obj.group.name


def import_file(group, p):
    headers = [c.header for c in COLUMNS]
    rows = [[group.pk, "", p.pk, "pinjaman", "diusulkan", "", "", "", "", "", "", ""]]
    return SimpleUploadedFile("keterkaitan.xlsx", spreadsheet("xlsx", headers, rows, "Keterkaitan"))


class TestLinkageImportPage(FieldRoleRefused):
    route = "partners:linkage_import"
    method = "post"
    audit_action = "import_linkages"

    def make(self, world, where):
        # Made before the request: the group's own registration is audited too.
        return group_in(world), partner(world, region="32.01")

    def url(self, obj):
        return reverse("partners:linkage_import")

    def data(self, obj, world):
        return {"mode": "all", "file": import_file(*obj)}


class TestLinkageImportTemplatePage(FieldRoleRefused):
    route = "partners:linkage_import_template"

    def url(self, obj):
        return reverse("partners:linkage_import_template")


class TestLinkageExportPage(ListCase, LinkageRoute):
    """The export lists the officer's linkages only; a TKS is refused."""

    route = "partners:linkage_export"
    outsider_status = 200

    def url(self, obj):
        return reverse("partners:linkage_export") + "?format=csv"

    def test_tks_is_refused(self, client, world):
        client.force_login(world.tks_in)
        assert client.get(self.url(None)).status_code == 403


# ----------------------------------------------------------------------------- API

class TestApiLinkageList(ListCase, LinkageRoute):
    route = "GET /api/partners/linkages"
    outsider_status = 200

    def url(self, obj):
        return "/api/partners/linkages"

    def marker(self, obj):
        return f'"id": {obj.pk}' if obj else None

    def expected_count(self, world):
        return Linkage.objects.filter(group__village__code__startswith="32.01").count()

    def assert_not_leaked(self, response, obj):
        assert str(obj.pk) not in [str(i["id"]) for i in response.json()["items"]]

    def test_list_hides_outside_objects(self, client, world):
        inside, outside = self.make(world, "in"), self.make(world, "out")
        client.force_login(world.district)
        ids = [i["id"] for i in client.get(self.url(None)).json()["items"]]
        assert inside.pk in ids and outside.pk not in ids and len(ids) == self.expected_count(world)


class TestApiLinkageCreate(GroupTarget):
    route = "POST /api/partners/linkages"
    method = "post"
    ok_status = 201
    audit_action = "create_linkage"

    def url(self, obj):
        return "/api/partners/linkages"

    def data(self, obj, world):
        return {"group": obj.pk, "partner": obj.partner.pk, "purpose": "pasar"}


class TestApiLinkageDetail(LinkageRoute):
    route = "GET /api/partners/linkages/{linkage_id}"

    def url(self, obj):
        return f"/api/partners/linkages/{obj.pk}"


class TestApiLinkageMove(LinkageRoute):
    route = "POST /api/partners/linkages/{linkage_id}/moves"
    method = "post"
    audit_action = "move_linkage"

    def url(self, obj):
        return f"/api/partners/linkages/{obj.pk}/moves"

    def data(self, obj, world):
        return {"status": "disepakati"}
