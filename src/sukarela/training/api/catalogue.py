"""Training API: the catalogue a cohort is planned from — curriculum templates and venues.

Same services and selectors as the pages: curricula are read by every officer and written
by national officers; venues are read and written inside the caller's region scope.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Text
from sukarela.training import selectors
from sukarela.training.api import router
from sukarela.training.models import Mode, Module, Venue
from sukarela.training.services import curricula, venues


class ModuleIn(Schema):
    order: int | None = Field(None, ge=1, le=999, description="position in the curriculum; empty: after the last")
    code: Text = Field(..., min_length=1, max_length=20, description="slug, unique in the curriculum")
    title: Text = Field(..., min_length=1, max_length=150)
    outcomes: Text = Field("", max_length=5000)
    planned_hours: int = Field(..., ge=1, le=1000)
    mode: Literal[tuple(Mode.values)] = Mode.CLASSROOM  # type: ignore[valid-type]
    assessment: Text = Field("", max_length=150, description="the assessment that closes the module")
    pass_mark: Decimal = Field(Decimal(70), ge=0, le=100, max_digits=5, decimal_places=2)


class ModuleOut(Schema):
    id: int
    order: int
    code: str
    title: str
    outcomes: str
    planned_hours: int
    mode: str
    assessment: str
    pass_mark: Decimal


class CurriculumIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    description: Text = Field("", max_length=5000)
    modules: list[ModuleIn] = Field(default_factory=list, max_length=100)


class CurriculumOut(Schema):
    id: int
    name: str
    description: str
    created_at: datetime
    total_hours: int
    modules: list[ModuleOut]

    @staticmethod
    def resolve_total_hours(obj) -> int:
        return sum(m.planned_hours for m in obj.modules.all())

    @staticmethod
    def resolve_modules(obj) -> list:
        return list(obj.modules.all())


class VenueIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    kind: Literal[tuple(Venue.Kind.values)] = Venue.Kind.BLK_UPTP  # type: ignore[valid-type]
    region: Text = Field(..., min_length=1, max_length=13, description="Kemendagri code, e.g. 32.01")
    address: Text = Field("", max_length=250)
    capacity: int | None = Field(None, ge=1, le=10_000)


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    region: str = Field(..., alias="region_id")
    region_name: str
    address: str
    capacity: int | None

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.name



def _next_order(curriculum) -> int:
    return (curriculum.modules.order_by("-order").values_list("order", flat=True).first() or 0) + 1


def _add_modules(actor, curriculum, modules: list[dict]) -> None:
    """Add each module, naming the row of a refused one (loc ["body", "modules", 2, "code"])."""
    for index, data in enumerate(modules):
        if data["order"] is None:
            data["order"] = _next_order(curriculum)
        try:
            curricula.add_module(actor, curriculum, **data)
        except ValidationError as exc:
            raise ValidationError({f"modules.{index}.{field}": errors
                                   for field, errors in exc.message_dict.items()}) from exc


def _with_modules(qs):
    return qs.prefetch_related(Prefetch("modules", queryset=Module.objects.order_by("order", "id")))


@router.get("/training/curricula", response=list[CurriculumOut],
            summary="Curriculum templates with their modules in order (officers)")
@paginate(Pages)
def list_curricula(request):
    return _with_modules(selectors.curricula_for(api_officer(request)))


@router.post("/training/curricula", response={201: CurriculumOut},
             summary="Create a curriculum template, optionally with its modules (national)")
def create_curriculum(request, payload: CurriculumIn):
    data = payload.dict()
    modules = data.pop("modules")
    with transaction.atomic():  # a refused module leaves no half-made curriculum behind
        curriculum = curricula.create_curriculum(api_officer(request), **data)
        _add_modules(request.auth, curriculum, modules)
    return Status(201, _with_modules(selectors.curricula_for(request.auth)).get(pk=curriculum.pk))


@router.post("/training/curricula/{curriculum_id}/modules", response={201: ModuleOut},
             summary="Add a module to a curriculum template (national); cohorts already made keep their copy")
def create_module(request, curriculum_id: int, payload: ModuleIn):
    curriculum = selectors.curriculum_for(api_officer(request), curriculum_id)
    data = payload.dict()
    if data["order"] is None:
        data["order"] = _next_order(curriculum)
    return Status(201, curricula.add_module(request.auth, curriculum, **data))


@router.get("/training/venues", response=list[VenueOut], summary="Training venues inside the caller's scope")
@paginate(Pages)
def list_venues(request):
    return selectors.venues_for(api_officer(request)).order_by("region_id", "name")


@router.post("/training/venues", response={201: VenueOut},
             summary="Add a training venue in a region inside the caller's scope")
def create_venue(request, payload: VenueIn):
    data = payload.dict()
    data["region_id"] = data.pop("region").strip()
    venue = venues.create_venue(api_officer(request), **data)
    return Status(201, selectors.venue_for(request.auth, venue.pk))
