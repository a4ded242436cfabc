"""Records the phone sends besides visits, under /api/field/: a group's monthly indicator snapshot
(idempotent by the id the phone made, like a visit) and a follow-up marked done. A follow-up is
marked through the scope: the visit's TKS, or an officer whose region holds the group (the same
operation serves both); anybody else learns 404."""

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from sukarela.core.schema_types import Id
from sukarela.core.scope import get_scoped_or_404
from sukarela.groups.models import Group
from sukarela.mentoring.api import router
from sukarela.mentoring.api.field import IndicatorsIn
from sukarela.mentoring.models import FollowUp
from sukarela.mentoring.services import follow_ups as follow_up_services
from sukarela.mentoring.services import indicators as indicator_services
from sukarela.mentoring.services import visits as visit_services


class IndicatorRecordIn(Schema):
    group: Id = Field(..., description="a group posted to the caller")
    recorded_on: dt.date | None = Field(None, description="the day the values describe; today when not given")
    indicators: IndicatorsIn = Field(..., description="as in a visit; `id` is the idempotency key")


class IndicatorRecordOut(Schema):
    id: UUID
    group: int
    recorded_on: dt.date
    turnover: int | None
    capital: int | None
    active_members: int | None
    new_workers: int | None
    products: str
    price: int | None
    aid_spent_tools: int | None
    aid_spent_materials: int | None
    lpj_done: bool


class IndicatorConflictOut(Schema):
    detail: str
    server: IndicatorRecordOut


class FollowUpDoneIn(Schema):
    done_on: dt.date | None = Field(None, description="the day it was done; today when not given")


class FollowUpDoneOut(Schema):
    id: int
    visit: UUID
    action: str
    due_on: dt.date
    done_on: dt.date | None


def _snapshot_json(snapshot) -> dict:
    out = {"id": str(snapshot.pk), "group": snapshot.group_id, "recorded_on": snapshot.recorded_on}
    for name in indicator_services.FIELDS:
        value = getattr(snapshot, name)
        out[name] = int(value) if value is not None and not isinstance(value, (bool, str)) else value
    return out


@router.post("/field/indicators", response={200: IndicatorRecordOut, 201: IndicatorRecordOut,
                                            409: IndicatorConflictOut}, tags=["field"],
             summary="Record a group's indicators outside a visit (monthly); the same id again with the same "
                     "values answers 200, with other values 409 with the stored snapshot")
def record_indicators(request, payload: IndicatorRecordIn):
    user = request.auth
    visit_services.require_tks(user)
    group = Group.objects.filter(pk=payload.group).first()
    if group is None or not indicator_services.may_record(user, group):
        raise ValidationError({"group": _("Kelompok ini tidak sedang Anda dampingi.")})
    try:
        snapshot, created = indicator_services.record(user, group, payload.indicators.model_dump(),
                                                      recorded_on=payload.recorded_on)
    except indicator_services.Conflict as exc:
        return JsonResponse({"detail": exc.message, "server": _snapshot_json(exc.snapshot)}, status=409)
    return Status(201 if created else 200, _snapshot_json(snapshot))


@router.post("/field/follow-ups/{follow_up_id}/done", response=FollowUpDoneOut, tags=["field"],
             summary="Mark a follow-up done (the visit's TKS, or an officer of the group's region); "
                     "asking again answers the same")
def follow_up_done(request, follow_up_id: int, payload: FollowUpDoneIn):
    row = get_scoped_or_404(request.auth, FollowUp.objects.select_related("visit", "visit__group"), pk=follow_up_id)
    row, _changed = follow_up_services.mark_done(request.auth, row, payload.done_on)
    return {"id": row.pk, "visit": row.visit_id, "action": row.action, "due_on": row.due_on, "done_on": row.done_on}
