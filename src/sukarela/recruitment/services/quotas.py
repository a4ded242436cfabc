"""Seats per region: computed by an apportionment method, then adjustable by hand (audited)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.engines.apportion import ApportionError, apportion
from sukarela.recruitment.models import Campaign, CampaignRegion, Method
from sukarela.recruitment.permissions import require_national

MAX_QUOTA = 10_000_000


@transaction.atomic
def apportion_quotas(actor, campaign: Campaign, method: str, minimum: int = 0) -> dict[str, int]:
    require_national(actor)
    if method not in Method.values:
        raise ValidationError({"method": _("Metode tidak dikenal: %(m)s") % {"m": method}})
    if minimum is None or minimum < 0:
        raise ValidationError({"minimum": _("Kursi minimum tidak boleh negatif.")})
    rows = list(campaign.quota_regions.select_for_update().order_by("region_id"))
    if not rows:
        raise ValidationError({"method": _("Kampanye belum memiliki wilayah.")})
    try:
        seats = apportion({r.region_id: r.weight for r in rows}, campaign.target_seats, method, minimum)
    except ApportionError as exc:
        raise ValidationError({"minimum": str(exc)}) from None
    changes = {}
    for row in rows:
        new = seats[row.region_id]
        if row.quota != new:
            changes[row.region_id] = [row.quota, new]
        row.computed_quota = row.quota = new
    CampaignRegion.objects.bulk_update(rows, ["computed_quota", "quota"])
    Campaign.objects.filter(pk=campaign.pk).update(apportion_method=method, apportion_minimum=minimum)
    campaign.apportion_method, campaign.apportion_minimum = method, minimum
    changes["method"] = [None, f"{method}, minimum {minimum}"]
    audit.record(actor, "apportion", campaign, changes)
    return seats


@transaction.atomic
def adjust_quota(actor, row: CampaignRegion, quota: int, reason: str) -> CampaignRegion:
    """A hand change to one region's seats; the reason goes into the audit trail."""
    require_national(actor)
    errors = {}
    if quota is None or quota < 0:
        errors["quota"] = _("Kuota tidak boleh negatif.")
    elif quota > MAX_QUOTA:
        errors["quota"] = _("Kuota paling banyak %(m)s.") % {"m": MAX_QUOTA}
    if not (reason or "").strip():
        errors["reason"] = _("Alasan perubahan wajib diisi.")
    if errors:
        raise ValidationError(errors)
    row = CampaignRegion.objects.select_for_update().get(pk=row.pk)
    if row.quota != quota:
        audit.record(actor, "adjust_quota", row.campaign,
                     {row.region_id: [row.quota, quota], "reason": [None, reason.strip()[:200]]})
        row.quota = quota
        row.save(update_fields=["quota"])
    return row
