"""Applications for officers: the scoped list, staff entry and correction, the record
with its administrative check and scores, withdrawal on the applicant's behalf."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.recruitment import exports, selectors
from sukarela.recruitment.forms import ApplicationForm, ScoreForm, VerifyForm, WithdrawForm
from sukarela.recruitment.models import Decision, Source, Status
from sukarela.core.scope import in_scope
from sukarela.recruitment.documents import document_response
from sukarela.recruitment.services import applications as service
from sukarela.recruitment.services import notices
from sukarela.recruitment.services.screening import rule_label
from sukarela.recruitment.services.selection import REASON_LABELS
from sukarela.recruitment.views.common import page, run_service


@officer_required
def application_list(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    filters = {k: request.GET.get(k, "")[:80] for k in ("q", "status", "decision", "region", "eligible")}
    apps = selectors.applications_for(request.user, campaign, **filters)
    exported = export_response(request, _("Pelamar"), f"pelamar-{campaign.pk}", exports.APPLICATION_COLUMNS, apps)
    if exported:
        return exported
    return render(request, "recruitment/application_list.html", {
        "campaign": campaign, "page": page(request, apps), "filters": filters, "statuses": Status.choices,
        "decisions": [c for c in Decision.choices if c[0]]})


@officer_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=campaign,
                           root=request.user.scope_code or "", staff=True)
    if request.method == "POST":
        result = run_service(form, lambda: service.submit(campaign, form.raw(), form.documents(), actor=request.user,
                                                          source=Source.STAFF))
        if result is not None:
            # The applicant's private link goes to them by e-mail; the officer never sees it.
            notices.send_receipt(*result)
            messages.success(request, _("Lamaran %(n)s disimpan.") % {"n": result[0].full_name})
            return redirect("recruitment:application_detail", pk=result[0].pk)
    return render(request, "recruitment/apply_form.html", {"form": form, "campaign": campaign, "staff": True})


@officer_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    app = selectors.application_for(request.user, pk)
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=app.campaign,
                           root=request.user.scope_code or "", correcting=app, staff=True)
    if request.method == "POST":
        if run_service(form, lambda: service.correct(app, form.raw(), form.documents(), actor=request.user)):
            messages.success(request, _("Perubahan disimpan."))
            return redirect("recruitment:application_detail", pk=app.pk)
    return render(request, "recruitment/apply_form.html", {"form": form, "campaign": app.campaign, "app": app,
                                                           "staff": True, "correcting": True})


def _detail(request, app, verify_form=None, score_form=None, status=200):
    campaign = app.campaign
    return render(request, "recruitment/application_detail.html", {
        "app": app, "campaign": campaign, "documents": app.documents.all(),
        "ineligible_label": rule_label(app.ineligible_rule, campaign) if app.ineligible_rule else "",
        "reason_label": REASON_LABELS.get(app.decision_reason, app.decision_reason),
        "verify_form": verify_form or VerifyForm(initial={"admin_status": app.admin_status,
                                                          "admin_note": app.admin_note}),
        "score_form": score_form or ScoreForm(initial={"test_score": app.test_score,
                                                       "interview_score": app.interview_score}),
        "withdraw_form": WithdrawForm(), "declarations": [
            (r.statement, app.declarations.get(r.key)) for r in campaign.declaration_rules.all()],
    }, status=status)


@officer_required
def application_detail(request, pk: int):
    return _detail(request, selectors.application_for(request.user, pk))


@officer_required
@require_POST
def application_verify(request, pk: int):
    app = selectors.application_for(request.user, pk)
    form = VerifyForm(request.POST)
    if run_service(form, lambda: service.verify(request.user, app, form.cleaned_data["admin_status"],
                                                form.cleaned_data["admin_note"])) is None:
        return _detail(request, app, verify_form=form, status=422)
    messages.success(request, _("Hasil verifikasi disimpan."))
    return redirect("recruitment:application_detail", pk=app.pk)


@officer_required
@require_POST
def application_score(request, pk: int):
    app = selectors.application_for(request.user, pk)
    form = ScoreForm(request.POST)
    if run_service(form, lambda: service.set_scores(request.user, app, **form.cleaned_data)) is None:
        return _detail(request, app, score_form=form, status=422)
    messages.success(request, _("Nilai disimpan."))
    return redirect("recruitment:application_detail", pk=app.pk)


@officer_required
@require_POST
def application_withdraw(request, pk: int):
    app = selectors.application_for(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan penarikan."))
        return redirect("recruitment:application_detail", pk=app.pk)
    try:
        replacement = service.withdraw(app, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("recruitment:application_detail", pk=app.pk)
    if replacement is not None and in_scope(request.user, replacement.domicile_id):
        messages.success(request, _("Lamaran ditarik; kursinya diisi %(n)s dari daftar cadangan.")
                         % {"n": replacement.full_name})
    elif replacement is not None:  # the next in line may live outside this officer's region
        messages.success(request, _("Lamaran ditarik; kursinya diisi pelamar berikutnya dari daftar cadangan."))
    else:
        messages.success(request, _("Lamaran ditarik."))
    return redirect("recruitment:application_detail", pk=app.pk)


@officer_required
@require_POST
def application_erase(request, pk: int):
    """At the applicant's request (UU PDP), e.g. one who applied on paper through the labour office."""
    app = selectors.application_for(request.user, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Centang konfirmasi untuk menghapus data pribadi pelamar."))
        return redirect("recruitment:application_detail", pk=app.pk)
    try:
        service.erase(app, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("recruitment:application_detail", pk=app.pk)
    messages.success(request, _("Data pribadi pelamar dihapus; barisnya tetap dihitung."))
    return redirect("recruitment:application_list", pk=app.campaign_id)


@officer_required
def document(request, pk: int):
    return document_response(selectors.document_for(request.user, pk))
