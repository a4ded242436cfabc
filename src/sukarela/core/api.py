"""Users, the caller's own account and the audit trail over HTTP."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core import selectors, services
from sukarela.core.models import User
from sukarela.core.pagination import Pages
from sukarela.core.pii import mask
from sukarela.core.roles import Role
from sukarela.core.schema_types import Text

router = Router(tags=["users"])

RoleName = Literal[tuple(Role.values)]  # type: ignore[valid-type]


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    region: str | None = Field(None, alias="region_id")
    region_name: str | None = None
    email: str
    phone: str
    is_active: bool

    @staticmethod
    def resolve_region_name(obj: User) -> str | None:
        return obj.region.name if obj.region_id else None


class UserListItem(UserOut):
    """Lists mask contact details; the single-user read shows them."""

    @staticmethod
    def resolve_email(obj: User) -> str:
        return mask("EMAIL", obj.email)

    @staticmethod
    def resolve_phone(obj: User) -> str:
        return mask("PHONE", obj.phone)


class UserIn(Schema):
    username: Text = Field(..., min_length=3, max_length=60, pattern=r"^[a-zA-Z0-9_.-]+$")
    full_name: Text = Field(..., min_length=1, max_length=150)
    role: RoleName
    region: Text | None = Field(None, max_length=13, description="Kemendagri code; empty for national officers")
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=20)
    password: Text | None = Field(None, max_length=128)


class UserPatch(Schema):
    full_name: Text | None = Field(None, min_length=1, max_length=150)
    role: RoleName | None = None
    region: Text | None = Field(None, max_length=13)
    email: Text | None = Field(None, max_length=254)
    phone: Text | None = Field(None, max_length=20)
    is_active: bool | None = None


class UserFilter(Schema):
    q: Text = Field("", max_length=80)
    role: RoleName | Literal[""] = ""
    region: Text = Field("", max_length=13)


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict


class AuditFilter(Schema):
    target_type: Text = Field("", max_length=80)
    target_id: Text = Field("", max_length=200)
    actor: Text = Field("", max_length=60)


@router.get("/me", response=UserOut, summary="The signed-in user")
def me(request):
    return request.auth


@router.get("/users", response=list[UserListItem], summary="Users inside the caller's region scope")
@paginate(Pages)
def list_users(request, filters: Query[UserFilter]):
    return selectors.users_for(request.auth, query=filters.q, role=filters.role, region=filters.region)


@router.get("/users/{user_id}", response=UserOut, summary="One user (404 outside the caller's scope)")
def get_user(request, user_id: int):
    return selectors.user_for(request.auth, user_id)


@router.post("/users", response={201: UserOut}, summary="Create a user inside the caller's scope")
def create_user(request, payload: UserIn):
    return Status(201, services.create_user(request.auth, **payload.dict()))


@router.patch("/users/{user_id}", response=UserOut, summary="Change a user inside the caller's scope")
def update_user(request, user_id: int, payload: UserPatch):
    user = selectors.user_for(request.auth, user_id)
    return services.update_user(request.auth, user, **payload.dict(exclude_unset=True))


@router.get("/audit", response=list[AuditOut], tags=["audit"], summary="The audit trail (national officers)")
@paginate(Pages)
def list_audit(request, filters: Query[AuditFilter]):
    return selectors.audit_events(
        request.auth, target_type=filters.target_type, target_id=filters.target_id, actor=filters.actor
    )
