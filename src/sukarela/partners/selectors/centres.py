"""Reads of training centres (BLK), limited to the caller's region: officers see the centres whose
region lies in their scope; field roles, applicants and the public see none (TrainingCentre has
no `owned_by`). The FKN BLK Komunitas forum page counts the member centres per province."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from sukarela.core.permissions import is_officer
from sukarela.core.scope import get_scoped_or_404, in_scope, scoped
from sukarela.partners.models import CentreKind, CentreProgramme, Partner, TrainingCentre
from sukarela.partners.selectors import partners_for
from sukarela.regions.models import Region, subtree_q
from sukarela.training.models import Venue


@dataclass
class CentreFilters:
    kind: str = ""
    fkn: str = ""  # "", "1" (members only) or "0" (not members)
    region: str = ""
    q: str = ""


def centres_for(user):
    return scoped(user, TrainingCentre.objects.select_related("region", "venue"))


def centre_for(user, pk) -> TrainingCentre:
    return get_scoped_or_404(user, TrainingCentre.objects.select_related("region", "venue"), pk=pk)


def may_edit(user, centre: TrainingCentre) -> bool:
    return is_officer(user) and in_scope(user, centre.region_id)


def centre_list(user, filters: CentreFilters):
    qs = centres_for(user).annotate(n_supporters=Count("supporters", distinct=True),
                                    n_programmes=Count("programmes", distinct=True))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.fkn in ("0", "1"):
        qs = qs.filter(fkn_member=filters.fkn == "1")
    if filters.region:
        qs = qs.filter(subtree_q("region__code", filters.region))
    if filters.q:
        qs = qs.filter(name__icontains=" ".join(filters.q.split())[:100])
    return qs.order_by("name", "id")


def centre_page(user, pk) -> dict:
    """The centre with its programmes and supporters (the supporters the caller may see: a partner
    outside the caller's view is counted, never named)."""
    centre = centre_for(user, pk)
    supporters = list(centre.supporters.filter(pk__in=partners_for(user).values("pk")).select_related("kind"))
    hidden = centre.supporters.count() - len(supporters)
    editable = may_edit(user, centre)
    return {
        "centre": centre,
        "may_edit": editable,
        "programmes": list(centre.programmes.all()),
        "supporters": supporters,
        "hidden_supporters": hidden,
        "supporter_choices": supporter_choices(user, centre) if editable else [],
        "fields": [f.strip() for f in centre.vocational_fields.split(",") if f.strip()],
    }


def supporter_choices(user, centre: TrainingCentre):
    """Active partners the caller sees that do not support the centre yet."""
    return list(partners_for(user, active_only=True).exclude(pk__in=centre.supporters.values("pk"))
                .order_by("name", "id"))


def programme_for(centre: TrainingCentre, pk) -> CentreProgramme:
    from django.http import Http404

    try:
        return centre.programmes.get(pk=pk)
    except (CentreProgramme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def supporter_for(user, centre: TrainingCentre, pk) -> Partner:
    from django.http import Http404

    found = centre.supporters.filter(pk__in=partners_for(user).values("pk")).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def venue_choices(user):
    """Training venues the caller sees that no centre holds yet (a venue is one centre's)."""
    return scoped(user, Venue.objects.filter(centre__isnull=True)).order_by("name", "id")


def fkn_forum(user) -> dict:
    """The FKN BLK Komunitas members the caller sees, by province, with the count of each."""
    members = (centres_for(user).filter(kind=CentreKind.KOMUNITAS, fkn_member=True)
               .order_by("region_id", "name", "id"))
    counts = list(members.annotate(province=Substr("region_id", 1, 2)).values("province")
                  .annotate(n=Count("id")).order_by("province"))
    names = dict(Region.objects.filter(code__in=[c["province"] for c in counts]).values_list("code", "name"))
    rows = list(members)
    provinces = []
    for c in counts:
        provinces.append({"code": c["province"], "name": names.get(c["province"], c["province"]), "count": c["n"],
                          "centres": [m for m in rows if m.region_id[:2] == c["province"]]})
    return {"provinces": provinces, "total": len(rows),
            "komunitas": centres_for(user).filter(kind=CentreKind.KOMUNITAS).count()}
