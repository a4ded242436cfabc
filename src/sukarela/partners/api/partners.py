"""Partners over HTTP: the filtered list, one partner with its contacts (masked unless the caller
may edit it) and agreements, register and change a partner, add and remove contacts, add and
change agreements, and the agreements ending soon. The same selectors and services as the pages:
a partner the caller does not see answers 404, one they see but may not edit 403; a likely
duplicate is a 422 on "name" unless `allow_duplicate` is true."""

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Query, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Text
from sukarela.partners.api import router
from sukarela.partners.models import Agreement, AgreementKind, AgreementStatus, Contact, Reach
from sukarela.partners.selectors import partner_for
from sukarela.partners.selectors import listing
from sukarela.partners.selectors.agreements import expiring
from sukarela.partners.services import agreements as agreement_service
from sukarela.partners.services import contacts as contact_service
from sukarela.partners.services import partners as service

ReachValue = Literal[*Reach.values]  # type: ignore[valid-type]
KindValue = Literal[*AgreementKind.values]  # type: ignore[valid-type]
StatusValue = Literal[*AgreementStatus.values]  # type: ignore[valid-type]


class PartnerFilter(Schema):
    kind: str = Field("", max_length=30, description="a partner type code")
    reach: Literal["", *Reach.values] = ""  # type: ignore[valid-type]
    offer: str = Field("", max_length=30, description="an offer code")
    region: str = Field("", max_length=13, description="home or served region inside (or covering) this code")
    q: Text = Field("", max_length=100, description="part of the name")
    active: Literal["", "0", "1"] = ""
    expiring: bool = Field(False, description="only partners with an agreement ending soon")


class PartnerRow(Schema):
    id: int
    name: str
    kind: str = Field(..., alias="kind_id")
    reach: str
    region: str | None = Field(None, alias="region_id")
    active: bool
    expiring_soon: bool
    may_edit: bool


class ContactOut(Schema):
    id: int = Field(..., alias="pk")
    full_name: str
    position: str
    phone: str = Field(..., description="masked unless the caller may edit the partner")
    email: str = Field(..., description="masked unless the caller may edit the partner")


class AgreementOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    signed_on: dt.date | None
    starts_on: dt.date
    ends_on: dt.date | None
    status: str
    has_document: bool

    @staticmethod
    def resolve_has_document(obj) -> bool:
        return bool(obj.document)


class PartnerDetail(Schema):
    id: int
    name: str
    kind: str
    reach: str
    region: str | None
    regions_served: list[str]
    offers: list[str]
    address: str
    website: str
    notes: str
    active: bool
    may_edit: bool
    contacts: list[ContactOut]
    agreements: list[AgreementOut]


class PartnerIn(Schema):
    name: Text = Field(..., max_length=200)
    kind: Text = Field(..., max_length=30, description="a partner type code")
    reach: ReachValue
    region: Text | None = Field(None, max_length=13, description="home region code; required for provincial "
                                                                 "(a province) and district (a regency) reach, "
                                                                 "absent for national and international reach")
    regions_served: list[Text] = Field(default_factory=list, max_length=200)
    offers: list[Text] = Field(default_factory=list, max_length=50)
    address: Text = Field("", max_length=300)
    website: Text = Field("", max_length=200)
    notes: Text = Field("", max_length=5000)
    active: bool = True
    allow_duplicate: bool = Field(False, description="register although it resembles an existing partner "
                                                     "(audited)")


class PartnerPatch(Schema):
    name: Text | None = Field(None, max_length=200)
    kind: Text | None = Field(None, max_length=30)
    reach: ReachValue | None = None
    region: Text | None = Field(None, max_length=13)
    regions_served: list[Text] | None = Field(None, max_length=200)
    offers: list[Text] | None = Field(None, max_length=50)
    address: Text | None = Field(None, max_length=300)
    website: Text | None = Field(None, max_length=200)
    notes: Text | None = Field(None, max_length=5000)
    active: bool | None = None
    allow_duplicate: bool = False


class ContactIn(Schema):
    full_name: Text = Field(..., max_length=150)
    position: Text = Field("", max_length=120)
    phone: Text = Field("", max_length=30)
    email: Text = Field("", max_length=254)


class AgreementIn(Schema):
    kind: KindValue
    number: Text = Field(..., max_length=100)
    title: Text = Field("", max_length=200)
    signed_on: dt.date | None = None
    starts_on: dt.date
    ends_on: dt.date | None = None
    status: StatusValue = AgreementStatus.DRAFT


class AgreementPatch(Schema):
    kind: KindValue | None = None
    number: Text | None = Field(None, max_length=100)
    title: Text | None = Field(None, max_length=200)
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    status: StatusValue | None = None


class ExpiringOut(Schema):
    id: int
    partner: int = Field(..., alias="partner_id")
    partner_name: str
    kind: str
    number: str
    ends_on: dt.date
    days_left: int = Field(..., description="negative: ended that many days ago while still marked berlaku")
    may_edit: bool

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name


def _detail(user, pk) -> dict:
    page = listing.partner_page(user, pk, timezone.localdate())
    p = page["partner"]
    return {"id": p.pk, "name": p.name, "kind": p.kind_id, "reach": p.reach, "region": p.region_id,
            "regions_served": [r.code for r in page["regions_served"]], "offers": [o.code for o in page["offers"]],
            "address": p.address, "website": p.website, "notes": p.notes, "active": p.active,
            "may_edit": page["may_edit"], "contacts": page["contacts"], "agreements": page["agreements"]}


@router.get("/partners", response=list[PartnerRow], tags=["partners"],
            summary="Partners the caller sees (officers), by name; with the expiring-agreement badge")
@paginate(Pages)
def list_partners(request, filters: Query[PartnerFilter]):
    user = api_officer(request)
    return listing.partner_list(user, listing.Filters(**filters.dict()), timezone.localdate())


@router.post("/partners", response={201: PartnerDetail}, tags=["partners"],
             summary="Register a partner; a likely duplicate is refused on `name` unless allow_duplicate")
def create_partner(request, payload: PartnerIn):
    user = api_officer(request)
    data = payload.dict()
    allow = data.pop("allow_duplicate")
    partner = service.create_partner(user, allow_duplicate=allow, **data)
    return Status(201, _detail(user, partner.pk))


@router.get("/partners/agreements/expiring", response=list[ExpiringOut], tags=["partners"],
            summary="Agreements marked berlaku that end within the warning window (or have ended)")
def list_expiring(request, days: int | None = Query(None, ge=0, le=3650)):
    return expiring(api_officer(request), timezone.localdate(), days)


@router.get("/partners/{int:partner_id}", response=PartnerDetail, tags=["partners"],
            summary="One partner with its contacts (masked unless the caller may edit it) and agreements")
def get_partner(request, partner_id: int):
    return _detail(api_officer(request), partner_id)


@router.patch("/partners/{int:partner_id}", response=PartnerDetail, tags=["partners"],
              summary="Change a partner (officers who may edit it); fields left out stay as they are")
def update_partner(request, partner_id: int, payload: PartnerPatch):
    user = api_officer(request)
    partner = partner_for(user, partner_id)
    data = payload.dict(exclude_unset=True)
    allow = data.pop("allow_duplicate", False)
    service.update_partner(user, partner, allow_duplicate=allow, **data)
    return _detail(user, partner_id)


@router.post("/partners/{int:partner_id}/contacts", response={201: ContactOut}, tags=["partners"],
             summary="Add a contact person (officers who may edit the partner)")
def add_contact(request, partner_id: int, payload: ContactIn):
    user = api_officer(request)
    contact = contact_service.add_contact(user, partner_for(user, partner_id), **payload.dict())
    return Status(201, listing.contacts_view([contact], True)[0])


@router.delete("/partners/{int:partner_id}/contacts/{int:contact_id}", response={204: None}, tags=["partners"],
               summary="Remove a contact person (officers who may edit the partner)")
def remove_contact(request, partner_id: int, contact_id: int):
    user = api_officer(request)
    partner = partner_for(user, partner_id)
    try:
        contact = partner.contacts.get(pk=contact_id)
    except Contact.DoesNotExist:
        raise Http404 from None
    contact_service.remove_contact(user, contact)
    return Status(204, None)


@router.post("/partners/{int:partner_id}/agreements", response={201: AgreementOut}, tags=["partners"],
             summary="Add an agreement (MoU/PKS); the PDF is uploaded on the partner's page")
def add_agreement(request, partner_id: int, payload: AgreementIn):
    user = api_officer(request)
    return Status(201, agreement_service.add_agreement(user, partner_for(user, partner_id), **payload.dict()))


@router.patch("/partners/{int:partner_id}/agreements/{int:agreement_id}", response=AgreementOut, tags=["partners"],
              summary="Change an agreement (officers who may edit the partner)")
def update_agreement(request, partner_id: int, agreement_id: int, payload: AgreementPatch):
    user = api_officer(request)
    partner = partner_for(user, partner_id)
    try:
        agreement = partner.agreements.get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise Http404 from None
    return agreement_service.update_agreement(user, agreement, **payload.dict(exclude_unset=True))
