"""Monthly report pages: the reports in the officer's scope with the request form, one report's
status (polled by htmx while it is being built) and its download. Officers only (field roles 403);
a report or region outside the officer's scope answers 404."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sukarela.core.views import officer_required
from sukarela.core.web import CONTENT_TYPES, page, run_service
from sukarela.monitoring.models import ReportState
from sukarela.monitoring.reports.forms import ReportRequestForm
from sukarela.monitoring.selectors import reports as selectors
from sukarela.monitoring.services import reports as service


@officer_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST":
        report = run_service(form, lambda: service.request_report(
            request.user, form.cleaned_data["region"], form.cleaned_data["month"], form.cleaned_data["format"]))
        if report is not None:
            if report.state == ReportState.QUEUED:
                service.start_in_background(report)
            return redirect("monitoring:report_detail", pk=report.pk)
    reports = page(request, selectors.report_list(request.user))
    for report in reports:  # (the page holds its rows as a list once read)
        report.partial = service.is_partial(report)
    return render(request, "monitoring/report_list.html", {"form": form, "page": reports})


@officer_required
@require_GET
@never_cache
def report_detail(request, pk: int):
    report = service.end_if_stale(selectors.report_for(request.user, pk))
    context = {"report": report, "finished": report.state in (ReportState.DONE, ReportState.FAILED)}
    if request.htmx:
        return render(request, "monitoring/_report_progress.html", context)
    return render(request, "monitoring/report_detail.html", context)


def file_response(report) -> FileResponse:
    """The built file as a download (shared with the API); 404 when it has gone from the disk."""
    file = Path(settings.MEDIA_ROOT, report.path)
    if not file.is_file():
        raise Http404("File missing")
    return FileResponse(file.open("rb"), as_attachment=True, filename=service.file_name(report),
                        content_type=CONTENT_TYPES[report.fmt])


@officer_required
@require_GET
def report_download(request, pk: int):
    return file_response(selectors.done_report_for(request.user, pk))


urlpatterns = [
    path("pantau/laporan/", report_list, name="report_list"),
    path("pantau/laporan/<int:pk>/", report_detail, name="report_detail"),
    path("pantau/laporan/<int:pk>/unduh/", report_download, name="report_download"),
]
