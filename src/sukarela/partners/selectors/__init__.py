"""Reads of partners, limited to what the caller may see (the rule in partners/models.py):
officers see partners of national or international reach, and those whose home region or a served
region lies in their scope — or covers it (a provincial bank serving Jawa Barat serves Kab. Bogor
too, so the Bogor officer must find it to broker a loan). They edit only partners whose home region
lies in their scope; national officers edit all. Field roles, applicants and the public see none.

Other modules (centres, linkages, network, imports) build on `partners_for`, `partner_for`,
`editable` and `editable_q`: keep the names."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from sukarela.core.permissions import is_officer
from sukarela.core.scope import in_scope, region_q
from sukarela.partners.models import Partner, Reach
from sukarela.regions.models import subtree_q


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def visible_q(user) -> Q:
    """The filter on Partner for `user`'s visibility (nothing for non-officers)."""
    if not is_officer(user):
        return Q(pk__in=[])
    code = user.scope_code
    if code == "":
        return Q()
    if not code:
        return Q(pk__in=[])
    near = lambda lookup: subtree_q(lookup, code) | Q(**{f"{lookup}__in": _ancestors(code)})  # noqa: E731
    served = Partner.regions_served.through.objects.filter(near("region__code"), partner_id=OuterRef("pk"))
    return Q(reach__in=[Reach.NATIONAL, Reach.INTERNATIONAL]) | near("region__code") | Exists(served)


def editable_q(user) -> Q:
    """The filter on Partner for the partners `user` may edit: home region in their scope."""
    if not is_officer(user):
        return Q(pk__in=[])
    limit = region_q(user, "region")  # None: a national officer, no limit
    return Q() if limit is None else limit


def partners_for(user, *, active_only: bool = False):
    qs = Partner.objects.filter(visible_q(user)).select_related("kind", "region")
    return qs.filter(active=True) if active_only else qs


def partner_for(user, pk) -> Partner:
    try:
        return partners_for(user).get(pk=pk)
    except (Partner.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def editable(user, partner: Partner) -> bool:
    """Whether `user` may change `partner` (its data, contacts, agreements)."""
    return is_officer(user) and in_scope(user, partner.region_id)
