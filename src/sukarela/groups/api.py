"""Groups API: list, detail, register a group with its chair, add a member. Same services and
selectors as the pages: officers read and write inside their region, a group chair reads their
own group. The bank account and NIKs are masked in every answer (the full account is shown only
on the detail page, to the group's officers). The bulk import is page-only."""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.pii import mask
from sukarela.core.schema_types import Text
from sukarela.groups import selectors
from sukarela.groups.models import GroupStatus, Tier
from sukarela.groups.rules import MAX_RUPIAH
from sukarela.groups.services import groups, members

router = Router(tags=["groups"])


class GroupFilter(Schema):
    q: Text = Field("", max_length=80, description="part of the group's name")
    sector: Text = Field("", max_length=30, description="sector code")
    status: Literal["", *GroupStatus.values] = ""  # type: ignore[valid-type]
    tier: Literal["", *Tier.values] = ""  # type: ignore[valid-type]
    region: Text = Field("", max_length=13, description="Kemendagri code: groups in villages at or below it")


class GroupOut(Schema):
    id: int
    name: str
    tier: str
    sector: str = Field(..., alias="sector_id")
    village: str = Field(..., alias="village_id")
    village_name: str
    status: str
    lat: float | None
    lon: float | None
    registered_on: date
    bank_name: str
    bank_account: str
    aid_amount: Decimal | None
    aid_received_on: date | None

    @staticmethod
    def resolve_village_name(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_bank_account(obj) -> str:
        return mask("BANK_ACCOUNT", obj.bank_account)


class MemberOut(Schema):
    id: int
    nik: str
    full_name: str
    sex: str
    is_chair: bool
    active: bool
    joined_on: date
    left_on: date | None

    @staticmethod
    def resolve_nik(obj) -> str:
        return mask("NIK", obj.nik)


class GroupDetail(GroupOut):
    aid_tools: Decimal | None
    aid_materials: Decimal | None
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


class MemberIn(Schema):
    nik: Text = Field(..., min_length=1, max_length=32, description="16 digits")
    full_name: Text = Field(..., min_length=1, max_length=150)
    sex: Literal["L", "P"]
    birth_date: date
    unemployed_declared: bool = Field(..., description="must be true: members are unemployed when they register")
    joined_on: date | None = Field(None, description="empty: today; age 17–55 is checked on this day")


class ChairIn(Schema):
    nik: Text = Field(..., min_length=1, max_length=32)
    full_name: Text = Field(..., min_length=1, max_length=150)
    sex: Literal["L", "P"]
    birth_date: date
    unemployed_declared: bool


class GroupIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    tier: Literal[*Tier.values] = Tier.PEMULA  # type: ignore[valid-type]
    sector: Text = Field(..., max_length=30, description="sector code, e.g. jasa-boga")
    village: Text = Field(..., max_length=13, description="village code, e.g. 32.01.01.2001")
    address: Text = Field("", max_length=300)
    lat: float | None = Field(None, description="with lon, or neither; inside Indonesia (−11..6.5)")
    lon: float | None = Field(None, description="94.5..141.5")
    registered_on: date | None = None
    # Whole rupiah as JSON integers only: strict, so 5e6, 5000000.0, "5000000" and true are refused.
    aid_amount: int | None = Field(None, ge=0, le=MAX_RUPIAH, strict=True, description="whole rupiah")
    aid_received_on: date | None = None
    aid_tools: int | None = Field(None, ge=0, le=MAX_RUPIAH, strict=True, description="60% of the aid")
    aid_materials: int | None = Field(None, ge=0, le=MAX_RUPIAH, strict=True, description="40% of the aid")
    bank_name: Text = Field("", max_length=60)
    bank_account: Text = Field("", max_length=30, description="digits")
    chair: ChairIn


@router.get("/groups", response=list[GroupOut], summary="TKM groups in the caller's scope (a chair: their own)")
@paginate(Pages)
def list_groups(request, filters: Query[GroupFilter]):
    return selectors.groups_for(request.auth, **filters.dict()).order_by("name", "id")


@router.get("/groups/{group_id}", response=GroupDetail, summary="One group with its members and aid")
def get_group(request, group_id: int):
    return selectors.group_with_members(request.auth, group_id)


@router.post("/groups", response={201: GroupDetail},
             summary="Register a group with its chair in a village inside the caller's scope")
def create_group(request, payload: GroupIn):
    data = payload.dict()
    chair = data.pop("chair")
    group = groups.create_group(api_officer(request), chair=chair, **data)
    return Status(201, selectors.group_with_members(request.auth, group.pk))


@router.post("/groups/{group_id}/members", response={201: MemberOut},
             summary="Add a member (NIK checked; one NIK in one active group, both groups named when refused)")
def add_member(request, group_id: int, payload: MemberIn):
    group = selectors.group_for(api_officer(request), group_id)
    return Status(201, members.add_member(request.auth, group, **payload.dict()))
