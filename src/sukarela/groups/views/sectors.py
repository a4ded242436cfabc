"""Sector pages: every officer sees the list (the codes the import accepts); a national officer
adds a sector."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sukarela.core.permissions import require_national
from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import run_service
from sukarela.groups import exports, selectors
from sukarela.groups.forms import SectorForm
from sukarela.groups.services import sectors as service


@officer_required
def sector_list(request):
    # Sectors are programme-wide reference data; no group counts here, they would cross regions.
    sectors = selectors.sectors()
    exported = export_response(request, _("Sektor usaha"), "sektor", exports.SECTOR_COLUMNS, sectors)
    return exported or render(request, "groups/sector_list.html", {"sectors": sectors})


@officer_required
@require_http_methods(["GET", "POST"])
def sector_create(request):
    require_national(request.user)
    form = SectorForm(request.POST or None)
    if request.method == "POST":
        sector = run_service(form, lambda: service.create_sector(request.user, **form.cleaned_data))
        if sector is not None:
            messages.success(request, _("Sektor %(s)s ditambahkan.") % {"s": sector.name})
            return redirect("groups:sector_list")
    return render(request, "groups/sector_form.html", {"form": form})


urlpatterns = [
    path("kelompok/sektor/", sector_list, name="sector_list"),
    path("kelompok/sektor/baru/", sector_create, name="sector_create"),
]
