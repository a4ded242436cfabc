"""Screening, selection (with a dry run), per-region results and their export, announcing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_file, query_of
from sukarela.core.views import officer_required
from sukarela.recruitment.permissions import require_national
from sukarela.recruitment import exports, selectors
from sukarela.recruitment.services import notices, screening, selection
from sukarela.recruitment.views.common import page



@officer_required
@require_POST
def screen(request, pk: int):
    require_national(request.user)
    campaign = selectors.campaign_for(request.user, pk)
    counts = screening.screen(request.user, campaign)
    messages.success(request, _("Penyaringan selesai: %(n)d pelamar memenuhi syarat.") % {"n": counts["eligible"]})
    return redirect("recruitment:campaign_detail", pk=campaign.pk)


@officer_required
@require_http_methods(["GET", "POST"])
def run_selection(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    result = None
    if request.method == "POST":
        require_national(request.user)
        dry = request.POST.get("dry_run") == "1"
        try:
            result = selection.run(request.user, campaign, dry_run=dry)
        except ValidationError as exc:  # e.g. results already announced
            messages.error(request, " ".join(exc.messages))
            return redirect("recruitment:selection", pk=campaign.pk)
        if not dry:
            messages.success(request, _("Seleksi selesai: %(s)d terpilih, %(w)d cadangan.")
                             % {"s": result.selected, "w": result.waitlisted})
            return redirect("recruitment:selection", pk=campaign.pk)
    visible = {row.region_id for row in selectors.quota_rows(request.user, campaign)}
    rows = [r for r in (result.rows if result else selection.summary(campaign)) if r.region in visible]
    return render(request, "recruitment/selection.html", {
        "campaign": campaign, "rows": rows, "result": result,
        "totals": {k: sum(getattr(r, k) for r in rows) for k in ("quota", "applicants", "eligible", "selected",
                                                                "waitlisted")}})


@officer_required
def results(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    region = request.GET.get("region", "")[:13]
    return render(request, "recruitment/results.html", {
        "campaign": campaign, "page": page(request, selectors.results_for(request.user, campaign, region)),
        "region": region, "regions": selectors.quota_rows(request.user, campaign)})


@officer_required
def results_export(request, pk: int):
    """XLSX of the decisions in scope; NIK and contacts masked unless an officer asks for them in full
    (core.pii.show_personal, recorded in the audit trail)."""
    campaign = selectors.campaign_for(request.user, pk)
    region = request.GET.get("region", "")[:13]
    back = reverse("recruitment:results", args=[campaign.pk]) + query_of(request)
    return export_file(request, _("Hasil seleksi"), f"hasil-seleksi-{campaign.pk}", exports.RESULT_COLUMNS,
                       selectors.results_for(request.user, campaign, region), "xlsx", back=back)


@officer_required
@require_POST
def announce(request, pk: int):
    require_national(request.user)
    campaign = selectors.campaign_for(request.user, pk)
    try:
        counts = notices.announce(request.user, campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("recruitment:selection", pk=campaign.pk)
    messages.success(request, _("Hasil diumumkan ke %(n)d pelamar; %(t)d akun TKS dibuat.")
                     % {"n": counts["notified"], "t": counts["tks_accounts"]})
    return redirect("recruitment:selection", pk=campaign.pk)
