"""Reads of linkages, limited to what the caller may see: officers the linkages whose group's
village or centre's region lies in their scope; a TKS those they brokered or of the groups they
mentor (Linkage.owned_by); everyone else none. Out of view answers 404 and never shows in a list
or a count.

Also who may write (`may_change`, the services' own guard uses the same rule), which partners a
linkage may name (`partner_choices`), which TKS may broker it (`broker_choices`), and the linkage
sections of the partner page (`partner_section`) and the group page (`group_section`)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from sukarela.assignments.models import Posting
from sukarela.core.models import User
from sukarela.core.permissions import is_officer
from sukarela.core.roles import Role
from sukarela.core.scope import in_scope
from sukarela.partners.models import Linkage, LinkageStatus, Partner, Reach
from sukarela.partners.selectors import partners_for
from sukarela.regions.models import subtree_q

SECTION_ROWS = 20
OPEN = (LinkageStatus.PROPOSED, LinkageStatus.CONTACTED, LinkageStatus.AGREED)


@dataclass
class LinkageFilters:
    status: str = ""
    purpose: str = ""
    partner_kind: str = ""
    region: str = ""
    broker: str = ""  # a TKS's username, or part of their name
    partner: int | None = None
    group: int | None = None
    centre: int | None = None


def visible_q(user) -> Q:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if is_officer(user):
        code = user.scope_code
        if code == "":
            return Q()
        if not code:
            return Q(pk__in=[])
        return subtree_q("group__village__code", code) | subtree_q("centre__region__code", code)
    if user.role == Role.TKS:
        return Linkage.owned_by(user)
    return Q(pk__in=[])


def linkages_for(user):
    return Linkage.objects.filter(visible_q(user)).select_related(
        "group", "group__village", "centre", "centre__region", "partner", "partner__kind", "broker")


def linkage_for(user, pk) -> Linkage:
    try:
        return linkages_for(user).get(pk=pk)
    except (Linkage.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def linkage_list(user, filters: LinkageFilters):
    qs = linkages_for(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.purpose:
        qs = qs.filter(purpose=filters.purpose)
    if filters.partner_kind:
        qs = qs.filter(partner__kind_id=filters.partner_kind)
    if filters.region:
        qs = qs.filter(subtree_q("group__village__code", filters.region) | subtree_q("centre__region__code",
                                                                                      filters.region))
    if filters.broker:
        text = " ".join(filters.broker.split())[:100]
        qs = qs.filter(Q(broker__username__iexact=text) | Q(broker__full_name__icontains=text))
    for name in ("partner", "group", "centre"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{f"{name}_id": value})
    return qs.order_by("-status_on", "-id")


def mentors(user, group_id) -> bool:
    """Whether `user` is the TKS posted to the group now."""
    return Posting.objects.filter(mentor=user, group_id=group_id, ends_on__isnull=True).exists()


def may_change(user, linkage: Linkage) -> bool:
    """Officers of the group's (or centre's) region; the TKS who mentors the group now."""
    region = linkage.group.village_id if linkage.group_id else linkage.centre.region_id
    if is_officer(user):
        return in_scope(user, region)
    return bool(getattr(user, "role", None) == Role.TKS and linkage.group_id and mentors(user, linkage.group_id))


def may_link_group(user, group) -> bool:
    if is_officer(user):
        return in_scope(user, group.village_id)
    return getattr(user, "role", None) == Role.TKS and mentors(user, group.pk)


def may_link_visit(user, visit) -> bool:
    """The review page's "create a linkage" button: officers of the group's region, the visit's TKS
    while they still mentor the group."""
    if is_officer(user):
        return in_scope(user, visit.group.village_id)
    return getattr(user, "role", None) == Role.TKS and visit.tks_id == user.pk and mentors(user, visit.group_id)


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def partners_serving(code: str):
    """Partners a linkage in region `code` may name, for a TKS (who sees no partner register):
    national and international ones, and those whose home or a served region covers `code`."""
    above = _ancestors(code)
    served = Partner.regions_served.through.objects.filter(region_id__in=above, partner_id=OuterRef("pk"))
    return Partner.objects.filter(Q(reach__in=[Reach.NATIONAL, Reach.INTERNATIONAL]) | Q(region_id__in=above)
                                  | Exists(served)).select_related("kind")


def partner_choices(user, region_code: str | None = None):
    """Active partners `user` may name: an officer's visible partners; a TKS's those serving the
    region of the group (or, with no group yet, the TKS's own region)."""
    if is_officer(user):
        return partners_for(user, active_only=True).order_by("name", "id")
    if getattr(user, "role", None) != Role.TKS:
        return Partner.objects.none()
    code = region_code or user.region_id
    return partners_serving(code).filter(active=True).order_by("name", "id") if code else Partner.objects.none()


def broker_choices(group=None):
    """The TKS who may broker a group's linkage: those posted to it (now or before)."""
    if group is None:
        return User.objects.none()
    return (User.objects.filter(role=Role.TKS, is_active=True,
                                pk__in=Posting.objects.filter(group=group).values("mentor"))
            .order_by("full_name", "id"))


def steps_of(linkage: Linkage) -> list:
    return list(linkage.steps.select_related("by").order_by("at", "id"))


def status_counts(qs) -> list[dict]:
    """[{status, label, n}] for every status, in pipeline order (zeros included)."""
    found = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return [{"status": value, "label": label, "n": found.get(value, 0)} for value, label in LinkageStatus.choices]


def _section(qs, **extra) -> dict:
    counts = status_counts(qs)
    return {"counts": counts, "total": sum(c["n"] for c in counts), "rows": list(qs[:SECTION_ROWS]), **extra}


def partner_section(user, partner: Partner) -> dict:
    """The partner page's linkages: those the caller sees, counted per status, the latest first."""
    return _section(linkage_list(user, LinkageFilters(partner=partner.pk)), partner=partner)


def group_section(user, group) -> dict | None:
    """The group page's linkages for officers and TKS (None for the group's chair: linkages are not
    theirs to read), with whether the caller may add one."""
    if not (is_officer(user) or getattr(user, "role", None) == Role.TKS):
        return None
    return _section(linkage_list(user, LinkageFilters(group=group.pk)), group=group,
                    may_create=may_link_group(user, group))


def centre_section(user, centre) -> dict:
    """The centre page's linkages; officers who may edit the centre may add one."""
    return _section(linkage_list(user, LinkageFilters(centre=centre.pk)), centre=centre,
                    may_create=is_officer(user) and in_scope(user, centre.region_id))
