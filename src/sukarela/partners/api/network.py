"""The partnership network over HTTP, for officers: the graph the network page draws, the figures
the ministry follows, and the paged list of active groups with no linkage (to act on). The same
selectors as the page (partners/selectors/network.py): everything is limited to the caller's scope,
and a `region` outside it yields nothing rather than another region's nodes."""

from typing import Literal

from ninja import Query, Schema
from ninja.pagination import paginate
from pydantic import Field

from sukarela.core.pagination import Pages
from sukarela.core.permissions import api_officer
from sukarela.core.schema_types import Text
from sukarela.partners.api import router
from sukarela.partners.models import LinkageStatus
from sukarela.partners.selectors import network as selectors

StatusValue = Literal["", *LinkageStatus.values]  # type: ignore[valid-type]


class FigureFilter(Schema):
    region: Text = Field("", max_length=13, description="a region code inside (or covering) the caller's scope")
    kind: Text = Field("", max_length=30, description="a partner type code")

    def selected(self, status: str = "") -> selectors.Filters:
        return selectors.Filters(region=self.region, kind=self.kind, status=status)


class GraphFilter(FigureFilter):
    status: StatusValue = Field("", description="only linkages in this status")


class NodeOut(Schema):
    id: str = Field(..., description="g<id> group, p<id> partner, c<id> centre (BLK), t<id> TKS")
    kind: Literal["group", "partner", "centre", "tks"]
    label: str
    partner_type: str | None = None
    visible: bool | None = Field(None, description="partner nodes: whether the caller may open the partner "
                                                   "(GET /api/partners/{id}); a partner of a linkage in the "
                                                   "caller's region need not be one they see")


class EdgeOut(Schema):
    id: str
    source: str
    target: str
    kind: Literal["linkage", "broker"] = Field(..., description="a linkage (group/centre → partner), or the "
                                                                "TKS who brokered a linkage of that group/centre")
    status: str | None = None
    purpose: str | None = None


class GraphOut(Schema):
    node_count: int
    linkage_count: int
    cap: int = Field(..., description="past this many nodes only the counts come back: narrow the region")
    truncated: bool
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class ShareRow(Schema):
    code: str
    name: str
    groups: int
    linked: int
    percent: float


class ShareTotal(Schema):
    groups: int
    linked: int
    percent: float


class ShareOut(Schema):
    level: Literal["province", "regency", "overall"]
    rows: list[ShareRow]
    total: ShareTotal


class CreditRow(Schema):
    code: str
    name: str
    loans: int
    amount: int = Field(..., description="Rp, the sum of value_amount of realised loan linkages")


class CreditTotal(Schema):
    loans: int
    amount: int


class CreditOut(Schema):
    rows: list[CreditRow]
    total: CreditTotal


class PartnerFigure(Schema):
    id: int
    name: str
    kind: str
    realised: int
    amount: int
    people: int
    visible: bool = Field(..., description="whether the caller may open the partner")


class StatusCount(Schema):
    status: str
    label: str
    count: int


class FiguresOut(Schema):
    level: Literal["province", "regency", "overall"]
    share: ShareOut = Field(..., description="active groups with at least one realised linkage")
    credit: CreditOut = Field(..., description="credit realised per province")
    top_partners: list[PartnerFigure] = Field(..., description="the ten partners with the most realised linkages")
    status_counts: list[StatusCount]
    unlinked_groups: int = Field(..., description="active groups with no linkage at all (the list: "
                                                  "/partners/network/unlinked-groups)")


class UnlinkedGroup(Schema):
    id: int
    name: str
    village: str = Field(..., alias="village_id")
    village_name: str
    tks_name: str | None = Field(None, description="the TKS posted to the group now, if any")


@router.get("/partners/network/graph", response=GraphOut, tags=["partners"],
            summary="The network's nodes and edges for the caller's scope (Cytoscape elements)")
def network_graph(request, filters: Query[GraphFilter]):
    user = api_officer(request)
    return selectors.graph(user, filters.selected(filters.status))


@router.get("/partners/network/figures", response=FiguresOut, tags=["partners"],
            summary="The ministry's figures: share of groups with a realised linkage, credit per province, "
                    "top partners, counts by status, groups without a linkage")
def network_figures(request, filters: Query[FigureFilter]):
    user = api_officer(request)
    return selectors.figures(user, filters.selected())


@router.get("/partners/network/unlinked-groups", response=list[UnlinkedGroup], tags=["partners"],
            summary="Active groups with no linkage (with a partner of the type, if given) and their TKS")
@paginate(Pages)
def network_unlinked_groups(request, filters: Query[FigureFilter]):
    user = api_officer(request)
    return selectors.unlinked_groups(user, filters.selected())
