"""Assignments over HTTP: run the matching for a cohort, read a run's proposals, publish, and the
postings history. Same services and selectors as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Id, Text
from sukarela.core.scope import get_scoped_or_404
from sukarela.groups.models import Group, Sector
from sukarela.training import selectors as training
from sukarela.assignments import selectors
from sukarela.assignments.models import Boundary, Rule
from sukarela.assignments.services import matching, publishing

router = Router(tags=["assignments"])


class RunIn(Schema):
    max_km: Decimal = Field(Decimal(50), gt=0, le=500, decimal_places=1)
    boundary: Literal[tuple(Boundary.values)] = Boundary.PROVINCE  # type: ignore[valid-type]
    sector_penalty_km: Decimal = Field(Decimal(50), ge=0, le=500, decimal_places=1)
    keep_current: bool = True


class RunOut(Schema):
    id: int
    cohort_id: int
    region: str = Field(..., alias="region_id")
    status: str
    summary: dict
    created_at: datetime
    published_at: datetime | None


class ProposalOut(Schema):
    group: int = Field(..., alias="group_id")
    mentor: int | None = Field(None, alias="mentor_id")
    km: float | None
    sector_fit: bool
    kept: bool
    pinned: bool
    reason: str


class ChangesOut(Schema):
    added: int
    moved: int
    dropped: int
    kept: int


class PostingOut(Schema):
    id: int
    group: int = Field(..., alias="group_id")
    mentor: int = Field(..., alias="mentor_id")
    starts_on: date
    ends_on: date | None


class PostingFilter(Schema):
    current: bool = False


class RuleIn(Schema):
    group: Id
    mentor: Id
    kind: Literal[tuple(Rule.Kind.values)]  # type: ignore[valid-type]


class RuleOut(Schema):
    id: int
    group: int = Field(..., alias="group_id")
    mentor: int = Field(..., alias="mentor_id")
    kind: str


class MentorIn(Schema):
    capacity: int | None = Field(None, ge=1, le=30)
    sectors: list[Text] | None = Field(None, max_length=20, description="sector codes; absent: unchanged")
    lat: float | None = None
    lon: float | None = None
    clear_point: bool = Field(False, description="remove the mentor's own point (their village's is used)")


class MentorOut(Schema):
    user: int = Field(..., alias="user_id")
    capacity: int
    sectors: list[str]
    lat: float | None
    lon: float | None

    @staticmethod
    def resolve_sectors(obj):
        return sorted(obj.sectors.values_list("code", flat=True))


def _counts(changes) -> dict:
    return {"added": len(changes.added), "moved": len(changes.moved), "dropped": len(changes.dropped),
            "kept": len(changes.kept)}


@router.post("/assignments/cohorts/{cohort_id}/runs", response={201: RunOut},
             summary="Match the cohort's graduates to the active groups of its region (a draft to preview)")
def create_run(request, cohort_id: int, payload: RunIn):
    cohort = training.cohort_for(api_officer(request), cohort_id)
    return Status(201, matching.run(request.auth, cohort, **payload.dict()))


@router.get("/assignments/runs/{run_id}", response=RunOut, summary="One run with its summary")
def get_run(request, run_id: int):
    return selectors.run_for(api_officer(request), run_id)


@router.get("/assignments/runs/{run_id}/proposals", response=list[ProposalOut],
            summary="The run's proposal for each group in the caller's scope: mentor and why, or why none")
@paginate(Pages)
def list_proposals(request, run_id: int):
    run = selectors.run_for(api_officer(request), run_id)
    return selectors.proposals_for(request.auth, run)


@router.get("/assignments/runs/{run_id}/changes", response=ChangesOut,
            summary="What publishing this run would change")
def run_changes(request, run_id: int):
    return _counts(publishing.preview(selectors.run_for(api_officer(request), run_id)))


@router.post("/assignments/runs/{run_id}/publish", response=ChangesOut,
             summary="Publish the run: postings start and end today; unchanged pairs stay")
def publish_run(request, run_id: int):
    run = selectors.run_for(api_officer(request), run_id)
    return _counts(publishing.publish(request.auth, run))


@router.get("/assignments/postings", response=list[PostingOut],
            summary="Postings history in the caller's scope (a TKS: their own)")
@paginate(Pages)
def list_postings(request, filters: Query[PostingFilter]):
    return selectors.postings_for(request.auth, current_only=filters.current)


@router.post("/assignments/cohorts/{cohort_id}/rules", response={201: RuleOut},
             summary="Pin or forbid a mentor-group pair for the cohort's next runs")
def add_rule(request, cohort_id: int, payload: RuleIn):
    cohort = training.cohort_for(api_officer(request), cohort_id)
    group = get_scoped_or_404(request.auth, Group.objects.all(), pk=payload.group)
    mentor = next((m for m in matching.mentors_of(cohort) if m.pk == payload.mentor), None)
    if mentor is None:
        raise Http404
    return Status(201, matching.set_rule(request.auth, cohort, group, mentor, payload.kind))


@router.delete("/assignments/rules/{rule_id}", response={204: None}, summary="Remove a pin or a forbid")
def delete_rule(request, rule_id: int):
    matching.remove_rule(request.auth, selectors.rule_for(api_officer(request), rule_id))
    return Status(204, None)


@router.put("/assignments/cohorts/{cohort_id}/mentors/{user_id}", response=MentorOut,
            summary="A graduate's matching profile: capacity, sector skills, own point")
def put_mentor(request, cohort_id: int, user_id: int, payload: MentorIn):
    cohort = training.cohort_for(api_officer(request), cohort_id)
    mentor = next((m for m in matching.mentors_of(cohort) if m.pk == user_id), None)
    if mentor is None:
        raise Http404
    point = {}
    if payload.clear_point:
        point = {"lat": None, "lon": None}
    elif payload.lat is not None or payload.lon is not None:
        point = {"lat": payload.lat, "lon": payload.lon}
    sectors = None if payload.sectors is None else list(Sector.objects.filter(code__in=payload.sectors))
    if sectors is not None and len(sectors) != len(set(payload.sectors)):
        raise ValidationError({"sectors": "Unknown sector code."})
    return matching.set_profile(request.auth, mentor, sectors=sectors, capacity=payload.capacity, **point)
