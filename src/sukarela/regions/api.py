"""Region lookups for pickers and clients. Public: regions are reference data."""

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from sukarela.core.schema_types import Text
from sukarela.regions import selectors
from sukarela.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent: str | None = Field(None, alias="parent_id")
    postal_code: str


class RegionFilter(Schema):
    parent: Text | None = Field(None, description="Parent code; empty lists the 38 provinces", max_length=13)
    q: Text | None = Field(None, description="Search by name or code prefix (2+ characters)", max_length=80)
    max_level: int = Field(4, ge=1, le=4)


@router.get("/regions", response=list[RegionOut], auth=None, summary="Child regions or a search")
def list_regions(request, filters: Query[RegionFilter]):
    if filters.q:
        return selectors.search(filters.q, root=filters.parent or "", max_level=filters.max_level)
    if filters.parent and selectors.get(filters.parent) is None:
        raise Http404("Unknown region code")
    return list(selectors.children(filters.parent))


@router.get("/regions/{code}", response=RegionOut, auth=None, summary="One region by Kemendagri code")
def get_region(request, code: str) -> Region:
    region = selectors.get(code)
    if region is None:
        raise Http404("Unknown region code")
    return region
