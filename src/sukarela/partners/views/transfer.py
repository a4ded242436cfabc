"""Partner import (upload, result with the error report), its XLSX template, and the XLSX export
of the partners the officer sees (contacts masked unless the officer asks for them in full, audited,
and may edit that partner: partners.selectors.transfer)."""

from django.conf import settings
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sukarela.core.exporting import query_of, record_personal_export, too_many
from sukarela.core.importing import errors_download, remember_errors
from sukarela.core.pii import show_personal
from sukarela.core.views import officer_required
from sukarela.core.web import download, run_service, spreadsheet
from sukarela.partners.forms import FilterForm, ImportForm
from sukarela.partners.models import Offer, PartnerType
from sukarela.partners.selectors import listing
from sukarela.partners.selectors.transfer import export_table
from sukarela.partners.services import imports as service

REPORT_KEY = "partners:import"


@officer_required
@require_http_methods(["GET", "POST"])
def partner_import(request):
    if request.method == "GET" and request.GET.get("laporan"):
        return errors_download(request, REPORT_KEY, "kesalahan-impor-mitra.csv")
    form, result = ImportForm(request.POST or None, request.FILES or None), None
    if request.method == "POST":
        result = run_service(form, lambda: service.import_partners(request.user, form.cleaned_data["file"],
                                                                   form.cleaned_data["mode"]))
        if result is not None:
            remember_errors(request, REPORT_KEY, result)
    return render(request, "partners/partner_import.html", {
        "form": form, "result": result, "columns": service.COLUMNS, "kinds": PartnerType.objects.all(),
        "offers": Offer.objects.all()})


def _example(user) -> list[list]:
    """Two example rows in the officer's own region (a national officer: one national partner)."""
    home = user.scope_code or ""
    district = home if home.count(".") == 1 else "32.01"
    first = ["Bank Contoh Sejahtera", "bank", "nasional" if not home else "kabupaten", "" if not home else district,
             district, "kredit; pelatihan", "Jl. Contoh No. 1", "https://www.contoh.co.id", "", "ya", "tidak",
             "Nama Kontak", "Kepala Cabang", "0812 3456 7890", "kontak@contoh.co.id"]
    second = ["Yayasan Contoh Mandiri", "pemberdayaan", "kabupaten", district, "", "pelatihan", "", "", "", "ya",
              "tidak", "", "", "", ""]
    return [first, second] if home.count(".") == 1 or not home else [first]


@officer_required
def partner_import_template(request):
    headers = [c.header for c in service.COLUMNS]
    return download(spreadsheet("xlsx", headers, _example(request.user), _("Mitra")), "templat-mitra.xlsx", "xlsx")


@officer_required
def partner_export(request):
    form = FilterForm(request.GET or None)
    filters = form.filters() if request.GET else listing.Filters()
    personal = show_personal(request)
    headers, rows = export_table(request.user, filters, timezone.localdate(), personal=personal)
    if len(rows) > settings.SUKARELA_EXPORT_MAX_ROWS:
        return too_many(request, len(rows), back=reverse("partners:partner_list") + query_of(request))
    content = spreadsheet("xlsx", headers, rows, _("Mitra"))
    if personal:
        record_personal_export(request, _("Mitra"), len(rows), "xlsx")
    stamp = timezone.localdate().isoformat()
    return download(content, f"mitra-{stamp}.xlsx", "xlsx")


urlpatterns = [
    path("mitra/impor/", partner_import, name="partner_import"),
    path("mitra/impor/templat.xlsx", partner_import_template, name="partner_import_template"),
    path("mitra/ekspor.xlsx", partner_export, name="partner_export"),
]
