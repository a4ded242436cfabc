"""The supervisors' review over HTTP: the filtered list of visits, one visit, approve or return,
the automatic flags, and a group's indicator trend. The same selectors and services as the pages:
an object outside the caller's scope answers 404; review and flags are for officers (403 for a
TKS or a group chair)."""

import datetime as dt
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Query, Schema
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Id, Text
from sukarela.groups.selectors import group_for
from sukarela.mentoring.api import router
from sukarela.mentoring.models import Flag, ReviewStatus, Task, TksRole
from sukarela.mentoring.selectors import flags as flag_selectors
from sukarela.mentoring.selectors import review as selectors
from sukarela.mentoring.selectors import visit_for
from sukarela.mentoring.services import review as service
from sukarela.mentoring.services.review import MAX_COMMENT


class VisitFilter(Schema):
    tks: Id | None = Field(None, description="the TKS's user id")
    group: Id | None = Field(None, description="the group's id")
    tks_name: Text = Field("", max_length=100, description="part of the TKS's name")
    group_name: Text = Field("", max_length=100, description="part of the group's name")
    date_from: dt.date | None = Field(None, description="visits started on or after this day (local time)")
    date_to: dt.date | None = Field(None, description="visits started on or before this day (local time)")
    role: Literal["", *TksRole.values] = ""  # type: ignore[valid-type]
    task: Literal["", *Task.values] = ""  # type: ignore[valid-type]
    status: Literal["", *ReviewStatus.values] = ""  # type: ignore[valid-type]
    flag: Literal["", *Flag.values] = ""  # type: ignore[valid-type]
    overdue: bool = Field(False, description="only visits with a follow-up past its due day and not done")


class VisitRow(Schema):
    id: UUID
    tks: int = Field(..., alias="tks_id")
    tks_name: str
    group: int = Field(..., alias="group_id")
    group_name: str
    kind: str
    title: str
    started_at: dt.datetime
    duration_minutes: int
    roles: list[str]
    tasks: list[str]
    status: str
    flags: list[str]
    km_from_group: float | None
    reviewed_at: dt.datetime | None
    confirmed_by_chair_at: dt.datetime | None

    @staticmethod
    def resolve_tks_name(obj) -> str:
        return obj.tks.full_name

    @staticmethod
    def resolve_group_name(obj) -> str:
        return obj.group.name


class NamedOut(Schema):
    id: int
    full_name: str


class FollowUpOut(Schema):
    id: int
    action: str
    due_on: dt.date
    done_on: dt.date | None


class IndicatorOut(Schema):
    id: UUID
    recorded_on: dt.date
    turnover: Decimal | None
    capital: Decimal | None
    active_members: int | None
    new_workers: int | None
    products: str
    price: Decimal | None
    aid_spent_tools: Decimal | None
    aid_spent_materials: Decimal | None
    lpj_done: bool


class PhotoOut(Schema):
    id: UUID
    size: int
    content_type: str
    complete: bool
    url: str | None = Field(None, description="the scoped photo view (signed-in session); null until complete")


class TaskFieldOut(Schema):
    label: str
    value: str


class TaskOut(Schema):
    value: str
    label: str
    fields: list[TaskFieldOut]


class HistoryOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    comment: str


class VisitDetail(VisitRow):
    place: str
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    details: dict
    task_details: list[TaskOut]
    notes: str
    innovation: str
    attendance: list[NamedOut]
    follow_ups: list[FollowUpOut]
    indicators: IndicatorOut | None
    photos: list[PhotoOut]
    review_comment: str
    reviewed_by: str | None
    version: int
    received_at: dt.datetime
    history: list[HistoryOut]

    @staticmethod
    def resolve_task_details(obj) -> list:
        return [{"value": t.value, "label": str(t.label),
                 "fields": [{"label": str(label), "value": str(value)} for label, value in t.fields]}
                for t in selectors.task_sections(obj)]

    @staticmethod
    def resolve_attendance(obj) -> list:
        return selectors.attendance_of(obj)

    @staticmethod
    def resolve_follow_ups(obj) -> list:
        return list(obj.follow_ups.all())

    @staticmethod
    def resolve_photos(obj) -> list:
        return [{"id": p.id, "size": p.size, "content_type": p.content_type, "complete": p.complete,
                 "url": reverse("mentoring:visit_photo", args=[obj.pk, p.pk]) if p.complete else None}
                for p in obj.photos.all()]

    @staticmethod
    def resolve_reviewed_by(obj) -> str | None:
        return obj.reviewed_by.full_name if obj.reviewed_by else None

    @staticmethod
    def resolve_history(obj) -> list:
        return [{"at": e.at, "actor": e.actor_label, "action": e.action, "comment": e.comment}
                for e in selectors.review_history(obj)]


class ReviewIn(Schema):
    decision: Literal["approve", "return"]
    comment: Text = Field("", max_length=MAX_COMMENT, description="required when returning")
    version: int | None = Field(None, ge=1, le=2**31 - 1,
                                description="the version the reviewer read; refused when the visit changed since")


class QuietGroupOut(Schema):
    id: int
    name: str
    village: str = Field(..., alias="village_id")
    mentor: int | None = Field(None, alias="mentor_id")
    mentor_name: str | None
    posted_since: dt.date
    last_visit: dt.datetime | None


class QuietTksOut(Schema):
    id: int
    full_name: str
    n_groups: int
    posted_since: dt.date
    last_visit: dt.datetime | None


class FlagCountOut(Schema):
    flag: str
    label: str
    total: int
    waiting: int


class FlagsFilter(Schema):
    limit: int = Field(50, ge=1, le=500, description="rows of each quiet list (at most 500)")
    offset: int = Field(0, ge=0, le=10**9, description="rows of each quiet list to skip")


class FlagsOut(Schema):
    group_quiet_weeks: int
    tks_quiet_days: int
    far_km: float
    quiet_groups_count: int = Field(..., description="all quiet groups in scope; `quiet_groups` holds a page")
    quiet_groups: list[QuietGroupOut]
    quiet_tks_count: int
    quiet_tks: list[QuietTksOut]
    visits: list[FlagCountOut] = Field(..., description="per flag; list them with GET /api/mentoring/visits?flag=")
    overdue_follow_ups: int = Field(..., description="follow-ups past due and not done; their visits: "
                                                     "GET /api/mentoring/visits?overdue=true")


@router.get("/mentoring/visits", response=list[VisitRow], tags=["mentoring"],
            summary="Visits in the caller's scope, newest first (officers: their region; a TKS: their own)")
@paginate(Pages)
def list_visits(request, filters: Query[VisitFilter]):
    return selectors.review_visits(request.auth, selectors.VisitFilters(**filters.dict()))


@router.get("/mentoring/visits/{visit_id}", response=VisitDetail, tags=["mentoring"],
            summary="One visit with everything it recorded and its review history")
def get_visit(request, visit_id: UUID):
    return selectors.visit_detail(request.auth, visit_id)


@router.post("/mentoring/visits/{visit_id}/review", response=VisitDetail, tags=["mentoring"],
             summary="Approve the visit, or return it to its TKS with a comment (officers)")
def review_visit(request, visit_id: UUID, payload: ReviewIn):
    visit = visit_for(api_officer(request), visit_id)
    if payload.decision == "approve":
        if payload.comment.strip():
            raise ValidationError({"comment": "A comment goes with a return; an approval takes none."})
        service.approve(request.auth, visit, version=payload.version)
    else:
        service.return_visit(request.auth, visit, payload.comment, version=payload.version)
    return selectors.visit_detail(request.auth, visit_id)


@router.get("/mentoring/flags", response=FlagsOut, tags=["mentoring"],
            summary="Automatic flags in the caller's scope: quiet groups and TKS (a page of each, with the count), "
                    "far and overlapping visits, overdue follow-ups")
def get_flags(request, filters: Query[FlagsFilter]):
    user = api_officer(request)
    t = selectors.thresholds()
    window = slice(filters.offset, filters.offset + filters.limit)
    groups, tks = flag_selectors.quiet_groups(user), flag_selectors.quiet_tks(user)
    return {"group_quiet_weeks": t["group_weeks"], "tks_quiet_days": t["tks_days"], "far_km": t["far_km"],
            "quiet_groups_count": groups.count(), "quiet_groups": list(groups[window]),
            "quiet_tks_count": tks.count(), "quiet_tks": list(tks[window]),
            "visits": [{"flag": c.flag, "label": str(c.label), "total": c.total, "waiting": c.waiting}
                       for c in flag_selectors.flagged_visit_counts(user)],
            "overdue_follow_ups": flag_selectors.overdue_follow_ups(user).count()}


@router.get("/groups/{group_id}/indicators", response=list[IndicatorOut], tags=["groups"],
            summary="The group's indicator snapshots, oldest first (the trend series)")
def group_indicators(request, group_id: int):
    return selectors.indicator_trend(request.auth, group_for(request.auth, group_id))
