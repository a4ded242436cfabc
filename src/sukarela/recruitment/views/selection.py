"""Screening, selection (with a dry run), per-region results and their export, announcing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.pii import mask
from sukarela.core.views import officer_required
from sukarela.recruitment.permissions import require_national
from sukarela.recruitment import selectors
from sukarela.recruitment.permissions import sees_contact_data
from sukarela.recruitment.services import notices, screening, selection
from sukarela.recruitment.views.common import download, page, spreadsheet



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
    """XLSX of the decisions in scope; NIK and contacts in full only for roles that call applicants."""
    campaign = selectors.campaign_for(request.user, pk)
    full = sees_contact_data(request.user) and request.GET.get("masked") != "1"
    shown = (lambda kind, value: value or "") if full else mask
    headers = ["Wilayah kuota", "Keputusan", "Peringkat", "Urutan cadangan", "Kursi wilayah", "Nilai akhir",
               "NIK", "Nama", "Jenis kelamin", "Nomor HP", "Email", "Desa/Kelurahan"]
    rows = (
        (a.quota_region_id, a.get_decision_display(), a.region_rank, a.waitlist_position, a.seat_region_id,
         a.score, shown("NIK", a.nik), a.full_name, a.sex, shown("PHONE", a.phone), shown("EMAIL", a.email),
         a.domicile_id)
        for a in selectors.results_for(request.user, campaign, request.GET.get("region", "")[:13]).iterator(
            chunk_size=5000))
    return download(spreadsheet("xlsx", headers, rows, "Hasil seleksi"), f"hasil-seleksi-{campaign.pk}.xlsx", "xlsx")


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
