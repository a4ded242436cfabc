"""Partners: register one, change it. National officers register anywhere, at any reach;
provincial and district officers register provincial or district partners whose home region lies
in their scope, and change only those (partners.selectors.editable). A likely duplicate
(services.duplicates) is refused, naming what it duplicates, unless the actor states it is not a
duplicate (`allow_duplicate=True`): the audit record then names the partners it resembled."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.core.permissions import require_officer
from sukarela.partners import rules
from sukarela.partners.models import Partner, Reach
from sukarela.partners.selectors import editable
from sukarela.partners.services import duplicates

FIELDS = ("name", "kind", "reach", "region", "address", "website", "notes", "active")
M2M = ("regions_served", "offers")
SNAPSHOT = ("name", "kind", "reach", "region", "address", "website", "notes", "active")


def clean(actor, data: dict, *, current: Partner | None = None) -> dict:
    """All of a partner's fields checked at once; a ValidationError names every wrong field."""
    unknown = sorted(set(data) - set(FIELDS) - set(M2M))
    if unknown:
        raise ValidationError({name: _("Kolom tidak dikenal.") for name in unknown})
    merged = {name: getattr(current, name) for name in FIELDS} if current else {}
    if current:
        merged["regions_served"] = list(current.regions_served.all())
        merged["offers"] = list(current.offers.all())
    merged.update(data)
    if current and "region" not in data and merged.get("reach") in (Reach.NATIONAL, Reach.INTERNATIONAL):
        # A change to national reach that says nothing of the region drops the old home region
        # (a national partner has none); a region given with it is refused by rules.check_home.
        merged["region"] = None
    errors = {}
    out = {}
    out["name"], out["name_key"] = rules.check_name(merged.get("name"), errors)
    out["kind"] = rules.check_kind(merged.get("kind"), errors)
    region = rules.region_of(merged.get("region"))
    if merged.get("region") not in (None, "") and region is None:
        errors["region"] = _("Kode wilayah tidak dikenal.")
    out["reach"] = str(merged.get("reach") or "")
    out["region"] = rules.check_home(actor, out["reach"], region, errors)
    out["regions_served"] = rules.check_served(merged.get("regions_served"), errors)
    out["offers"] = rules.check_offers(merged.get("offers"), errors)
    out["address"] = rules.clean_text(merged.get("address"), rules.LIMITS["address"], "address", errors)
    out["notes"] = rules.clean_text(merged.get("notes"), rules.LIMITS["notes"], "notes", errors)
    out["website"] = rules.clean_website(merged.get("website"), errors)
    out["active"] = bool(merged.get("active", True))
    if errors:
        raise ValidationError(errors)
    return out


def _check_duplicates(clean_data: dict, allow: bool, exclude_pk=None) -> list:
    region = clean_data["region"]
    found = duplicates.find(clean_data["kind"].pk, clean_data["name_key"], exclude_pk,
                            region.code if region else None)
    if found and not allow:
        raise ValidationError({"name": duplicates.message(found)})
    return found


def _override_changes(found) -> dict:
    return {"duplicate_override": [None, duplicates.audit_value(found)]} if found else {}


@transaction.atomic
def create_partner(actor, *, allow_duplicate: bool = False, **data) -> Partner:
    require_officer(actor)
    data.setdefault("active", True)
    values = clean(actor, data)
    found = _check_duplicates(values, allow_duplicate)
    served, offers = values.pop("regions_served"), values.pop("offers")
    partner = Partner.objects.create(created_by=actor, **values)
    partner.regions_served.set(served)
    partner.offers.set(offers)
    changes = audit.diff(Partner, {}, audit.snapshot(partner, SNAPSHOT))
    changes["regions_served"] = [None, ", ".join(sorted(r.code for r in served))] if served else None
    changes["offers"] = [None, ", ".join(sorted(o.code for o in offers))] if offers else None
    changes = {k: v for k, v in changes.items() if v} | _override_changes(found)
    audit.record(actor, "create_partner", partner, changes)
    return partner


def require_editor(actor, partner: Partner) -> None:
    require_officer(actor)
    if not editable(actor, partner):
        raise PermissionDenied(_("Mitra ini dikelola kantor wilayah lain; Anda hanya dapat melihatnya."))


@transaction.atomic
def update_partner(actor, partner: Partner, *, allow_duplicate: bool = False, **data) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    require_editor(actor, partner)
    values = clean(actor, data, current=partner)
    renamed = (values["name_key"] != partner.name_key or values["kind"].pk != partner.kind_id
               or (values["region"].code if values["region"] else None) != partner.region_id)
    found = _check_duplicates(values, allow_duplicate, exclude_pk=partner.pk) if renamed else []
    before = audit.snapshot(partner, SNAPSHOT)
    served_before = sorted(partner.regions_served.values_list("code", flat=True))
    offers_before = sorted(partner.offers.values_list("code", flat=True))
    served, offers = values.pop("regions_served"), values.pop("offers")
    for name, value in values.items():
        setattr(partner, name, value)
    partner.save()
    changes = audit.diff(Partner, before, audit.snapshot(partner, SNAPSHOT))
    served_after, offers_after = sorted(r.code for r in served), sorted(o.code for o in offers)
    if served_after != served_before:
        partner.regions_served.set(served)
        changes["regions_served"] = [", ".join(served_before), ", ".join(served_after)]
    if offers_after != offers_before:
        partner.offers.set(offers)
        changes["offers"] = [", ".join(offers_before), ", ".join(offers_after)]
    changes |= _override_changes(found)
    if changes:
        audit.record(actor, "update_partner", partner, changes)
    return partner
