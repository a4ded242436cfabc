"""The network page, its downloads and its API operations through the scope harness.

Inside: a group of Kab. Bogor (32.01) linked to nothing and one linked to a partner, seen by Bogor's
district officer. Outside: the same in Kab. Sukabumi (32.02). The network has no object of its own,
so an officer outside the region gets 200 without the other region's rows (never its names), and a
field role is refused (a TKS: 403)."""

import io
import itertools

from django.urls import reverse
from openpyxl import load_workbook

from sukarela.partners.models import LinkageStatus, Purpose
from tests.partners.conftest import partner
from tests.partners.test_network_figures import link, make_group
from tests.scope_harness import ListCase, RouteCase

_n = itertools.count(1)


def make_pair(world, where):
    """A group with no linkage, and a group linked to a partner of its own district."""
    n = next(_n)
    inside = where == "in"
    village = world.village_in if inside else world.village_out
    side = "Dalam" if inside else "Luar"
    lonely = make_group(f"Kelompok Sepi {side} {n}", village)
    linked = make_group(f"Kelompok Tertaut {side} {n}", village)
    lonely.linked = linked
    lonely.partner = partner(world, name=f"Mitra Jejaring {side} {n}", region="32.01" if inside else "32.02",
                             created_by=world.district if inside else world.district_other)
    link(linked, lonely.partner, Purpose.LOAN, LinkageStatus.REALISED, amount=1_000_000, broker=None)
    return lonely


class NetworkRoute(RouteCase):
    outsider_status = 200

    def make(self, world, where):
        return make_pair(world, where)

    def marker(self, obj):
        return obj.name


class FieldRoleRefused(RouteCase):
    outsider = "tks_in"
    outsider_status = 403

    def make(self, world, where):
        return make_pair(world, where)


# ----------------------------------------------------------------------------- pages

class TestNetworkPage(ListCase, NetworkRoute):
    route = "partners:network"

    def url(self, obj):
        return reverse("partners:network")


class TestNetworkPageRefusesFieldRoles(FieldRoleRefused):
    route = "partners:network"

    def url(self, obj):
        return reverse("partners:network")


class TestNetworkExport(FieldRoleRefused):
    route = "partners:network_export"

    def url(self, obj):
        return reverse("partners:network_export", args=["tanpa-keterkaitan"])


class TestNetworkExportOutsider(NetworkRoute):
    """An officer of another district downloads their own rows only (XLSX: compare the text inside)."""

    route = "partners:network_export"

    def url(self, obj):
        return reverse("partners:network_export", args=["tanpa-keterkaitan"])

    def assert_not_leaked(self, response, obj):
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
        assert obj.name not in cells


# ----------------------------------------------------------------------------- API

class TestNetworkGraphApi(NetworkRoute):
    route = "GET /api/partners/network/graph"

    def url(self, obj):
        return "/api/partners/network/graph"

    def marker(self, obj):
        return obj.linked.name

    def test_insider_sees_the_inside_nodes(self, client, world):
        inside, outside = self.make(world, "in"), self.make(world, "out")
        client.force_login(world.district)
        body = client.get(self.url(None)).content.decode()
        assert inside.linked.name in body and inside.partner.name in body
        assert outside.linked.name not in body and outside.partner.name not in body
        body = client.get(self.url(None), {"region": "32.02"}).content.decode()
        assert outside.linked.name not in body and outside.partner.name not in body


class TestNetworkGraphApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/partners/network/graph"

    def url(self, obj):
        return "/api/partners/network/graph"


class TestNetworkFiguresApi(FieldRoleRefused):
    route = "GET /api/partners/network/figures"

    def url(self, obj):
        return "/api/partners/network/figures"


class TestNetworkFiguresApiOutsider(NetworkRoute):
    route = "GET /api/partners/network/figures"

    def url(self, obj):
        return "/api/partners/network/figures"

    def marker(self, obj):
        return obj.partner.name


class TestNetworkUnlinkedApi(ListCase, NetworkRoute):
    route = "GET /api/partners/network/unlinked-groups"

    def url(self, obj):
        return "/api/partners/network/unlinked-groups"

    def expected_count(self, world):
        return 1


class TestNetworkUnlinkedApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/partners/network/unlinked-groups"

    def url(self, obj):
        return "/api/partners/network/unlinked-groups"
