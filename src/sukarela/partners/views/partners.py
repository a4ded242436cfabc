"""Partner pages: the list with filters and badges, registering a partner, its page (contacts,
offers, agreements, regions served, and the linkages section P2 provides), editing it, and adding
or removing contacts. Agreements are in agreements.py, import and export in transfer.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.views import officer_required
from sukarela.core.web import announce, form_errors_text, page, run_service
from sukarela.partners.forms import ContactForm, FilterForm, PartnerForm
from sukarela.partners.models import Contact
from sukarela.partners.selectors import editable, partner_for
from sukarela.partners.selectors import listing
from sukarela.partners.services import contacts as contact_service
from sukarela.partners.services import partners as service


@officer_required
def partner_list(request):
    form = FilterForm(request.GET or None)
    filters = form.filters() if request.GET else listing.Filters()
    partners = listing.partner_list(request.user, filters, timezone.localdate())
    return render(request, "partners/partner_list.html", {"page": page(request, partners), "form": form,
                                                          "query": request.GET.urlencode()})


@officer_required
@require_http_methods(["GET", "POST"])
def partner_create(request):
    root = request.user.scope_code or ""
    form = PartnerForm(request.POST or None, actor=request.user,
                       initial={"region": root or None, "active": True,
                                "reach": "kabupaten" if request.user.role == "district" else None})
    if request.method == "POST":
        partner = run_service(form, lambda: service.create_partner(
            request.user, allow_duplicate=form.cleaned_data["allow_duplicate"], **form.partner_data()))
        if partner is not None:
            messages.success(request, _("Mitra %(p)s terdaftar.") % {"p": partner.name})
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


def _linkages_section(user, partner):
    """The linkages section of the partner page comes from the linkages module (P2's
    selectors/linkages.py: `partner_section(user, partner)` → the context of
    partners/_partner_linkages.html, or None); the page is whole without it."""
    try:
        from sukarela.partners.selectors.linkages import partner_section
    except ImportError:
        return None
    return partner_section(user, partner)


@officer_required
def partner_detail(request, pk: int):
    context = listing.partner_page(request.user, pk, timezone.localdate())
    context["contact_form"] = ContactForm() if context["may_edit"] else None
    context["linkages_section"] = _linkages_section(request.user, context["partner"])
    return render(request, "partners/partner_detail.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk: int):
    partner = partner_for(request.user, pk)
    if not editable(request.user, partner):
        raise PermissionDenied
    initial = {"name": partner.name, "kind": partner.kind_id, "reach": partner.reach, "region": partner.region_id,
               "regions_served": ", ".join(partner.regions_served.order_by("code").values_list("code", flat=True)),
               "offers": list(partner.offers.values_list("code", flat=True)), "address": partner.address,
               "website": partner.website, "notes": partner.notes, "active": partner.active}
    form = PartnerForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST":
        saved = run_service(form, lambda: service.update_partner(
            request.user, partner, allow_duplicate=form.cleaned_data["allow_duplicate"], **form.partner_data()))
        if saved is not None:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@officer_required
@require_POST
def contact_add(request, pk: int):
    partner = partner_for(request.user, pk)
    if not editable(request.user, partner):
        raise PermissionDenied
    form = ContactForm(request.POST)
    contact = run_service(form, lambda: contact_service.add_contact(request.user, partner, **form.cleaned_data))
    if contact is not None:
        messages.success(request, _("Kontak %(n)s ditambahkan.") % {"n": contact.full_name})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("partners:partner_detail", pk=partner.pk)


@officer_required
@require_POST
def contact_remove(request, pk: int, contact_id: int):
    partner = partner_for(request.user, pk)
    try:
        contact = partner.contacts.get(pk=contact_id)
    except Contact.DoesNotExist:
        raise Http404 from None
    if not editable(request.user, partner):
        raise PermissionDenied
    announce(request, lambda: contact_service.remove_contact(request.user, contact),
             _("Kontak %(n)s dihapus.") % {"n": contact.full_name})
    return redirect("partners:partner_detail", pk=partner.pk)


urlpatterns = [
    path("mitra/", partner_list, name="partner_list"),
    path("mitra/baru/", partner_create, name="partner_create"),
    path("mitra/<int:pk>/", partner_detail, name="partner_detail"),
    path("mitra/<int:pk>/ubah/", partner_edit, name="partner_edit"),
    path("mitra/<int:pk>/kontak/", contact_add, name="contact_add"),
    path("mitra/<int:pk>/kontak/<int:contact_id>/hapus/", contact_remove, name="contact_remove"),
]
