"""Recruitment over HTTP: campaigns, quotas, applications, screening, scoring,
imports and selection. Same services and selectors as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.pii import mask
from sukarela.core.schema_types import Text
from sukarela.recruitment import selectors
from sukarela.recruitment.models import AdminStatus, Application, ImportKind, ImportMode, Method, Overflow, Source
from sukarela.recruitment.services import applications, campaigns, imports, notices, quotas, screening, selection

router = Router(tags=["recruitment"])


class RegionWeight(Schema):
    code: Text = Field(..., max_length=13)
    weight: Decimal = Field(1, ge=0, max_digits=14, decimal_places=2)


class RuleIn(Schema):
    key: Text = Field(..., max_length=40)
    statement: Text = Field(..., max_length=200)
    required_answer: bool = True


class CampaignIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    year: int = Field(..., ge=2000, le=2100)
    target_seats: int = Field(..., ge=1, le=10_000_000)
    opens_on: date
    closes_on: date
    screening_closes_on: date | None = None
    published: bool = False
    min_age: int = Field(20, ge=15, le=80)
    max_age: int = Field(35, ge=15, le=80)
    min_education: Literal["SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"] = "D3"
    use_admin_check: bool = True
    test_weight: Decimal = Field(Decimal(60), ge=0, le=999)
    test_pass_mark: Decimal | None = Field(None, ge=0, le=100)
    interview_weight: Decimal = Field(Decimal(40), ge=0, le=999)
    interview_pass_mark: Decimal | None = Field(None, ge=0, le=100)
    household_cap: int | None = Field(2, ge=1, le=100)
    overflow: Literal[tuple(Overflow.values)] = "none"  # type: ignore[valid-type]
    regions: list[RegionWeight] = Field(default_factory=list, max_length=10_000)
    rules: list[RuleIn] = Field(default_factory=list, max_length=50)


class QuotaOut(Schema):
    region: str = Field(..., alias="region_id")
    weight: Decimal
    computed_quota: int | None
    quota: int


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    target_seats: int
    opens_on: date
    closes_on: date
    screening_closes_on: date
    published: bool
    min_age: int
    max_age: int
    min_education: str
    use_admin_check: bool
    test_weight: Decimal
    interview_weight: Decimal
    household_cap: int | None
    overflow: str
    apportion_method: str
    screened_at: datetime | None
    selected_at: datetime | None
    announced_at: datetime | None


class ApportionIn(Schema):
    method: Literal[tuple(Method.values)]  # type: ignore[valid-type]
    minimum: int = Field(0, ge=0, le=1_000_000)


class QuotaPatch(Schema):
    quota: int = Field(..., ge=0, le=10_000_000)
    reason: Text = Field(..., min_length=1, max_length=200)


class RegionSummaryOut(Schema):
    region: str
    name: str
    quota: int
    applicants: int
    eligible: int
    selected: int
    waitlisted: int


class ApplicationIn(Schema):
    """Every field as text, judged by the same rules as the form and the import."""

    nik: Text = Field(..., max_length=40)
    full_name: Text = Field(..., max_length=150)
    birth_date: Text = Field(..., max_length=20, description="YYYY-MM-DD or DD-MM-YYYY")
    sex: Text = Field(..., max_length=20)
    phone: Text = Field(..., max_length=30)
    email: Text = Field("", max_length=254)
    education_level: Text = Field(..., max_length=10)
    education_field: Text = Field("", max_length=100)
    domicile: Text = Field(..., max_length=13, description="village code")
    address: Text = Field(..., max_length=300)
    motivation: Text = Field("", max_length=2000)
    experience: Text = Field("", max_length=2000)
    household_id: Text = Field("", max_length=40)
    consent: bool = Field(..., description="the applicant agreed in writing to the processing purpose")
    declarations: dict[str, bool] = Field(default_factory=dict)


class ApplicationListItem(Schema):
    id: int
    full_name: str
    nik: str | None
    phone: str
    domicile: str = Field(..., alias="domicile_id")
    quota_region: str | None = Field(None, alias="quota_region_id")
    status: str
    eligible: bool | None
    ineligible_rule: str
    admin_status: str
    test_score: Decimal | None
    interview_score: Decimal | None
    score: float | None
    decision: str
    decision_reason: str
    region_rank: int | None
    waitlist_position: int | None

    @staticmethod
    def resolve_nik(obj: Application) -> str:
        return mask("NIK", obj.nik)

    @staticmethod
    def resolve_phone(obj: Application) -> str:
        return mask("PHONE", obj.phone)


class ApplicationOut(ApplicationListItem):
    birth_date: date | None
    sex: str
    email: str
    education_level: str
    education_field: str
    address: str
    household_id: str
    declarations: dict
    seat_region: str | None = Field(None, alias="seat_region_id")
    submitted_at: datetime

    @staticmethod
    def resolve_nik(obj: Application) -> str | None:
        return obj.nik

    @staticmethod
    def resolve_phone(obj: Application) -> str:
        return obj.phone


class ApplicationFilter(Schema):
    q: Text = Field("", max_length=80)
    status: Text = Field("", max_length=10)
    decision: Text = Field("", max_length=12)
    region: Text = Field("", max_length=13)
    eligible: Literal["", "yes", "no", "unchecked"] = ""


class VerificationIn(Schema):
    admin_status: Literal[tuple(AdminStatus.values)]  # type: ignore[valid-type]
    admin_note: Text = Field("", max_length=2000)


class ScoresIn(Schema):
    test_score: Text | None = Field(None, max_length=10)
    interview_score: Text | None = Field(None, max_length=10)


class WithdrawalIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=200)


class SelectionIn(Schema):
    dry_run: bool = False


class SelectionOut(Schema):
    dry_run: bool
    selected: int
    waitlisted: int
    regions: list[RegionSummaryOut]


class ImportOut(Schema):
    id: int
    kind: str
    mode: str
    state: str
    message: str
    total_rows: int
    stored_rows: int
    error_rows: int



@router.get("/campaigns", response=list[CampaignOut], summary="Recruitment campaigns (officers)")
@paginate(Pages)
def list_campaigns(request):
    return selectors.campaigns_for(api_officer(request))


@router.post("/campaigns", response={201: CampaignOut}, summary="Create a campaign with its regions (national)")
def create_campaign(request, payload: CampaignIn):
    data = payload.dict()
    data["screening_closes_on"] = data["screening_closes_on"] or data["closes_on"]  # as the form does
    regions = [(r["code"], r["weight"]) for r in data.pop("regions")]
    rules = data.pop("rules")
    return Status(201, campaigns.create_campaign(request.auth, regions=regions, rules=rules, **data))


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign")
def get_campaign(request, campaign_id: int):
    return selectors.campaign_for(api_officer(request), campaign_id)


@router.put("/campaigns/{campaign_id}/regions", response=list[QuotaOut],
            summary="Replace the campaign's quota regions and weights (national)")
def put_regions(request, campaign_id: int, payload: list[RegionWeight]):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    campaigns.set_regions(request.auth, campaign, [(r.code, r.weight) for r in payload])
    return list(selectors.quota_rows(request.auth, campaign, with_enclosing=True))


@router.get("/campaigns/{campaign_id}/quotas", response=list[QuotaOut],
            summary="Quota regions overlapping the caller's scope")
def list_quotas(request, campaign_id: int):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    return list(selectors.quota_rows(request.auth, campaign, with_enclosing=True))


@router.post("/campaigns/{campaign_id}/apportion", response=list[QuotaOut],
             summary="Split the target seats over the regions by weight (national)")
def apportion(request, campaign_id: int, payload: ApportionIn):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    quotas.apportion_quotas(request.auth, campaign, payload.method, payload.minimum)
    return list(selectors.quota_rows(request.auth, campaign, with_enclosing=True))


@router.patch("/campaigns/{campaign_id}/quotas/{code}", response=QuotaOut,
              summary="Adjust one region's quota by hand, with a reason (national)")
def patch_quota(request, campaign_id: int, code: str, payload: QuotaPatch):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    row = selectors.quota_row_for(request.auth, campaign, code)
    return quotas.adjust_quota(request.auth, row, payload.quota, payload.reason)


@router.get("/campaigns/{campaign_id}/summary", response=list[RegionSummaryOut],
            summary="Per quota region: quota, applicants, eligible, selected, waitlisted")
def campaign_summary(request, campaign_id: int):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    visible = {r.region_id for r in selectors.quota_rows(request.auth, campaign)}
    return [r for r in selection.summary(campaign) if r.region in visible]


@router.get("/campaigns/{campaign_id}/applications", response=list[ApplicationListItem],
            summary="Applications inside the caller's scope (NIK and phone masked)")
@paginate(Pages)
def list_applications(request, campaign_id: int, filters: Query[ApplicationFilter]):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    return selectors.applications_for(request.auth, campaign, **filters.dict())


@router.post("/campaigns/{campaign_id}/applications", response={201: ApplicationOut},
             summary="Enter an application for an applicant in the caller's scope")
def create_application(request, campaign_id: int, payload: ApplicationIn):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    raw = payload.dict()
    declarations = raw.pop("declarations")
    raw["consent"] = "ya" if raw["consent"] else ""
    rules = set(campaign.declaration_rules.values_list("key", flat=True))
    unknown = sorted(set(declarations) - rules)
    if unknown:  # a declaration is never allowed to stand in for a field (e.g. consent)
        raise DjangoValidationError({"declarations": _("Pernyataan tidak dikenal: %(k)s") % {"k": ", ".join(unknown)}})
    raw.update({k: ("ya" if v else "tidak") for k, v in declarations.items()})
    app, token = applications.submit(campaign, raw, actor=request.auth, source=Source.STAFF)
    notices.send_receipt(app, token)
    return Status(201, app)


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application, in full")
def get_application(request, application_id: int):
    return selectors.application_for(request.auth, application_id)


@router.post("/applications/{application_id}/verification", response=ApplicationOut,
             summary="Record the administrative check")
def verify(request, application_id: int, payload: VerificationIn):
    app = selectors.application_for(request.auth, application_id)
    return applications.verify(request.auth, app, payload.admin_status, payload.admin_note)


@router.post("/applications/{application_id}/scores", response=ApplicationOut,
             summary="Record test and/or interview scores (0-100)")
def scores(request, application_id: int, payload: ScoresIn):
    app = selectors.application_for(request.auth, application_id)
    return applications.set_scores(request.auth, app, **payload.dict(exclude_unset=True))


@router.post("/applications/{application_id}/withdrawal", response=ApplicationOut,
             summary="Withdraw an application on the applicant's behalf; a selectee's seat goes to the waitlist")
def withdraw(request, application_id: int, payload: WithdrawalIn):
    app = selectors.application_for(request.auth, application_id)
    applications.withdraw(app, actor=request.auth, reason=payload.reason)
    return selectors.application_for(request.auth, application_id)


@router.post("/campaigns/{campaign_id}/screening", response=dict[str, int],
             summary="Run the eligibility check over every application (national)")
def screen(request, campaign_id: int):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    return screening.screen(request.auth, campaign)


@router.post("/campaigns/{campaign_id}/selection", response=SelectionOut,
             summary="Rank and select within each region's quota (national); dry_run writes nothing")
def select(request, campaign_id: int, payload: SelectionIn):
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    result = selection.run(request.auth, campaign, dry_run=payload.dry_run)
    return {"dry_run": result.dry_run, "selected": result.selected, "waitlisted": result.waitlisted,
            "regions": [r.__dict__ for r in result.rows]}


@router.post("/campaigns/{campaign_id}/imports", response={201: ImportOut},
             summary="Import a CSV/XLSX file of applications or scores; answers when done")
def create_import(request, campaign_id: int, file: File[UploadedFile],
                  kind: Form[Literal[tuple(ImportKind.values)]] = "applications",  # type: ignore[valid-type]
                  mode: Form[Literal[tuple(ImportMode.values)]] = "valid"):  # type: ignore[valid-type]
    campaign = selectors.campaign_for(api_officer(request), campaign_id)
    job = imports.start(request.auth, campaign, kind, mode, file)
    return Status(201, imports.run(job.pk))


@router.get("/imports/{import_id}", response=ImportOut, summary="An import job and its outcome")
def get_import(request, import_id: int):
    return selectors.import_for(request.auth, import_id)
