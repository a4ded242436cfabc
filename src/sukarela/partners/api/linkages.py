"""Linkages over HTTP: the filtered list, one linkage with its steps, create one, move its status.
Officers and TKS (a TKS sees and moves the linkages of the groups they mentor); other roles 403. A
linkage out of view answers 404; a refused move is a 422 on the field that is wrong (status,
value_amount, people_trained, failed_reason, status_on) with the pipeline's reason."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import is_officer
from sukarela.core.roles import Role
from sukarela.core.schema_types import Id, Text
from sukarela.groups.selectors import group_for
from sukarela.partners.api import router
from sukarela.partners.models import LinkageStatus, Purpose
from sukarela.partners.selectors import centres as centre_selectors
from sukarela.partners.selectors import linkages as selectors
from sukarela.partners.services import linkages as service

StatusValue = Literal[*LinkageStatus.values]  # type: ignore[valid-type]
PurposeValue = Literal[*Purpose.values]  # type: ignore[valid-type]


def api_linker(request):
    """The caller, when an officer or a TKS; PermissionDenied (403) otherwise."""
    user = request.auth
    if not (is_officer(user) or getattr(user, "role", None) == Role.TKS):
        raise PermissionDenied("Officers and TKS only")
    return user


class LinkageFilter(Schema):
    status: Literal["", *LinkageStatus.values] = ""  # type: ignore[valid-type]
    purpose: Literal["", *Purpose.values] = ""  # type: ignore[valid-type]
    partner_kind: str = Field("", max_length=30, description="a partner type code")
    region: str = Field("", max_length=13, description="the group's village or the centre's region in this code")
    broker: Text = Field("", max_length=100, description="the broker's username, or part of their name")
    partner: Id | None = None
    group: Id | None = None
    centre: Id | None = None


class LinkageRow(Schema):
    id: int
    group: int | None = Field(None, alias="group_id")
    centre: int | None = Field(None, alias="centre_id")
    partner: int = Field(..., alias="partner_id")
    partner_name: str
    purpose: str
    status: str
    proposed_on: dt.date
    status_on: dt.date
    broker: int | None = Field(None, alias="broker_id")
    value_amount: Decimal | None
    people_trained: int | None

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name


class StepOut(Schema):
    status: str
    on: dt.date
    note: str
    by: int | None = Field(None, alias="by_id")
    at: dt.datetime


class LinkageDetail(LinkageRow):
    visit: str | None = None
    failed_reason: str
    notes: str
    may_change: bool
    steps: list[StepOut]

    @staticmethod
    def resolve_visit(obj) -> str | None:
        return str(obj.visit_id) if obj.visit_id else None

    @staticmethod
    def resolve_steps(obj) -> list:
        return selectors.steps_of(obj)


class LinkageIn(Schema):
    group: Id | None = Field(None, description="the TKM group (give a group or a centre, not both)")
    centre: Id | None = Field(None, description="the training centre")
    partner: Id
    purpose: PurposeValue
    broker: Id | None = Field(None, description="officers: a TKS posted to the group (default: its current "
                                                "mentor); a TKS brokers their own")
    proposed_on: dt.date | None = None
    notes: Text = Field("", max_length=2000)


class MoveIn(Schema):
    status: StatusValue
    on: dt.date | None = Field(None, description="the day of the step (default today)")
    note: Text = Field("", max_length=300)
    value_amount: Decimal | None = Field(None, description="rupiah realised (loan, market, equipment)")
    people_trained: int | None = Field(None, description="people trained (training)")
    failed_reason: Text = Field("", max_length=300, description="required when the status is gagal")


def _detail(user, pk):
    linkage = selectors.linkage_for(user, pk)
    linkage.may_change = selectors.may_change(user, linkage)
    return linkage


@router.get("/partners/linkages", response=list[LinkageRow], tags=["partners"],
            summary="Linkages the caller sees (officers: their region; a TKS: their own), latest first")
@paginate(Pages)
def list_linkages(request, filters: Query[LinkageFilter]):
    user = api_linker(request)
    return selectors.linkage_list(user, selectors.LinkageFilters(**filters.dict()))


@router.post("/partners/linkages", response={201: LinkageDetail}, tags=["partners"],
             summary="Create a linkage (status diusulkan) for a group or a centre")
def create_linkage(request, payload: LinkageIn):
    user = api_linker(request)
    data = payload.dict()
    if data["group"] is not None and data["centre"] is None:
        data["group"] = group_for(user, data["group"])
    elif data["centre"] is not None and data["group"] is None:
        if not is_officer(user):
            raise PermissionDenied
        data["centre"] = centre_selectors.centre_for(user, data["centre"])
    else:
        data["group"] = data["centre"] = None  # the service names the field
    linkage = service.create_linkage(user, **data)
    return Status(201, _detail(user, linkage.pk))


@router.get("/partners/linkages/{int:linkage_id}", response=LinkageDetail, tags=["partners"],
            summary="One linkage with its status history")
def get_linkage(request, linkage_id: int):
    return _detail(api_linker(request), linkage_id)


@router.post("/partners/linkages/{int:linkage_id}/moves", response=LinkageDetail, tags=["partners"],
             summary="Move a linkage's status: forward along the pipeline, or to gagal with a reason")
def move_linkage(request, linkage_id: int, payload: MoveIn):
    user = api_linker(request)
    linkage = selectors.linkage_for(user, linkage_id)
    service.move_linkage(user, linkage, **payload.dict())
    return _detail(user, linkage_id)


