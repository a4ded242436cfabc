"""Training API: cohorts, their schedule and participants' progress, scores, graduation, and
the graduates the matching stage posts. Same services and selectors as the pages."""

from datetime import date, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Id, Text
from sukarela.training import selectors
from sukarela.training.api import router
from sukarela.training.models import Curriculum
from sukarela.training.permissions import may_record
from sukarela.training.results import cohort_results
from sukarela.training.services import assessments, cohorts, graduation, sessions
from sukarela.recruitment.models import Campaign


class ModuleOut(Schema):
    id: int
    order: int
    code: str
    title: str
    planned_hours: int
    mode: str
    pass_mark: Decimal
    trainer_id: int | None


class CohortOut(Schema):
    id: int
    name: str
    campaign_id: int
    curriculum_id: int
    region: str = Field(..., alias="region_id")
    venue_id: int | None
    starts_on: date
    ends_on: date
    min_attendance: Decimal
    require_all_modules: bool
    final_pass_mark: Decimal | None
    max_attempts: int


class CohortDetail(CohortOut):
    modules: list[ModuleOut]

    @staticmethod
    def resolve_modules(obj):
        return list(obj.modules.all())


class CohortIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    campaign: Id
    curriculum: Id
    region: Text = Field(..., max_length=13)
    venue: Id | None = None
    starts_on: date
    ends_on: date | None = None
    day_starts_at: time = time(8, 0)
    session_hours: int = Field(4, ge=1, le=8)
    sessions_per_day: int = Field(1, ge=1, le=3)
    skip_cuti_bersama: bool = True
    min_attendance: Decimal = Field(Decimal(80), ge=0, le=100)
    require_all_modules: bool = True
    final_pass_mark: Decimal | None = Field(None, ge=0, le=100)
    max_attempts: int = Field(3, ge=1, le=10)


class SessionOut(Schema):
    id: int
    module: str
    date: date
    starts_at: time
    ends_at: time
    trainer_id: int | None
    venue_id: int | None

    @staticmethod
    def resolve_module(obj):
        return obj.module.code


class ProgressOut(Schema):
    id: int
    username: str
    full_name: str
    status: str
    attendance_rate: float | None
    modules_passed: int
    eligible: bool
    unmet: list[str]


class ScoreIn(Schema):
    module: Text = Field(..., max_length=20, description="Module code, or 'final' for the final assessment")
    score: Decimal = Field(..., ge=0, le=100, decimal_places=2)
    assessed_on: date | None = None
    note: Text = Field("", max_length=200)


class AssessmentOut(Schema):
    id: int
    participant_id: int
    module_id: int | None
    attempt: int
    score: Decimal
    assessed_on: date


class GraduateIn(Schema):
    participants: list[Id] = Field(..., min_length=1, max_length=1000)


class GraduateOut(Schema):
    participant: int = Field(..., alias="id")
    volunteer: int = Field(..., alias="volunteer_id")
    username: str
    full_name: str
    region: str | None
    cohort: int = Field(..., alias="cohort_id")
    graduated_at: object

    @staticmethod
    def resolve_username(obj):
        return obj.volunteer.username

    @staticmethod
    def resolve_full_name(obj):
        return obj.volunteer.full_name

    @staticmethod
    def resolve_region(obj):
        return obj.volunteer.region_id



@router.get("/training/cohorts", response=list[CohortOut], summary="Training cohorts in the caller's scope")
@paginate(Pages)
def list_cohorts(request):
    return selectors.cohorts_for(request.auth)


@router.post("/training/cohorts", response={201: CohortDetail},
             summary="Create a cohort (its modules are copied from the curriculum)")
def create_cohort(request, payload: CohortIn):
    api_officer(request)
    data = payload.dict()
    data["campaign"] = get_object_or_404(Campaign, pk=data["campaign"])
    data["curriculum"] = get_object_or_404(Curriculum, pk=data["curriculum"])
    data["region_id"] = data.pop("region")
    venue = data.pop("venue")
    data["venue"] = selectors.venue_for(request.auth, venue) if venue else None
    return Status(201, cohorts.create_cohort(request.auth, **data))


@router.get("/training/cohorts/{cohort_id}", response=CohortDetail, summary="One cohort with its modules")
def get_cohort(request, cohort_id: int):
    return selectors.cohort_for(request.auth, cohort_id)


@router.get("/training/cohorts/{cohort_id}/sessions", response=list[SessionOut], summary="The cohort's schedule")
def list_sessions(request, cohort_id: int):
    cohort = selectors.cohort_for(request.auth, cohort_id)
    return list(selectors.sessions_for(request.auth, cohort))


@router.post("/training/cohorts/{cohort_id}/schedule", response={201: list[SessionOut]},
             summary="Generate the schedule on working days (replaces it; refused once attendance exists)")
def generate_schedule(request, cohort_id: int):
    cohort = selectors.cohort_for(api_officer(request), cohort_id)
    return Status(201, sessions.generate_schedule(request.auth, cohort))


@router.get("/training/cohorts/{cohort_id}/participants", response=list[ProgressOut],
            summary="Participants with attendance, modules passed and the graduation rules they do not meet")
def list_participants(request, cohort_id: int):
    cohort = selectors.cohort_for(request.auth, cohort_id)
    return _progress(cohort, selectors.participants_for(request.auth, cohort))


def _progress(cohort, participants) -> list[dict]:
    return [{"id": r.participant.pk, "username": r.participant.volunteer.username,
             "full_name": r.participant.volunteer.full_name, "status": r.participant.status,
             "attendance_rate": r.rate, "modules_passed": r.passed_count, "eligible": r.eligible,
             "unmet": r.reasons}
            for r in cohort_results(cohort, participants)]


@router.post("/training/participants/{participant_id}/assessments", response={201: AssessmentOut},
             summary="Record an assessment attempt (a remedial attempt is a new row)")
def record_assessment(request, participant_id: int, payload: ScoreIn):
    participant = selectors.participant_for(request.auth, participant_id)
    if not may_record(request.auth, participant.cohort):
        raise PermissionDenied("Only the cohort's officers and trainers record scores")
    module = None
    if payload.module.lower() not in assessments.FINAL_CODES:
        module = participant.cohort.modules.filter(code=payload.module).first()
        if module is None:
            raise ValidationError({"module": f"Unknown module code in this cohort: {payload.module}"})
    return Status(201, assessments.record_score(request.auth, participant, module, payload.score,
                                                payload.assessed_on, payload.note))


@router.post("/training/cohorts/{cohort_id}/graduation", response=list[ProgressOut],
             summary="Confirm graduation of participants who meet every rule (all or nothing); issues certificates")
def confirm_graduation(request, cohort_id: int, payload: GraduateIn):
    cohort = selectors.cohort_for(api_officer(request), cohort_id)
    return _progress(cohort, graduation.confirm(request.auth, cohort, payload.participants))


@router.get("/training/graduates", response=list[GraduateOut],
            summary="Graduated TKS with an active account in the caller's scope: the mentors matching may post")
@paginate(Pages)
def list_graduates(request):
    return selectors.graduates_for(api_officer(request)).order_by("id")
