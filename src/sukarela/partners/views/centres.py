"""Training-centre (BLK) pages: the list (kind, FKN membership, region; paged), the FKN BLK
Komunitas forum by province, one centre with its programmes and supporting partners, registering
and editing a centre, adding and editing programmes, adding and removing supporters. Officers
only; a centre outside the officer's region answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import announce, form_errors_text, page, run_service
from sukarela.partners.exports import CENTRE_COLUMNS
from sukarela.partners.centre_forms import CentreFilterForm, CentreForm, ProgrammeForm, SupporterForm
from sukarela.partners.selectors import centres as selectors
from sukarela.partners.selectors import linkages as linkage_selectors
from sukarela.partners.services import centres as service


@officer_required
@require_GET
def centre_list(request):
    form = CentreFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.CentreFilters()
    centres = selectors.centre_list(request.user, filters)
    exported = export_response(request, _("BLK"), "blk", CENTRE_COLUMNS, centres)
    if exported:
        return exported
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "partners/centre_list.html", {
        "form": form, "page": page(request, centres),
        "query": query.urlencode()})


@officer_required
@require_GET
def centre_fkn(request):
    return render(request, "partners/centre_fkn.html", selectors.fkn_forum(request.user))


def _venues(user, centre=None):
    venues = list(selectors.venue_choices(user))
    if centre is not None and centre.venue is not None:
        venues.insert(0, centre.venue)
    return venues


@officer_required
@require_http_methods(["GET", "POST"])
def centre_create(request):
    form = CentreForm(request.POST or None, actor=request.user, venues=_venues(request.user),
                      initial={"region": request.user.scope_code or None})
    if request.method == "POST":
        centre = run_service(form, lambda: service.create_centre(request.user, **form.centre_data()))
        if centre is not None:
            messages.success(request, _("BLK %(c)s terdaftar.") % {"c": centre.name})
            return redirect("partners:centre_detail", pk=centre.pk)
    return render(request, "partners/centre_form.html", {"form": form, "centre": None})


@officer_required
@require_GET
def centre_detail(request, pk: int):
    context = selectors.centre_page(request.user, pk)
    if context["may_edit"]:
        context["programme_form"] = ProgrammeForm()
        context["supporter_form"] = SupporterForm(partners=context["supporter_choices"])
    context["linkages_section"] = linkage_selectors.centre_section(request.user, context["centre"])
    return render(request, "partners/centre_detail.html", context)


def _editable(request, pk: int):
    centre = selectors.centre_for(request.user, pk)
    if not selectors.may_edit(request.user, centre):
        raise PermissionDenied
    return centre


@officer_required
@require_http_methods(["GET", "POST"])
def centre_edit(request, pk: int):
    centre = _editable(request, pk)
    initial = {"name": centre.name, "kind": centre.kind, "host_institution": centre.host_institution,
               "vocational_fields": centre.vocational_fields, "region": centre.region_id,
               "fkn_member": centre.fkn_member, "fkn_joined_on": centre.fkn_joined_on, "venue": centre.venue_id}
    form = CentreForm(request.POST or None, actor=request.user, venues=_venues(request.user, centre), initial=initial)
    if request.method == "POST":
        saved = run_service(form, lambda: service.update_centre(request.user, centre, **form.centre_data()))
        if saved is not None:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("partners:centre_detail", pk=centre.pk)
    return render(request, "partners/centre_form.html", {"form": form, "centre": centre})


@officer_required
@require_POST
def programme_add(request, pk: int):
    centre = _editable(request, pk)
    form = ProgrammeForm(request.POST)
    done = run_service(form, lambda: service.add_programme(request.user, centre, **form.cleaned_data))
    if done is not None:
        messages.success(request, _("Program %(p)s ditambahkan.") % {"p": done})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("partners:centre_detail", pk=centre.pk)


@officer_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int, programme_id: int):
    centre = _editable(request, pk)
    programme = selectors.programme_for(centre, programme_id)
    form = ProgrammeForm(request.POST or None, initial={
        "name": programme.name, "year": programme.year, "participants": programme.participants})
    if request.method == "POST":
        saved = run_service(form, lambda: service.update_programme(request.user, programme, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("partners:centre_detail", pk=centre.pk)
    return render(request, "partners/centre_programme_form.html", {
        "form": form, "centre": centre, "programme": programme})


@officer_required
@require_POST
def supporter_add(request, pk: int):
    centre = _editable(request, pk)
    form = SupporterForm(request.POST, partners=selectors.supporter_choices(request.user, centre))
    done = run_service(form, lambda: service.add_supporter(request.user, centre, form.cleaned_data["partner"]))
    if done is not None:
        messages.success(request, _("%(p)s ditambahkan sebagai mitra pendukung.") % {"p": done.name})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("partners:centre_detail", pk=centre.pk)


@officer_required
@require_POST
def supporter_remove(request, pk: int, partner_id: int):
    centre = _editable(request, pk)
    partner = selectors.supporter_for(request.user, centre, partner_id)
    announce(request, lambda: service.remove_supporter(request.user, centre, partner),
             _("%(p)s tidak lagi tercatat sebagai mitra pendukung.") % {"p": partner.name})
    return redirect("partners:centre_detail", pk=centre.pk)


urlpatterns = [
    path("blk/", centre_list, name="centre_list"),
    path("blk/fkn/", centre_fkn, name="centre_fkn"),
    path("blk/baru/", centre_create, name="centre_create"),
    path("blk/<int:pk>/", centre_detail, name="centre_detail"),
    path("blk/<int:pk>/ubah/", centre_edit, name="centre_edit"),
    path("blk/<int:pk>/program/", programme_add, name="centre_programme_add"),
    path("blk/<int:pk>/program/<int:programme_id>/", programme_edit, name="centre_programme_edit"),
    path("blk/<int:pk>/mitra/", supporter_add, name="centre_supporter_add"),
    path("blk/<int:pk>/mitra/<int:partner_id>/hapus/", supporter_remove, name="centre_supporter_remove"),
]
