"""Campaign pages: list, create/edit, regions and weights, declaration rules, quotas."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.recruitment.permissions import require_national
from sukarela.recruitment import exports, selectors
from sukarela.recruitment.forms import ApportionForm, CampaignForm, QuotaForm, RegionsForm, RuleForm
from sukarela.recruitment.models import Campaign
from sukarela.recruitment.services import campaigns as service
from sukarela.recruitment.services import quotas
from sukarela.recruitment.services.selection import summary
from sukarela.recruitment.views.common import run_service, service_errors_to_form
from sukarela.regions.models import Region


@officer_required
def campaign_list(request):
    campaigns = selectors.campaigns_for(request.user)
    exported = export_response(request, _("Kampanye rekrutmen"), "kampanye", exports.CAMPAIGN_COLUMNS, campaigns)
    return exported or render(request, "recruitment/campaign_list.html", {"campaigns": campaigns})


@officer_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    visible = {row.region_id for row in selectors.quota_rows(request.user, campaign)}
    rows = [r for r in summary(campaign) if r.region in visible]
    return render(request, "recruitment/campaign_detail.html", {
        "campaign": campaign, "rows": rows, "counts": selectors.scoped_counts(request.user, campaign),
        "quota_total": sum(r.quota for r in rows), "rules": campaign.declaration_rules.all(),
        "imports": selectors.imports_for(request.user, campaign)[:5]})


def _initial(campaign: Campaign | None) -> dict:
    if campaign is None:
        from sukarela.recruitment.models import DEFAULT_PURPOSE

        return {"min_age": 20, "max_age": 35, "min_education": "D3", "use_admin_check": True, "test_weight": 60,
                "interview_weight": 40, "household_cap": 2, "overflow": "none", "consent_purpose": DEFAULT_PURPOSE}
    return {f: getattr(campaign, f) for f in service.CAMPAIGN_FIELDS}


@officer_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require_national(request.user)
    form = CampaignForm(request.POST or None, initial=_initial(None))
    if request.method == "POST":
        campaign = run_service(form, lambda: service.create_campaign(request.user, **form.service_data()))
        if campaign is not None:
            messages.success(request, _("Kampanye dibuat. Sekarang tentukan wilayah dan bobotnya."))
            return redirect("recruitment:campaign_regions", pk=campaign.pk)
    return render(request, "recruitment/campaign_form.html", {"form": form, "campaign": None})


@officer_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    require_national(request.user)
    campaign = selectors.campaign_for(request.user, pk)
    form = CampaignForm(request.POST or None, initial=_initial(campaign))
    if request.method == "POST":
        if run_service(form, lambda: service.update_campaign(request.user, campaign, **form.service_data())):
            messages.success(request, _("Perubahan disimpan."))
            return redirect("recruitment:campaign_detail", pk=campaign.pk)
    return render(request, "recruitment/campaign_form.html", {"form": form, "campaign": campaign})


def _weights_from(form: RegionsForm) -> list:
    data = form.cleaned_data
    if data.get("file"):
        return service.weights_from_file(data["file"].read())
    if data.get("preset"):
        level = 1 if data["preset"] == "provinces" else 2
        return [(code, 1) for code in Region.objects.filter(level=level, active=True).values_list("code", flat=True)]
    return service.parse_weights(data.get("weights") or "")


@officer_required
@require_http_methods(["GET", "POST"])
def campaign_regions(request, pk: int):
    require_national(request.user)
    campaign = selectors.campaign_for(request.user, pk)
    current = "\n".join(f"{r.region_id} {r.weight.normalize():f}" for r in campaign.quota_regions.all())
    form = RegionsForm(request.POST or None, request.FILES or None, initial={"weights": current})
    if request.method == "POST":
        if run_service(form, lambda: service.set_regions(request.user, campaign, _weights_from(form))) is not None:
            messages.success(request, _("Wilayah dan bobot disimpan. Bagi kursinya sekarang."))
            return redirect("recruitment:quotas", pk=campaign.pk)
    return render(request, "recruitment/campaign_regions.html", {"form": form, "campaign": campaign})


@officer_required
@require_http_methods(["GET", "POST"])
def campaign_rules(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        require_national(request.user)
        if "delete" in request.POST:
            wanted = request.POST.get("delete", "")
            rule = campaign.declaration_rules.filter(pk=wanted).first() if wanted.isdigit() else None
            if rule is None:
                messages.error(request, _("Aturan tidak ditemukan."))
            else:
                service.delete_rule(request.user, rule)
                messages.success(request, _("Aturan dihapus."))
            return redirect("recruitment:campaign_rules", pk=campaign.pk)
        if run_service(form, lambda: service.add_rule(request.user, campaign, **form.cleaned_data)):
            messages.success(request, _("Aturan ditambahkan."))
            return redirect("recruitment:campaign_rules", pk=campaign.pk)
    return render(request, "recruitment/campaign_rules.html",
                  {"form": form, "campaign": campaign, "rules": campaign.declaration_rules.all()})


@officer_required
@require_http_methods(["GET", "POST"])
def quota_list(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = ApportionForm(request.POST or None, initial={"method": campaign.apportion_method or "hamilton",
                                                        "minimum": campaign.apportion_minimum})
    if request.method == "POST":
        require_national(request.user)
        if run_service(form, lambda: quotas.apportion_quotas(request.user, campaign, form.cleaned_data["method"],
                                                             form.cleaned_data["minimum"])) is not None:
            messages.success(request, _("Kursi dibagi ke wilayah."))
            return redirect("recruitment:quotas", pk=campaign.pk)
    rows = selectors.quota_rows(request.user, campaign, with_enclosing=True)
    exported = export_response(request, _("Kuota per wilayah"), f"kuota-{campaign.pk}", exports.QUOTA_COLUMNS, rows)
    if exported:
        return exported
    total = sum(r.quota for r in rows)
    return render(request, "recruitment/quotas.html", {
        "campaign": campaign, "rows": rows, "form": form, "total": total,
        "mismatch": request.user.is_national and total != campaign.target_seats, "edit_form": QuotaForm()})


@officer_required
@require_POST
def quota_edit(request, pk: int, code: str):
    require_national(request.user)
    campaign = selectors.campaign_for(request.user, pk)
    row = selectors.quota_row_for(request.user, campaign, code)
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            quotas.adjust_quota(request.user, row, form.cleaned_data["quota"], form.cleaned_data["reason"])
            messages.success(request, _("Kuota %(r)s diubah.") % {"r": row.region.name})
        except ValidationError as exc:
            service_errors_to_form(form, exc)
    if form.errors:
        messages.error(request, "; ".join(f"{e}" for errs in form.errors.values() for e in errs))
    return redirect("recruitment:quotas", pk=campaign.pk)
