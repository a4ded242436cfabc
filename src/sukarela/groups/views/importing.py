"""The group import page (upload, result with the error report) and its XLSX template."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sukarela.core.importing import errors_download, remember_errors
from sukarela.core.views import officer_required
from sukarela.core.web import download, run_service, spreadsheet
from sukarela.groups import selectors
from sukarela.groups.forms import ImportForm
from sukarela.groups.services import imports as service

REPORT_KEY = "groups:import"


@officer_required
@require_http_methods(["GET", "POST"])
def group_import(request):
    if request.method == "GET" and request.GET.get("laporan"):
        return errors_download(request, REPORT_KEY, "kesalahan-impor-kelompok.csv")
    form, result = ImportForm(request.POST or None, request.FILES or None), None
    if request.method == "POST":
        result = run_service(form, lambda: service.import_groups(request.user, form.cleaned_data["file"],
                                                                 form.cleaned_data["mode"]))
        if result is not None:
            remember_errors(request, REPORT_KEY, result)
    return render(request, "groups/import.html", {
        "form": form, "result": result, "columns": service.COLUMNS, "sectors": selectors.sectors()})


def _example(sectors, village: str) -> list[list]:
    """Two example groups (in a village of the officer's region), the second with two members. The NIKs
    are synthetic (Kab. Bogor, well-formed) placeholders: overwrite them with the members' own."""
    sector = sectors[0].name if sectors else ""
    group = ["K01", "Tani Makmur", "Pemula", sector, village, "Kp. Contoh RT 01/02", "", "", "",
             "10000000", "2026-01-15", "6000000", "4000000", "BRI", "0123456789"]
    return [
        group + ["3201010101950001", "Nama Ketua", "L", "1995-01-01", "ya", "ya"],
        ["K02", "Boga Sejahtera", "Pemula", sector, village] + [""] * 10
        + ["3201014101960001", "Nama Ketua Dua", "P", "1996-01-01", "ya", "ya"],
        ["K02"] + [""] * 14 + ["3201010202970001", "Nama Anggota", "L", "1997-02-02", "tidak", "ya"],
    ]


@officer_required
def group_import_template(request):
    headers = [c.header for c in service.COLUMNS]
    rows = _example(list(selectors.sectors()), selectors.first_village(request.user))
    return download(spreadsheet("xlsx", headers, rows, _("Kelompok TKM")), "templat-kelompok-tkm.xlsx", "xlsx")


urlpatterns = [
    path("kelompok/impor/", group_import, name="group_import"),
    path("kelompok/impor/templat.xlsx", group_import_template, name="group_import_template"),
]
