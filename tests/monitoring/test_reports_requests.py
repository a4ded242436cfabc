"""Requesting a report: bad input names its field (service, page and API), the page and the API
start the build and show its progress, the file downloads, a build cut short ends as failed."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sukarela.core.models import AuditEvent
from sukarela.engines.indicators import add_months
from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.services import reports as service
from tests.monitoring.reports_fixtures import last_month, make_report, tmp_media


@pytest.fixture
def media(settings, tmp_path):
    return tmp_media(settings, tmp_path)


@pytest.fixture
def inline(monkeypatch, media):
    """Builds run in the request, as recruitment's import tests do: no thread in a test."""
    monkeypatch.setattr(service, "start_in_background", service.build)


def next_month() -> str:
    return f"{add_months(timezone.localdate().replace(day=1), 1):%Y-%m}"


@pytest.mark.parametrize("region, month, fmt, field", [
    ("32.01", "2026-13", "pdf", "month"),
    ("32.01", "oktober", "pdf", "month"),
    ("32.01", "1999-12", "pdf", "month"),
    ("32.01", None, "pdf", "month"),
    ("32.01", "NEXT", "pdf", "month"),
    ("32.01", "LAST", "docx", "format"),
    ("3201", "LAST", "pdf", "region"),
    ("32.01.01", "LAST", "pdf", "region"),
])
def test_bad_input_names_the_field(world, region, month, fmt, field):
    month = {"NEXT": next_month(), "LAST": f"{last_month():%Y-%m}"}.get(month, month)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        service.request_report(world.district, region, month, fmt)
    assert list(caught.value.message_dict) == [field]
    assert not Report.objects.exists() and AuditEvent.objects.count() == before


def test_this_month_may_be_asked_and_a_date_works_too(world):
    report = service.request_report(world.district, "32.01", timezone.localdate(), "xlsx")
    assert report.month == timezone.localdate().replace(day=1) and report.state == ReportState.QUEUED
    event = AuditEvent.objects.latest("id")
    assert event.action == "report_request" and event.changes["region"] == [None, "32.01"]


def test_field_roles_may_not_request(world):
    with pytest.raises(PermissionDenied):
        service.request_report(world.tks_in, "32.01", f"{last_month():%Y-%m}", "pdf")


def test_a_second_request_while_one_runs_starts_nothing(world):
    first = service.request_report(world.district, "32.01", f"{last_month():%Y-%m}", "pdf")
    Report.objects.filter(pk=first.pk).update(state=ReportState.RUNNING)
    before = AuditEvent.objects.count()
    again = service.request_report(world.national, "32.01", f"{last_month():%Y-%m}", "pdf")
    assert again.pk == first.pk and again.state == ReportState.RUNNING
    assert AuditEvent.objects.count() == before


def test_api_answers_422_with_the_field(client, world):
    client.force_login(world.district)
    response = client.post("/api/monitoring/reports", json.dumps({"region": "32.01", "month": next_month(),
                                                                  "format": "pdf"}), content_type="application/json")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "month"]]
    response = client.post("/api/monitoring/reports", json.dumps({"region": "32.01", "month": "2026-10"}),
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "format"]


def test_page_form_shows_the_error_on_the_field(client, world):
    client.force_login(world.district)
    response = client.post(reverse("monitoring:report_list"), {"region": "32.01", "month": next_month(),
                                                               "format": "pdf"})
    assert response.status_code == 200
    assert "tidak boleh setelah bulan ini" in response.context["form"].errors["month"][0]


def test_page_flow_request_progress_and_download(client, world, inline):
    client.force_login(world.district)
    page = client.get(reverse("monitoring:report_list")).content.decode()
    assert 'value="32.01"' in page and 'value="32.02"' not in page  # the form offers the officer's region
    response = client.post(reverse("monitoring:report_list"), {"region": "32.01", "month": f"{last_month():%Y-%m}",
                                                               "format": "pdf"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:report_detail",
                                                                           args=[report.pk])
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'data-state="done"' in partial and "hx-trigger" not in partial  # finished: no more polling
    download = client.get(reverse("monitoring:report_download", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert f"laporan-tks-32.01-{last_month():%Y-%m}.pdf" in download["Content-Disposition"]
    listed = client.get(reverse("monitoring:report_list")).content.decode()
    assert f'id="report-{report.pk}"' in listed and reverse("monitoring:report_download", args=[report.pk]) in listed


def test_api_flow_request_status_and_file(client, world, inline):
    client.force_login(world.provincial)
    response = client.post("/api/monitoring/reports", json.dumps(
        {"region": "32", "month": f"{last_month():%Y-%m}", "format": "xlsx"}), content_type="application/json")
    assert response.status_code == 202
    body = response.json()
    assert body["region"] == "32" and body["format"] == "xlsx" and body["state"] == "done"
    assert body["file"] == f"/api/monitoring/reports/{body['id']}/file"
    file = client.get(body["file"])
    assert file.status_code == 200 and b"".join(file.streaming_content)[:2] == b"PK"


def test_a_report_being_built_polls_and_cannot_be_downloaded(client, world, media):
    report = make_report("32.01", state=ReportState.RUNNING)
    Report.objects.filter(pk=report.pk).update(progress=40)
    client.force_login(world.district)
    partial = client.get(reverse("monitoring:report_detail", args=[report.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode() and 'value="40"' in partial.content.decode()
    assert client.get(reverse("monitoring:report_download", args=[report.pk])).status_code == 404
    assert client.get(f"/api/monitoring/reports/{report.pk}").json()["file"] is None


def test_a_build_cut_short_ends_as_failed(client, world, media):
    report = make_report("32.01")  # built once; then a rebuild started two hours ago and never ended
    Report.objects.filter(pk=report.pk).update(state=ReportState.RUNNING,
                                               requested_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(world.district)
    body = client.get(f"/api/monitoring/reports/{report.pk}").json()
    assert body["state"] == "failed" and "terhenti" in body["error"] and body["file"] is None
    assert not Path(settings.MEDIA_ROOT, report.path).exists()  # no file without a "done" row
    # Asking again starts it anew.
    again = service.request_report(world.district, "32.01", report.month, "pdf")
    assert again.pk == report.pk and again.state == ReportState.QUEUED
