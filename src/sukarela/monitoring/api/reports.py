"""Monthly reports over HTTP: the reports in the caller's scope, request one (built in the
background: poll its status), one report, its file. Officers only (403 otherwise); a report or a
region outside the caller's scope answers 404; bad input is 422 naming the field."""

import datetime as dt

from django.urls import reverse
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Text
from sukarela.monitoring.api import router
from sukarela.monitoring.models import ReportState
from sukarela.monitoring.selectors import reports as selectors
from sukarela.monitoring.services import reports as service
from sukarela.monitoring.views.reports import file_response


class ReportOut(Schema):
    id: int
    region: str = Field(..., description='region code; "" for the national report')
    region_name: str
    month: str = Field(..., description="YYYY-MM")
    format: str
    state: str = Field(..., description="queued, running, done or failed")
    progress: int = Field(..., description="percent")
    error: str
    scheduled: bool
    requested_at: dt.datetime
    built_at: dt.datetime | None
    size: int
    file: str | None = Field(..., description="download address once done")

    @staticmethod
    def resolve_region(report):
        return report.region_id or ""

    @staticmethod
    def resolve_region_name(report):
        return report.region.name if report.region_id else "Indonesia"

    @staticmethod
    def resolve_month(report):
        return f"{report.month:%Y-%m}"

    @staticmethod
    def resolve_format(report):
        return report.fmt

    @staticmethod
    def resolve_file(report):
        if report.state != ReportState.DONE or not report.path:
            return None
        return reverse("api:monitoring_report_file", args=[report.pk])


class ReportIn(Schema):
    region: Text = Field("", max_length=13, description='"" the nation, a province ("32") or a regency ("32.01")')
    month: Text = Field(..., max_length=7, description="YYYY-MM, not after the current month")
    format: Text = Field(..., max_length=4, description="pdf or xlsx")


@router.get("/monitoring/reports", response=list[ReportOut], tags=["monitoring"],
            summary="Monthly reports in the caller's region, most recently requested first")
@paginate(Pages)
def list_reports(request):
    user = api_officer(request)
    return selectors.report_list(user)


@router.post("/monitoring/reports", response={202: ReportOut}, tags=["monitoring"],
             summary="Request a region's monthly report (PDF or XLSX); it is built in the background")
def request_report(request, payload: ReportIn):
    user = api_officer(request)
    report = service.request_report(user, payload.region, payload.month, payload.format)
    if report.state == ReportState.QUEUED:
        service.start_in_background(report)
    return Status(202, selectors.report_for(user, report.pk))


@router.get("/monitoring/reports/{int:report_id}", response=ReportOut, tags=["monitoring"],
            summary="One report: its state, progress, error and file address")
def get_report(request, report_id: int):
    user = api_officer(request)
    return service.end_if_stale(selectors.report_for(user, report_id))


@router.get("/monitoring/reports/{int:report_id}/file", tags=["monitoring"], url_name="monitoring_report_file",
            summary="The report's PDF or XLSX file; 404 until it is built")
def report_file(request, report_id: int):
    return file_response(selectors.done_report_for(api_officer(request), report_id))
