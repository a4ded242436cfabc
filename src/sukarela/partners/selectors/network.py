"""The partnership network for officers: the graph (groups, partners, BLK centres and TKS as nodes;
linkages and broker ties as edges) and the figures the ministry follows.

Scope: a linkage belongs to the region of its group's village or of its centre (partners/models.py);
an officer sees the linkages, and so the nodes, of their scope only. A region filter narrows within
that scope and never widens it: a code outside the scope yields nothing, one covering it (a district
officer asking for the whole province) yields the scope.

Every figure is one aggregate query (plus one for the names of the regions it groups by), never a
query per row: the page and the API stay fast on a national register.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr

from sukarela.assignments.models import Posting
from sukarela.core.permissions import is_officer
from sukarela.groups.models import Group, GroupStatus
from sukarela.partners.models import Linkage, LinkageStatus, Partner, Purpose
from sukarela.partners.selectors import visible_q
from sukarela.regions.models import Region, subtree_q, within

# Beyond this many nodes the page shows the figures only and asks to narrow the region: cose on a
# phone takes seconds at this size, and a picture of more nodes shows nothing anyone can read.
NODE_CAP = 1500
TOP_PARTNERS = 10

# Width of a Kemendagri code at each level (fixed: "32", "32.01"); figures group by a code prefix.
PROVINCE_WIDTH, REGENCY_WIDTH = 2, 5
NOWHERE = "-"  # the root of a filter that leaves nothing


@dataclass(frozen=True)
class Filters:
    region: str = ""  # a region code; narrows within the caller's scope
    kind: str = ""  # a partner type code
    status: str = ""  # a linkage status (the graph only: each figure says which statuses it counts)


def root_for(user, region: str = "") -> str | None:
    """The region the caller looks at: "" the whole country, a code, or NOWHERE; None for a
    caller who sees no network at all (not an officer)."""
    if not is_officer(user):
        return None
    scope = user.scope_code
    if scope is None:
        return NOWHERE
    region = (region or "").strip()
    if not region:
        return scope
    if "\x00" in region:  # no region has one, and PostgreSQL refuses it in a query
        return NOWHERE
    if scope == "" or within(region, scope):
        return region
    if within(scope, region):
        return scope
    return NOWHERE


def _root_q(path: str, root: str) -> Q:
    if root == "":
        return Q()
    if root == NOWHERE:
        return Q(pk__in=[])
    return subtree_q(path, root)


def linkages(user, filters: Filters, *, with_status: bool = True):
    """Linkages the caller sees under the filters (group's village or centre's region in the root)."""
    root = root_for(user, filters.region)
    if root is None:
        return Linkage.objects.none()
    qs = Linkage.objects.all()
    if root != "":
        qs = qs.filter(_root_q("group__village__code", root) | _root_q("centre__region__code", root))
    if filters.kind:
        qs = qs.filter(partner__kind_id=filters.kind)
    if with_status and filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def active_groups(user, filters: Filters):
    root = root_for(user, filters.region)
    if root is None:
        return Group.objects.none()
    return Group.objects.filter(_root_q("village__code", root), status=GroupStatus.ACTIVE)


def visible_partners(user, ids) -> set[int]:
    """Which of these partners `user` may open. A linkage in the officer's region may join a partner
    they do not see (a Sukabumi foundation lending to a Bogor group, seen from Bogor, serves Bogor;
    the same linkage seen from the province need not): such a partner is shown by name, without a
    link that would answer 404."""
    ids = set(ids)
    if not ids:
        return set()
    if is_officer(user) and user.scope_code == "":
        return ids
    return set(Partner.objects.filter(visible_q(user), pk__in=ids).values_list("pk", flat=True))


# ----------------------------------------------------------------------------- graph

def graph(user, filters: Filters, cap: int | None = None) -> dict:
    """Cytoscape's elements: nodes {id, kind, label[, partner_type, visible]} and edges {id, source, target,
    kind ("linkage" with status and purpose, or "broker")}. Past the cap, only the counts."""
    cap = NODE_CAP if cap is None else cap
    qs = linkages(user, filters)
    counts = qs.aggregate(groups=Count("group", distinct=True), centres=Count("centre", distinct=True),
                          partners=Count("partner", distinct=True), tks=Count("broker", distinct=True),
                          edges=Count("id"))
    node_count = counts["groups"] + counts["centres"] + counts["partners"] + counts["tks"]
    out = {"node_count": node_count, "linkage_count": counts["edges"], "cap": cap, "truncated": node_count > cap,
           "nodes": [], "edges": []}
    if out["truncated"] or not node_count:
        return out
    rows = qs.order_by("id").values_list("id", "group_id", "group__name", "centre_id", "centre__name", "partner_id",
                                         "partner__name", "partner__kind_id", "broker_id", "broker__full_name",
                                         "status", "purpose")
    nodes: dict[str, dict] = {}
    edges, brokered = [], set()
    for pk, group, group_name, centre, centre_name, partner, partner_name, kind, broker, broker_name, status, \
            purpose in rows:
        end = f"g{group}" if group else f"c{centre}"
        nodes.setdefault(end, {"id": end, "kind": "group" if group else "centre",
                               "label": group_name if group else centre_name})
        nodes.setdefault(f"p{partner}", {"id": f"p{partner}", "kind": "partner", "label": partner_name,
                                         "partner_type": kind})
        edges.append({"id": f"l{pk}", "source": end, "target": f"p{partner}", "kind": "linkage",
                      "status": status, "purpose": purpose})
        if broker:
            nodes.setdefault(f"t{broker}", {"id": f"t{broker}", "kind": "tks", "label": broker_name})
            if (broker, end) not in brokered:
                brokered.add((broker, end))
                edges.append({"id": f"b{broker}-{end}", "source": f"t{broker}", "target": end, "kind": "broker"})
    seen = visible_partners(user, (int(n["id"][1:]) for n in nodes.values() if n["kind"] == "partner"))
    for n in nodes.values():
        if n["kind"] == "partner":
            n["visible"] = int(n["id"][1:]) in seen
    out["nodes"], out["edges"] = list(nodes.values()), edges
    return out


# ----------------------------------------------------------------------------- figures

def level_for(root: str | None) -> str:
    """What the share figure is broken down by: provinces for the whole country, regencies for a
    province, nothing below (one overall row)."""
    if root == "":
        return "province"
    if root and root != NOWHERE and len(root) == PROVINCE_WIDTH:
        return "regency"
    return "overall"


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _realised(kind: str, **outer):
    qs = Linkage.objects.filter(status=LinkageStatus.REALISED, **outer)
    return qs.filter(partner__kind_id=kind) if kind else qs


def _names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


def share_linked(user, filters: Filters) -> dict:
    """Active groups with at least one realised linkage (with a partner of the chosen type), per
    province, per regency or overall: rows {code, name, groups, linked, percent} and the total."""
    root = root_for(user, filters.region)
    level = level_for(root)
    linked = Exists(_realised(filters.kind, group=OuterRef("pk")))
    qs = active_groups(user, filters)
    if level == "overall":
        rows = [{"code": root if root not in (None, NOWHERE) else "", **qs.aggregate(
            groups=Count("id"), linked=Count("id", filter=linked))}]
    else:
        width = PROVINCE_WIDTH if level == "province" else REGENCY_WIDTH
        rows = list(qs.annotate(code=Substr("village_id", 1, width)).values("code")
                    .annotate(groups=Count("id"), linked=Count("id", filter=linked)).order_by("code"))
    names = _names(r["code"] for r in rows if r["code"])
    for r in rows:
        r["name"] = names.get(r["code"], "")
        r["percent"] = _percent(r["linked"], r["groups"])
    groups, done = sum(r["groups"] for r in rows), sum(r["linked"] for r in rows)
    if level == "overall" and not groups:
        rows = []
    return {"level": level, "rows": rows, "total": {"groups": groups, "linked": done,
                                                     "percent": _percent(done, groups)}}


def credit_per_province(user, filters: Filters) -> dict:
    """Realised loans (purpose pinjaman), summed per province of the group or centre: rows
    {code, name, loans, amount} by amount, and the total."""
    place = Coalesce(F("group__village_id"), F("centre__region_id"), output_field=CharField())
    qs = (linkages(user, filters, with_status=False).filter(status=LinkageStatus.REALISED, purpose=Purpose.LOAN)
          .annotate(code=Substr(place, 1, PROVINCE_WIDTH)).values("code")
          .annotate(loans=Count("id"), amount=Coalesce(Sum("value_amount"), Value(Decimal(0))))
          .order_by("-amount", "code"))
    rows = list(qs)
    names = _names(r["code"] for r in rows)
    for r in rows:
        r["name"] = names.get(r["code"], "")
        r["amount"] = int(r["amount"])
    return {"rows": rows, "total": {"loans": sum(r["loans"] for r in rows),
                                    "amount": sum(r["amount"] for r in rows)}}


def top_partners(user, filters: Filters, limit: int = TOP_PARTNERS) -> list[dict]:
    """Partners with the most realised linkages in the root: {id, name, kind, realised, amount, people,
    visible (whether the caller may open the partner)}."""
    qs = (linkages(user, filters, with_status=False).filter(status=LinkageStatus.REALISED)
          .values("partner_id").annotate(name=F("partner__name"), kind=F("partner__kind__name"), realised=Count("id"),
                                         amount=Sum("value_amount"), people=Sum("people_trained"))
          .order_by("-realised", "name", "partner_id")[:limit])
    rows = list(qs)
    seen = visible_partners(user, (r["partner_id"] for r in rows))
    return [{"id": r["partner_id"], "name": r["name"], "kind": r["kind"], "realised": r["realised"],
             "amount": int(r["amount"] or 0), "people": r["people"] or 0, "visible": r["partner_id"] in seen}
            for r in rows]


def status_counts(user, filters: Filters) -> list[dict]:
    """Linkages per status, in pipeline order, zeros included: {status, label, count}."""
    counted = dict(linkages(user, filters, with_status=False).order_by().values("status")
                   .annotate(n=Count("id")).values_list("status", "n"))
    return [{"status": value, "label": str(label), "count": counted.get(value, 0)}
            for value, label in LinkageStatus.choices]


def unlinked_groups(user, filters: Filters):
    """Active groups with no linkage at all (with a partner of the chosen type), with their current
    TKS: what an office acts on. Rows carry village_name and tks_name (one query, no per-row reads)."""
    any_linkage = Linkage.objects.filter(group=OuterRef("pk"))
    if filters.kind:
        any_linkage = any_linkage.filter(partner__kind_id=filters.kind)
    tks = Posting.objects.filter(group=OuterRef("pk"), ends_on__isnull=True).values("mentor__full_name")[:1]
    return (active_groups(user, filters).filter(~Exists(any_linkage))
            .annotate(village_name=F("village__name"), tks_name=Subquery(tks, output_field=CharField()))
            .order_by("village_id", "name", "id"))


def figures(user, filters: Filters) -> dict:
    """Everything but the paged list of groups without a linkage (its count only)."""
    return {"level": level_for(root_for(user, filters.region)), "share": share_linked(user, filters),
            "credit": credit_per_province(user, filters), "top_partners": top_partners(user, filters),
            "status_counts": status_counts(user, filters),
            "unlinked_groups": unlinked_groups(user, filters).count()}
