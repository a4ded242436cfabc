"""Linkage import (upload, result with the error report), its XLSX template, and the export (XLSX
or CSV) of the linkages the officer sees under the list's filters. Officers only."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sukarela.core.importing import errors_download, remember_errors
from sukarela.core.views import officer_required
from sukarela.core.web import download, run_service, spreadsheet
from sukarela.partners.linkage_forms import ImportForm, LinkageFilterForm
from sukarela.partners.models import LinkageStatus, Purpose
from sukarela.partners.selectors.linkages import LinkageFilters
from sukarela.partners.services import linkage_imports as service

REPORT_KEY = "partners:linkage_import"


@officer_required
@require_http_methods(["GET", "POST"])
def linkage_import(request):
    if request.method == "GET" and request.GET.get("laporan"):
        return errors_download(request, REPORT_KEY, "kesalahan-impor-keterkaitan.csv")
    form, result = ImportForm(request.POST or None, request.FILES or None), None
    if request.method == "POST":
        result = run_service(form, lambda: service.import_linkages(request.user, form.cleaned_data["file"],
                                                                   form.cleaned_data["mode"]))
        if result is not None:
            remember_errors(request, REPORT_KEY, result)
    return render(request, "partners/linkage_import.html", {
        "form": form, "result": result, "columns": service.COLUMNS, "purposes": Purpose.choices,
        "statuses": LinkageStatus.choices})


@officer_required
@require_GET
def linkage_import_template(request):
    today = timezone.localdate().isoformat()
    rows = [["1", "", "Nama mitra persis atau ID", "pinjaman", "terealisasi", today, today, "25000000", "",
             "tks-username", "", ""],
            ["", "1", "12", "pelatihan", "disepakati", today, today, "", "", "", "", "Kelas menjahit"]]
    headers = [c.header for c in service.COLUMNS]
    return download(spreadsheet("xlsx", headers, rows, _("Keterkaitan")), "templat-keterkaitan.xlsx", "xlsx")


@officer_required
@require_GET
def linkage_export(request):
    form = LinkageFilterForm(request.GET or None)
    filters = form.filters() if request.GET else LinkageFilters()
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    headers, rows = service.export_table(request.user, filters)
    stamp = timezone.localdate().isoformat()
    return download(spreadsheet(fmt, headers, rows, _("Keterkaitan")), f"keterkaitan-{stamp}.{fmt}", fmt)


urlpatterns = [
    path("keterkaitan/impor/", linkage_import, name="linkage_import"),
    path("keterkaitan/impor/templat.xlsx", linkage_import_template, name="linkage_import_template"),
    path("keterkaitan/ekspor/", linkage_export, name="linkage_export"),
]
