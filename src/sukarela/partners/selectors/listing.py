"""The partner list and page: filters, badges, and what the page shows of contacts (in full only
to officers who may edit the partner)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from sukarela.core.pii import mask
from sukarela.partners.models import Agreement, Contact, Partner
from sukarela.partners.names import name_key
from sukarela.partners.selectors import editable, editable_q, partner_for, partners_for
from sukarela.partners.selectors.agreements import expiring_exists, expiring_q
from sukarela.regions.models import subtree_q


@dataclass
class Filters:
    kind: str = ""
    reach: str = ""
    offer: str = ""
    region: str = ""
    q: str = ""
    active: str = ""  # "", "1" (active only) or "0" (inactive only)
    expiring: bool = False


def partner_list(user, filters: Filters, today: dt.date):
    qs = partners_for(user).annotate(
        expiring_soon=expiring_exists(today),
        may_edit=Exists(Partner.objects.filter(editable_q(user), pk=OuterRef("pk"))))
    if filters.kind:
        qs = qs.filter(kind_id=filters.kind)
    if filters.reach:
        qs = qs.filter(reach=filters.reach)
    if filters.offer:
        qs = qs.filter(Exists(Partner.offers.through.objects.filter(partner_id=OuterRef("pk"),
                                                                    offer_id=filters.offer)))
    if filters.region:
        # Home or a served region inside the chosen region, or covering it.
        parts = filters.region.split(".")
        above = [".".join(parts[: i + 1]) for i in range(len(parts))]
        near = lambda lookup: subtree_q(lookup, filters.region) | Q(**{f"{lookup}__in": above})  # noqa: E731
        served = Partner.regions_served.through.objects.filter(near("region__code"), partner_id=OuterRef("pk"))
        qs = qs.filter(near("region__code") | Exists(served))
    if filters.q:
        text = " ".join(filters.q.split())[:100]
        key = name_key(text)
        qs = qs.filter(Q(name__icontains=text) | (Q(name_key__contains=key) if key else Q(pk__in=[])))
    if filters.active in ("0", "1"):
        qs = qs.filter(active=filters.active == "1")
    if filters.expiring:
        qs = qs.filter(expiring_soon=True)
    return qs.order_by("name", "id")


@dataclass
class ContactView:
    pk: int
    full_name: str
    position: str
    phone: str
    email: str


def contacts_view(contacts, full: bool) -> list[ContactView]:
    """Contacts as a page shows them: phone and e-mail masked unless `full`."""
    return [ContactView(c.pk, c.full_name, c.position, c.phone if full else mask("PHONE", c.phone),
                        c.email if full else mask("EMAIL", c.email)) for c in contacts]


def partner_page(user, pk, today: dt.date):
    """The partner with what its page shows; 404 outside the user's view."""
    partner = partner_for(user, pk)
    may_edit = editable(user, partner)
    agreements = list(partner.agreements.annotate(expiring=Exists(
        Agreement.objects.filter(expiring_q(today), pk=OuterRef("pk")))).order_by("-starts_on", "id"))
    return {
        "partner": partner,
        "may_edit": may_edit,
        "contacts": contacts_view(partner.contacts.all(), may_edit),
        "agreements": agreements,
        "offers": list(partner.offers.all()),
        "regions_served": list(partner.regions_served.order_by("code")),
    }


def export_rows(user, filters: Filters, today: dt.date):
    """The visible partners with their contacts (masked where the user may not edit), for the export."""
    return partner_list(user, filters, today).prefetch_related(
        "offers", "regions_served", Prefetch("contacts", queryset=Contact.objects.order_by("full_name", "id")))
