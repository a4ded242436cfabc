"""Bulk import pages: upload, a progress bar that polls, the error report, templates."""

import polars as pl
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sukarela.core.views import officer_required
from sukarela.engines.tabular import unguarded
from sukarela.recruitment import selectors
from sukarela.recruitment.columns import EXAMPLE, SCORE_COLUMNS, applicant_columns
from sukarela.recruitment.forms import ImportForm
from sukarela.recruitment.services import imports as service
from sukarela.recruitment.services.imports import REPORT_HEADERS
from sukarela.recruitment.views.common import download, run_service, spreadsheet

XLSX_ROW_LIMIT = 1_048_575


@officer_required
@require_http_methods(["GET", "POST"])
def import_new(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("jenis")})
    if request.method == "POST":
        job = run_service(form, lambda: service.start(request.user, campaign, form.cleaned_data["kind"],
                                                      form.cleaned_data["mode"], form.cleaned_data["file"]))
        if job is not None:
            service.start_in_background(job)
            return redirect("recruitment:import_detail", pk=job.pk)
    return render(request, "recruitment/import_form.html", {
        "form": form, "campaign": campaign, "imports": selectors.imports_for(request.user, campaign)[:20]})


@officer_required
@never_cache
def import_detail(request, pk: int):
    job = service.end_if_stale(selectors.import_for(request.user, pk))
    progress = service.progress_of(job)
    total = progress.get("total") or 0
    pct = 100 if job.finished else (int(progress.get("done", 0) * 100 / total) if total else 0)
    context = {"job": job, "campaign": job.campaign, "progress": progress, "pct": pct}
    if request.htmx:
        return render(request, "recruitment/_import_progress.html", context)
    return render(request, "recruitment/import_detail.html", context)


@officer_required
def import_report(request, pk: int, fmt: str):
    job = selectors.import_for(request.user, pk)
    if fmt not in ("csv", "xlsx") or not job.report:
        raise Http404
    with job.report.open("rb") as f:
        data = f.read()
    if fmt == "csv":
        return download(data, f"laporan-impor-{job.pk}.csv", "csv")
    frame = pl.read_csv(data, infer_schema=False, encoding="utf8-lossy")
    rows = (tuple(unguarded(c) for c in row) for row in frame.head(XLSX_ROW_LIMIT).iter_rows())
    if frame.height > XLSX_ROW_LIMIT:
        messages.warning(request, _("Laporan terlalu panjang untuk XLSX; unduh versi CSV untuk semua baris."))
    return download(spreadsheet("xlsx", REPORT_HEADERS, rows, "Kesalahan"), f"laporan-impor-{job.pk}.xlsx", "xlsx")


@officer_required
def import_template(request, pk: int, fmt: str):
    campaign = selectors.campaign_for(request.user, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if request.GET.get("jenis") == "scores":
        columns, example, name = SCORE_COLUMNS, {"nik": EXAMPLE["nik"], "test_score": "80",
                                                 "interview_score": "75,5"}, "templat-nilai"
    else:
        columns, example, name = applicant_columns(campaign), EXAMPLE, "templat-lamaran"
    headers = [c.header for c in columns]
    row = [example.get(c.key, "Ya") for c in columns]
    return download(spreadsheet(fmt, headers, [row], "Lamaran"), f"{name}.{fmt}", fmt)


