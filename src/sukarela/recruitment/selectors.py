"""Reads for recruitment pages and the API, each limited to the caller's scope.

Campaigns and quotas are programme facts every officer may read; applications,
documents and imports are personal data, read only through core.scope.
"""

from django.db.models import Case, Count, Q, Value, When
from django.http import Http404
from django.utils import timezone

from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.recruitment.models import Application, Campaign, CampaignRegion, Decision, Document, ImportJob, Status
from sukarela.recruitment.permissions import is_officer
from sukarela.regions.models import subtree_q


def campaigns_for(user):
    if not is_officer(user):
        return Campaign.objects.none()
    return Campaign.objects.annotate(n_regions=Count("quota_regions", distinct=True))


def campaign_for(user, pk) -> Campaign:
    try:
        return campaigns_for(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_campaigns(today=None):
    today = today or timezone.localdate()
    return Campaign.objects.filter(published=True, opens_on__lte=today, closes_on__gte=today)


def linkable_campaigns():
    """Campaigns whose applicants may ask for their private link again: published ones."""
    return Campaign.objects.filter(published=True).order_by("-year", "name")


def public_campaign(pk) -> Campaign:
    campaign = Campaign.objects.filter(pk=pk, published=True).first()
    if campaign is None:
        raise Http404
    return campaign


def quota_rows(user, campaign: Campaign, *, with_enclosing: bool = False):
    """The campaign's quota regions inside the officer's scope. `with_enclosing` adds the ones
    that contain it (a district officer's province): right for quota numbers, which are public
    facts, never for applicant counts, which would then cover other regions' applicants."""
    qs = campaign.quota_regions.select_related("region").order_by("region_id")
    code = getattr(user, "scope_code", None)
    if code == "":
        return qs
    if not code:
        return qs.none()
    if not with_enclosing:
        return qs.filter(subtree_q("region__code", code))
    parts = code.split(".")
    ancestors = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return qs.filter(subtree_q("region__code", code) | Q(region_id__in=ancestors))


def quota_row_for(user, campaign: Campaign, code: str) -> CampaignRegion:
    row = quota_rows(user, campaign).filter(region_id=code).first()
    if row is None:
        raise Http404
    return row


def applications_for(user, campaign: Campaign, *, q="", status="", decision="", region="", eligible=""):
    qs = scoped(user, Application.objects.filter(campaign=campaign)).select_related("domicile", "quota_region")
    if q:
        digits = "".join(ch for ch in q if ch.isdigit())
        qs = qs.filter(Q(full_name__icontains=q) | (Q(nik=digits) if len(digits) == 16 else Q(pk__in=[])))
    if status in Status.values:
        qs = qs.filter(status=status)
    if decision and decision in Decision.values:  # "" is Decision.NONE's value, and also "no filter"
        qs = qs.filter(decision=decision)
    if region:
        qs = qs.filter(subtree_q("domicile__code", region))
    if eligible in ("yes", "no", "unchecked"):
        qs = qs.filter(eligible={"yes": True, "no": False, "unchecked": None}[eligible])
    return qs.order_by("id")


def application_for(user, pk) -> Application:
    return get_scoped_or_404(user, Application.objects.select_related("campaign", "domicile", "quota_region",
                                                                      "seat_region", "volunteer"), pk=pk)


def application_by_token(token: str) -> Application:
    if not token or len(token) > 100:
        raise Http404
    app = (Application.objects.select_related("campaign", "domicile", "quota_region")
           .filter(access_digest=Application.digest_of(token)).first())
    if app is None:
        raise Http404
    return app


def document_for(user, pk) -> Document:
    return get_scoped_or_404(user, Document.objects.select_related("application"), pk=pk)


def results_for(user, campaign: Campaign, region: str = ""):
    """Decided applications in scope, region by region, selectees first then the waitlist in order."""
    qs = applications_for(user, campaign, region=region).filter(status=Status.ACTIVE).exclude(decision="")
    order = Case(When(decision=Decision.SELECTED, then=Value(0)), When(decision=Decision.WAITLISTED, then=Value(1)),
                 default=Value(2))
    return qs.select_related("seat_region").order_by(
        "quota_region_id", order, "region_rank", "waitlist_position", "id")


def imports_for(user, campaign: Campaign):
    return scoped(user, ImportJob.objects.filter(campaign=campaign)).select_related("created_by")


def import_for(user, pk) -> ImportJob:
    return get_scoped_or_404(user, ImportJob.objects.select_related("campaign", "created_by"), pk=pk)


def scoped_counts(user, campaign: Campaign) -> dict:
    qs = scoped(user, Application.objects.filter(campaign=campaign))
    return qs.aggregate(
        total=Count("id"), active=Count("id", filter=Q(status=Status.ACTIVE)),
        eligible=Count("id", filter=Q(status=Status.ACTIVE, eligible=True)),
        selected=Count("id", filter=Q(status=Status.ACTIVE, decision=Decision.SELECTED)),
        waitlisted=Count("id", filter=Q(status=Status.ACTIVE, decision=Decision.WAITLISTED)),
    )
