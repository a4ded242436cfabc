"""The monitoring map page and its API operation through the scope harness: Kab. Bogor's map for
its officer, 404 for Kab. Sukabumi's (also through `region`), 403 for field roles."""

from django.urls import reverse

from tests.monitoring.test_dashboards_scope import BogorRoute, FieldRoleRefused


class TestMapPage(BogorRoute):
    route = "monitoring:map"

    def url(self, code):
        return reverse("monitoring:map") + f"?region={code}"

    def marker(self, code):
        return "Kabupaten Bogor"


class TestMapPageOwnRegion(BogorRoute):
    """Without `region` the map opens at the officer's own region."""
    route = "monitoring:map"
    insider = "district"
    outsider = "provincial_other"
    outsider_status = 200

    def url(self, code):
        return reverse("monitoring:map")

    def marker(self, code):
        return "Kabupaten Bogor"


class TestMapPageRefusesFieldRoles(FieldRoleRefused):
    route = "monitoring:map"

    def url(self, code):
        return reverse("monitoring:map")


class TestMapApi(BogorRoute):
    route = "GET /api/monitoring/map"

    def url(self, code):
        return f"/api/monitoring/map?region={code}&indicator=visits"


class TestMapApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/map"

    def url(self, code):
        return "/api/monitoring/map"
