"""Programme budgets over HTTP, for officers: the budgets in the caller's region, and PUT to create
or replace the budget of a region and year (services/budget.py, audited; the aggregates are then
refreshed so cost per job created follows). A region outside the caller's scope is 404; a wrong
field is 422 naming it."""

import datetime as dt

from django.http import Http404
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Text
from sukarela.core.scope import in_scope
from sukarela.monitoring.api import router
from sukarela.monitoring.services import budget as service
from sukarela.monitoring.services import refresh as refreshing
from sukarela.monitoring.views.budget import budgets_for
from sukarela.regions.models import Region

TAGS = ["monitoring"]


class BudgetOut(Schema):
    region: str = Field(..., description='the region code; "" for the national budget')
    region_name: str
    year: int
    amount: int = Field(..., description="Rp")
    note: str
    entered_by: str | None
    entered_at: dt.datetime


class BudgetIn(Schema):
    region: Text | None = Field(None, max_length=13, description='a province or regency code; "" the nation '
                                                                '(national officers only); omitted: the caller\'s own')
    year: int = Field(..., ge=1900, le=9999)
    amount: int = Field(..., gt=0, lt=10**16, description="Rp, whole rupiah")
    note: Text = Field("", max_length=300)


class BudgetSaved(BudgetOut):
    created: bool = Field(..., description="true: a new budget; false: it replaced the region's budget of that year")


def _out(b) -> dict:
    return {"region": b.region_id or "", "region_name": b.region.name.title() if b.region else "Indonesia",
            "year": b.year, "amount": int(b.amount), "note": b.note,
            "entered_by": b.entered_by.username if b.entered_by else None, "entered_at": b.entered_at}


@router.get("/monitoring/budgets", response=list[BudgetOut], tags=TAGS,
            summary="The programme budgets in the caller's region, newest year first")
@paginate(Pages)
def list_budgets(request):
    return [_out(b) for b in budgets_for(api_officer(request))]


@router.put("/monitoring/budgets", response={200: BudgetSaved, 201: BudgetSaved}, tags=TAGS,
            summary="Set the budget of a region and year (creates it or replaces the amount and note)")
def put_budget(request, payload: BudgetIn):
    user = api_officer(request)
    code = (user.scope_code or "") if payload.region is None else payload.region.strip()
    # A known region outside the caller's scope is not theirs to learn about: 404, as in every other parameter.
    if code and not in_scope(user, code) and Region.objects.filter(pk=code).exists():
        raise Http404("Not found")
    budget, created = service.set_budget(user, code, payload.year, payload.amount, payload.note)
    refreshing.refresh()
    return Status(201 if created else 200, {**_out(budget), "created": created})
