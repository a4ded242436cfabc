"""Every monthly-report page and API operation through the scope harness.

Inside: a report of Kab. Bogor (32.01), seen by Bogor's district officer. Outside: one of Kab.
Sukabumi (32.02), which Bogor's officer cannot list, open, download or request (404). Field roles
get 403. Builds are not started here (start_in_background is a no-op): building is tested in
test_reports_build.py."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from sukarela.monitoring.models import Report
from sukarela.monitoring.services import reports as service
from tests.monitoring.reports_fixtures import last_month, make_report, tmp_media
from tests.scope_harness import ListCase, RouteCase


@pytest.fixture
def media(settings, tmp_path):
    return tmp_media(settings, tmp_path)


@pytest.fixture(autouse=True)
def _no_background_builds(monkeypatch, media):
    started = []
    monkeypatch.setattr(service, "start_in_background", started.append)
    return started


class ReportRoute(RouteCase):
    def make(self, world, where):
        return make_report("32.01" if where == "in" else "32.02")

    def marker(self, obj):
        """The report's row in a page, its object in the API (a 404 page may repeat the path, so not that)."""
        return f'"id": {obj.pk},' if self.is_api else f'id="report-{obj.pk}"'


class FieldRoleRefused(ReportRoute):
    outsider = "tks_in"
    outsider_status = 403


class RequestRoute(RouteCase):
    """A request names a region: Bogor's for the insider, Sukabumi's for the outsider."""

    def make(self, world, where):
        return SimpleNamespace(code="32.01" if where == "in" else "32.02")

    def data(self, obj, world):
        return {"region": obj.code, "month": f"{last_month():%Y-%m}", "format": "pdf"}

    def test_outsider_is_refused(self, client, world):
        super().test_outsider_is_refused(client, world)
        assert not Report.objects.exists()


# ----------------------------------------------------------------------------- pages

class TestReportListPage(ListCase, ReportRoute):
    route = "monitoring:report_list"
    outsider_status = 200

    def url(self, obj):
        return reverse("monitoring:report_list")


class TestReportListRefusesFieldRoles(FieldRoleRefused):
    route = "monitoring:report_list"

    def url(self, obj):
        return reverse("monitoring:report_list")


class TestReportRequestPage(RequestRoute):
    route = "monitoring:report_list"
    method = "post"
    ok_status = 302
    audit_action = "report_request"

    def url(self, obj):
        return reverse("monitoring:report_list")


class TestReportRequestRefusesFieldRoles(RequestRoute):
    route = "monitoring:report_list"
    method = "post"
    ok_status = 302
    audit_action = "report_request"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return reverse("monitoring:report_list")


class TestReportDetailPage(ReportRoute):
    route = "monitoring:report_detail"

    def url(self, obj):
        return reverse("monitoring:report_detail", args=[obj.pk])


class TestReportDetailRefusesFieldRoles(FieldRoleRefused):
    route = "monitoring:report_detail"

    def url(self, obj):
        return reverse("monitoring:report_detail", args=[obj.pk])


class TestReportDownload(ReportRoute):
    route = "monitoring:report_download"

    def url(self, obj):
        return reverse("monitoring:report_download", args=[obj.pk])


class TestReportDownloadRefusesFieldRoles(FieldRoleRefused):
    route = "monitoring:report_download"

    def url(self, obj):
        return reverse("monitoring:report_download", args=[obj.pk])


# ----------------------------------------------------------------------------- API

class TestReportListApi(ListCase, ReportRoute):
    route = "GET /api/monitoring/reports"
    outsider_status = 200

    def url(self, obj):
        return "/api/monitoring/reports"

    def expected_count(self, world):
        return 1


class TestReportListApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/reports"

    def url(self, obj):
        return "/api/monitoring/reports"


class TestReportRequestApi(RequestRoute):
    route = "POST /api/monitoring/reports"
    method = "post"
    ok_status = 202
    audit_action = "report_request"

    def url(self, obj):
        return "/api/monitoring/reports"


class TestReportRequestApiRefusesFieldRoles(RequestRoute):
    route = "POST /api/monitoring/reports"
    method = "post"
    ok_status = 202
    audit_action = "report_request"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return "/api/monitoring/reports"


class TestReportApi(ReportRoute):
    route = "GET /api/monitoring/reports/{report_id}"

    def url(self, obj):
        return f"/api/monitoring/reports/{obj.pk}"


class TestReportApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/reports/{report_id}"

    def url(self, obj):
        return f"/api/monitoring/reports/{obj.pk}"


class TestReportFileApi(ReportRoute):
    route = "GET /api/monitoring/reports/{report_id}/file"

    def url(self, obj):
        return f"/api/monitoring/reports/{obj.pk}/file"


class TestReportFileApiRefusesFieldRoles(FieldRoleRefused):
    route = "GET /api/monitoring/reports/{report_id}/file"

    def url(self, obj):
        return f"/api/monitoring/reports/{obj.pk}/file"


# ----------------------------------------------------------------------------- the other way round

def test_district_other_cannot_request_list_see_or_download_bogor(client, world):
    """Sukabumi's officer and Bogor's report (32.01): 404 or absent everywhere, whatever the path."""
    bogor = make_report("32.01")
    client.force_login(world.district_other)
    body = {"region": "32.01", "month": f"{last_month():%Y-%m}", "format": "xlsx"}
    assert client.post(reverse("monitoring:report_list"), body).status_code == 404
    assert client.post("/api/monitoring/reports", body, content_type="application/json").status_code == 404
    assert Report.objects.count() == 1
    assert f'id="report-{bogor.pk}"' not in client.get(reverse("monitoring:report_list")).content.decode()
    assert client.get("/api/monitoring/reports").json()["count"] == 0
    for url in (reverse("monitoring:report_detail", args=[bogor.pk]),
                reverse("monitoring:report_download", args=[bogor.pk]),
                f"/api/monitoring/reports/{bogor.pk}", f"/api/monitoring/reports/{bogor.pk}/file"):
        assert client.get(url).status_code == 404, url
    # A province above: Jawa Barat (32) and the nation are out of a district officer's reach too.
    for region in ("32", ""):
        assert client.post("/api/monitoring/reports", body | {"region": region},
                           content_type="application/json").status_code == 404


def test_provincial_officer_sees_the_regency_and_not_the_other_province(client, world):
    bogor, national = make_report("32.01"), make_report("")
    client.force_login(world.provincial)
    listed = {r["id"] for r in client.get("/api/monitoring/reports").json()["items"]}
    assert listed == {bogor.pk}
    assert client.get(f"/api/monitoring/reports/{national.pk}").status_code == 404
    client.force_login(world.provincial_other)
    assert client.get(f"/api/monitoring/reports/{bogor.pk}/file").status_code == 404
    client.force_login(world.national)
    listed = {r["id"] for r in client.get("/api/monitoring/reports").json()["items"]}
    assert listed == {bogor.pk, national.pk}
