"""Training pages: venues (BLK and other rooms), kept by the officers of their region."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import page, run_service
from sukarela.training import exports, selectors
from sukarela.training.forms import VenueForm
from sukarela.training.services import venues as service


@officer_required
def venue_list(request):
    venues = selectors.venues_for(request.user).order_by("region_id", "name")
    exported = export_response(request, _("Tempat pelatihan"), "tempat-pelatihan", exports.VENUE_COLUMNS, venues)
    if exported:
        return exported
    return render(request, "training/venue_list.html", {"page": page(request, venues)})


@officer_required
@require_http_methods(["GET", "POST"])
def venue_create(request):
    # The picker starts at the officer's own region, so an outside one cannot be chosen.
    root = request.user.scope_code or ""
    form = VenueForm(request.POST or None, root=root, initial={"region": root, "kind": "blk_uptp"})
    if request.method == "POST":
        if run_service(form, lambda: service.create_venue(request.user, **form.cleaned_data)):
            messages.success(request, _("Tempat pelatihan disimpan."))
            return redirect("training:venue_list")
    return render(request, "training/venue_form.html", {"form": form, "venue": None})


@officer_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk: int):
    venue = selectors.venue_for(request.user, pk)
    initial = {f: getattr(venue, f) for f in service.VENUE_FIELDS if f != "region"}
    initial["region"] = venue.region_id
    form = VenueForm(request.POST or None, root=request.user.scope_code or "", initial=initial)
    if request.method == "POST":
        if run_service(form, lambda: service.update_venue(request.user, venue, **form.cleaned_data)):
            messages.success(request, _("Perubahan disimpan."))
            return redirect("training:venue_list")
    return render(request, "training/venue_form.html", {"form": form, "venue": venue})


urlpatterns = [
    path("pelatihan/tempat/", venue_list, name="venue_list"),
    path("pelatihan/tempat/baru/", venue_create, name="venue_create"),
    path("pelatihan/tempat/<int:pk>/ubah/", venue_edit, name="venue_edit"),
]
