"""Training centres (BLK) over HTTP: the filtered list, one centre with its programmes and the
supporters the caller sees, register and change a centre. Officers only (403 otherwise); a centre
outside the caller's region answers 404; the service's refusals are 422 naming the field."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Id, Text
from sukarela.partners.api import router
from sukarela.partners.models import CentreKind
from sukarela.partners.selectors import centres as selectors
from sukarela.partners.services import centres as service

KindValue = Literal[*CentreKind.values]  # type: ignore[valid-type]


class CentreFilter(Schema):
    kind: Literal["", *CentreKind.values] = ""  # type: ignore[valid-type]
    fkn: Literal["", "0", "1"] = Field("", description="1: FKN BLK Komunitas members only; 0: non-members")
    region: str = Field("", max_length=13, description="centres in this region or below")
    q: Text = Field("", max_length=100, description="part of the name")


class CentreRow(Schema):
    id: int
    name: str
    kind: str
    host_institution: str
    region: str = Field(..., alias="region_id")
    fkn_member: bool
    fkn_joined_on: dt.date | None
    n_programmes: int
    n_supporters: int


class ProgrammeOut(Schema):
    id: int
    name: str
    year: int
    participants: int | None


class SupporterOut(Schema):
    id: int
    name: str
    kind: str = Field(..., alias="kind_id")


class CentreDetail(Schema):
    id: int
    name: str
    kind: str
    host_institution: str
    vocational_fields: list[str]
    region: str
    fkn_member: bool
    fkn_joined_on: dt.date | None
    venue: int | None
    may_edit: bool
    programmes: list[ProgrammeOut]
    supporters: list[SupporterOut]
    hidden_supporters: int = Field(..., description="supporters outside the caller's view (counted, not named)")


class CentreIn(Schema):
    name: Text = Field(..., max_length=200)
    kind: KindValue
    host_institution: Text = Field("", max_length=200)
    vocational_fields: list[Text] = Field(default_factory=list, max_length=50)
    region: str = Field(..., max_length=13, description="the centre's region code, inside the caller's scope")
    fkn_member: bool = Field(False, description="FKN BLK Komunitas member (BLK Komunitas only)")
    fkn_joined_on: dt.date | None = None
    venue: Id | None = Field(None, description="a training venue of the same region")


class CentrePatch(Schema):
    name: Text | None = Field(None, max_length=200)
    kind: KindValue | None = None
    host_institution: Text | None = Field(None, max_length=200)
    vocational_fields: list[Text] | None = Field(None, max_length=50)
    region: str | None = Field(None, max_length=13)
    fkn_member: bool | None = None
    fkn_joined_on: dt.date | None = None
    venue: Id | None = None


def _detail(user, pk) -> dict:
    page = selectors.centre_page(user, pk)
    c = page["centre"]
    return {"id": c.pk, "name": c.name, "kind": c.kind, "host_institution": c.host_institution,
            "vocational_fields": page["fields"], "region": c.region_id, "fkn_member": c.fkn_member,
            "fkn_joined_on": c.fkn_joined_on, "venue": c.venue_id, "may_edit": page["may_edit"],
            "programmes": page["programmes"], "supporters": page["supporters"],
            "hidden_supporters": page["hidden_supporters"]}


@router.get("/partners/centres", response=list[CentreRow], tags=["partners"],
            summary="Training centres (BLK) in the caller's region, by name")
@paginate(Pages)
def list_centres(request, filters: Query[CentreFilter]):
    user = api_officer(request)
    return selectors.centre_list(user, selectors.CentreFilters(**filters.dict()))


@router.post("/partners/centres", response={201: CentreDetail}, tags=["partners"],
             summary="Register a training centre in the caller's region")
def create_centre(request, payload: CentreIn):
    user = api_officer(request)
    centre = service.create_centre(user, **payload.dict())
    return Status(201, _detail(user, centre.pk))


@router.get("/partners/centres/{int:centre_id}", response=CentreDetail, tags=["partners"],
            summary="One centre with its programmes and supporting partners")
def get_centre(request, centre_id: int):
    return _detail(api_officer(request), centre_id)


@router.patch("/partners/centres/{int:centre_id}", response=CentreDetail, tags=["partners"],
              summary="Change a centre; fields left out stay as they are")
def update_centre(request, centre_id: int, payload: CentrePatch):
    user = api_officer(request)
    centre = selectors.centre_for(user, centre_id)
    if not selectors.may_edit(user, centre):
        raise PermissionDenied
    service.update_centre(user, centre, **payload.dict(exclude_unset=True))
    return _detail(user, centre_id)
