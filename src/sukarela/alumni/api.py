"""Alumni over HTTP: the list (filters: cohort, latest status, region), one alumnus with the outcome
history and surveys, an officer's outcome, and the survey response rates per cohort. The same
selectors and services as the pages: out of scope answers 404; writes and rates are for officers
(403 otherwise). The survey form itself is page-only (the private link in the mail)."""

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, field_validator

from sukarela.alumni import selectors
from sukarela.alumni.models import Employment
from sukarela.alumni.services import outcomes, surveys
from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Id, Text

router = Router(tags=["alumni"])


class AlumniFilter(Schema):
    cohort: Id | None = Field(None, description="the training cohort's id")
    status: Literal["", "none", *Employment.values] = Field(  # type: ignore[valid-type]
        "", description="the latest outcome's status; 'none' for alumni with no outcome yet")
    region: Text = Field("", max_length=13, description="Kemendagri code: alumni whose TKS region lies at or below it")


class AlumniRow(Schema):
    id: int
    tks: int = Field(..., alias="tks_id")
    tks_name: str
    region: str | None = Field(None, alias="tks.region_id")
    cohort: int | None = Field(None, alias="cohort_id")
    cohort_name: str | None
    posting_ended_on: dt.date
    latest_status: str | None
    latest_as_of: dt.date | None

    @staticmethod
    def resolve_tks_name(obj) -> str:
        return obj.tks.full_name

    @staticmethod
    def resolve_cohort_name(obj) -> str | None:
        return obj.cohort.name if obj.cohort_id else None


class OutcomeOut(Schema):
    id: int
    as_of: dt.date
    status: str
    organisation: str
    jobs_created: int | None
    note: str
    source: str
    survey: int | None = Field(None, alias="survey_id")
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.full_name if obj.recorded_by_id else None


class SurveyOut(Schema):
    id: int
    wave: int
    due_on: dt.date
    sent_at: dt.datetime | None
    expires_at: dt.datetime | None
    answered_at: dt.datetime | None
    link: str = Field(..., description="unsent, open (waiting for the answer), expired or used (answered)")

    @staticmethod
    def resolve_link(obj) -> str:
        return surveys.state_of(obj) if obj.sent_at else "unsent"


class AlumniDetail(AlumniRow):
    has_email: bool
    outcomes: list[OutcomeOut]
    surveys: list[SurveyOut]

    @staticmethod
    def resolve_has_email(obj) -> bool:
        return bool(obj.tks.email)

    @staticmethod
    def resolve_outcomes(obj) -> list:
        return list(selectors.outcomes_of(obj))

    @staticmethod
    def resolve_surveys(obj) -> list:
        return list(selectors.surveys_of(obj))


class OutcomeIn(Schema):
    as_of: dt.date
    status: Literal[*Employment.values]  # type: ignore[valid-type]
    organisation: Text = Field("", max_length=200)
    jobs_created: int | None = Field(None, ge=0, le=outcomes.MAX_JOBS,
                                     description="people working for the alumnus's own business or incubator")
    note: Text = Field("", max_length=300)


class RateOut(Schema):
    cohort: int | None = Field(None, description="null: alumni recorded by hand without a cohort")
    cohort_name: str
    sent: int
    answered: int
    rate: float | None = Field(None, description="answered per sent, percent; null before anything was sent")


class RatesOut(Schema):
    wave: int | None
    cohorts: list[RateOut]
    total: RateOut


class RatesFilter(Schema):
    wave: int | None = Field(None, description="one wave only: 6 or 12 (months after the posting)")

    @field_validator("wave")
    @classmethod
    def _known_wave(cls, value):
        if value is not None and value not in surveys.WAVES:
            raise ValueError("6 or 12")
        return value


@router.get("/alumni/response-rates", response=RatesOut,
            summary="Tracer-survey response rates per cohort of the caller's alumni (officers)")
def response_rates(request, filters: Query[RatesFilter]):
    rows, total = selectors.response_rates(api_officer(request), filters.wave)

    def out(r):
        return {"cohort": r.cohort_id, "cohort_name": r.cohort, "sent": r.sent, "answered": r.answered,
                "rate": r.rate}
    return {"wave": filters.wave, "cohorts": [out(r) for r in rows], "total": out(total)}


@router.get("/alumni", response=list[AlumniRow],
            summary="Alumni in the caller's scope, latest posting end first (a TKS: their own record)")
@paginate(Pages)
def list_alumni(request, filters: Query[AlumniFilter]):
    return selectors.alumni_for(request.auth, **filters.dict())


@router.get("/alumni/{alumni_id}", response=AlumniDetail, summary="One alumnus with the outcome history and surveys")
def get_alumni(request, alumni_id: Id):
    return selectors.alumni_detail(request.auth, alumni_id)


@router.post("/alumni/{alumni_id}/outcomes", response={201: OutcomeOut},
             summary="Record a dated outcome (officers of the alumnus's region); outcomes are never overwritten")
def add_outcome(request, alumni_id: Id, payload: OutcomeIn):
    record = selectors.alumni_detail(api_officer(request), alumni_id)
    return Status(201, outcomes.add_outcome(request.auth, record, **payload.dict()))
