"""Agreement pages: add and change an agreement of a partner (with its PDF), attach a new PDF,
download it (officers who may edit the partner only; sandboxed), and the agreements that end soon
or have ended while still marked "berlaku"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.views import officer_required
from sukarela.core.web import form_errors_text, run_service
from sukarela.partners.documents import document_response
from sukarela.partners.forms import AgreementForm, DocumentForm
from sukarela.partners.models import Agreement
from sukarela.partners.selectors import editable, partner_for
from sukarela.partners.selectors.agreements import expiring, warn_days
from sukarela.partners.services import agreements as service

FIELDS = ("kind", "number", "title", "signed_on", "starts_on", "ends_on", "status")


def _editable_partner(user, pk):
    partner = partner_for(user, pk)
    if not editable(user, partner):
        raise PermissionDenied
    return partner


def _agreement(partner, agreement_id) -> Agreement:
    try:
        return partner.agreements.get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise Http404 from None


@officer_required
@require_http_methods(["GET", "POST"])
def agreement_add(request, pk: int):
    partner = _editable_partner(request.user, pk)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        saved = run_service(form, lambda: service.add_agreement(
            request.user, partner, document=form.cleaned_data.get("document"), **form.agreement_data()))
        if saved is not None:
            messages.success(request, _("%(a)s disimpan.") % {"a": saved})
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_agreement_form.html",
                  {"form": form, "partner": partner, "agreement": None})


@officer_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int, agreement_id: int):
    partner = partner_for(request.user, pk)
    agreement = _agreement(partner, agreement_id)
    if not editable(request.user, partner):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, initial={f: getattr(agreement, f) for f in FIELDS})
    del form.fields["document"]  # a new PDF has its own form on this page
    if request.method == "POST":
        saved = run_service(form, lambda: service.update_agreement(request.user, agreement,
                                                                   **form.agreement_data()))
        if saved is not None:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("partners:partner_detail", pk=partner.pk)
    return render(request, "partners/partner_agreement_form.html",
                  {"form": form, "partner": partner, "agreement": agreement, "document_form": DocumentForm()})


@officer_required
@require_POST
def agreement_upload(request, pk: int, agreement_id: int):
    partner = partner_for(request.user, pk)
    agreement = _agreement(partner, agreement_id)
    if not editable(request.user, partner):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    saved = run_service(form, lambda: service.attach_document(request.user, agreement, form.cleaned_data["document"]))
    if saved is not None:
        messages.success(request, _("Dokumen %(a)s disimpan.") % {"a": saved})
    else:
        messages.error(request, form_errors_text(form))
    return redirect("partners:partner_detail", pk=partner.pk)


@officer_required
def agreement_document(request, pk: int, agreement_id: int):
    """Only officers who may edit the partner read its agreements' documents (signed contracts name
    people and amounts); the others see on the partner's page that one exists. Never rendered inline."""
    partner = partner_for(request.user, pk)
    agreement = _agreement(partner, agreement_id)
    if not agreement.document or not editable(request.user, partner):
        raise Http404
    return document_response(agreement)


@officer_required
def agreement_expiring(request):
    days = warn_days()
    return render(request, "partners/partner_expiring.html", {
        "agreements": expiring(request.user, timezone.localdate(), days), "days": days})


urlpatterns = [
    path("mitra/perjanjian/segera-berakhir/", agreement_expiring, name="agreement_expiring"),
    path("mitra/<int:pk>/perjanjian/baru/", agreement_add, name="agreement_add"),
    path("mitra/<int:pk>/perjanjian/<int:agreement_id>/ubah/", agreement_edit, name="agreement_edit"),
    path("mitra/<int:pk>/perjanjian/<int:agreement_id>/dokumen/", agreement_upload, name="agreement_upload"),
    path("mitra/<int:pk>/perjanjian/<int:agreement_id>/dokumen.pdf", agreement_document,
         name="agreement_document"),
]
