"""The public side: open campaigns, the application form, and the applicant's own
status page reached by a private link (no account needed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sukarela.recruitment import selectors
from sukarela.recruitment.documents import document_response
from sukarela.recruitment.forms import ApplicationForm, RequestLinkForm
from sukarela.recruitment.models import Status
from sukarela.recruitment.services import applications as service
from sukarela.recruitment.services import notices
from sukarela.recruitment.services.screening import rule_label
from sukarela.recruitment.services.selection import REASON_LABELS
from sukarela.recruitment.throttle import limited
from sukarela.recruitment.views.common import run_service


@limited("request_link")
@require_http_methods(["GET", "POST"])
def request_link(request):
    """The same answer whether or not anything matched, so the page tells nobody who applied."""
    form = RequestLinkForm(request.POST or None, campaigns=selectors.linkable_campaigns())
    sent = False
    if request.method == "POST" and form.is_valid():
        found = service.renew_link(form.cleaned_data["campaign"], form.cleaned_data["nik"],
                                   form.cleaned_data["email"])
        if found is not None:
            notices.send_receipt(*found)
        sent = True
    return render(request, "recruitment/request_link.html", {"form": form, "sent": sent})


def erased(request):
    return render(request, "recruitment/erased.html")


def apply_index(request):
    return render(request, "recruitment/apply_index.html", {"campaigns": selectors.open_campaigns()})


@limited("apply")
@require_http_methods(["GET", "POST"])
def apply(request, campaign_id: int):
    campaign = selectors.public_campaign(campaign_id)
    if not campaign.is_open():
        return render(request, "recruitment/apply_closed.html", {"campaign": campaign}, status=410)
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST":
        result = run_service(form, lambda: service.submit(campaign, form.raw(), form.documents()))
        if result is not None:
            app, token = result
            notices.send_receipt(app, token)
            request.session["new_application_token"] = token
            return redirect("recruitment:my_application", token=token)
    return render(request, "recruitment/apply_form.html", {"form": form, "campaign": campaign})


@never_cache
@require_http_methods(["GET", "POST"])
def my_application(request, token: str):
    app = selectors.application_by_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                service.withdraw(app, reason=request.POST.get("reason", ""))
                messages.success(request, _("Lamaran Anda sudah ditarik."))
            elif action == "erase":
                if request.POST.get("confirm") != "yes":
                    messages.error(request, _("Centang konfirmasi untuk menghapus data Anda."))
                    return redirect("recruitment:my_application", token=token)
                service.erase(app)
                return redirect("recruitment:erased")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("recruitment:my_application", token=token)
    fresh = request.session.pop("new_application_token", None) == token
    reason = ""
    if app.eligible is False:
        reason = rule_label(app.ineligible_rule, app.campaign)
    elif app.decision_reason:
        reason = str(REASON_LABELS.get(app.decision_reason, app.decision_reason))
    return render(request, "recruitment/my_application.html", {
        "app": app, "token": token, "fresh": fresh, "reason": reason, "active": app.status == Status.ACTIVE,
        "documents": app.documents.all(), "announced": bool(app.campaign.announced_at)})


@never_cache
@require_http_methods(["GET", "POST"])
def my_application_edit(request, token: str):
    app = selectors.application_by_token(token)
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=app.campaign, correcting=app)
    if request.method == "POST":
        if run_service(form, lambda: service.correct(app, form.raw(), form.documents())) is not None:
            messages.success(request, _("Perbaikan data disimpan."))
            return redirect("recruitment:my_application", token=token)
    return render(request, "recruitment/apply_form.html", {"form": form, "campaign": app.campaign, "app": app,
                                                           "correcting": True})


@never_cache
def my_document(request, token: str, doc_id: int):
    app = selectors.application_by_token(token)
    doc = app.documents.filter(pk=doc_id).first()
    if doc is None:
        raise Http404
    return document_response(doc)
