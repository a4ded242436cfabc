"""Reads for the group pages and the API, each limited to the caller's scope (core.scope):
officers see the groups of their region, a group chair their own group."""

from django.db.models import Count, F, Prefetch, Q

from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.groups.models import Group, Member, Sector
from sukarela.regions.models import Level, Region, subtree_q

FILTERS = ("q", "sector", "status", "tier", "region")


def sectors():
    return Sector.objects.all()


def groups_for(user, *, q: str = "", sector: str = "", status: str = "", tier: str = "", region: str = ""):
    qs = scoped(user, Group.objects.select_related("sector", "village"))
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if sector:
        qs = qs.filter(sector_id=sector)
    if status:
        qs = qs.filter(status=status)
    if tier:
        qs = qs.filter(tier=tier)
    if region:
        qs = qs.filter(subtree_q("village__code", region.strip()))
    # Group.owned_by filters by subqueries, so the count sees every member and each group is one row.
    return qs.annotate(n_members=Count("members", filter=Q(members__active=True), distinct=True))


def group_for(user, pk) -> Group:
    qs = Group.objects.select_related("sector", "village", "village__parent", "village__parent__parent")
    return get_scoped_or_404(user, qs.distinct(), pk=pk)


def group_with_members(user, pk) -> Group:
    """One group with its members (active first, chair on top) for the detail page and the API."""
    members = Member.objects.select_related("chair_account").order_by("-active", "-is_chair", "full_name", "id")
    qs = (Group.objects.select_related("sector", "village", "village__parent", "village__parent__parent")
          .prefetch_related(Prefetch("members", queryset=members)))
    return get_scoped_or_404(user, qs.distinct(), pk=pk)


def postings_of(group: Group) -> list:
    """Who mentored the group when, the current posting (open-ended) first. The caller has already
    read `group` through the scope, so whoever sees the group sees its mentors."""
    # assignments depends on groups: its model is imported here, when asked, not at import time.
    from sukarela.assignments.models import Posting

    return list(Posting.objects.filter(group=group).select_related("mentor")
                .order_by(F("ends_on").desc(nulls_first=True), "-starts_on", "-id"))


def member_for(user, pk) -> Member:
    return get_scoped_or_404(user, Member.objects.select_related("group", "group__village").distinct(), pk=pk)


def first_village(user) -> str:
    """A village inside the officer's region, for the import template's example rows."""
    qs = Region.objects.filter(level=Level.VILLAGE, active=True)
    if user.scope_code:
        qs = qs.filter(code__startswith=user.scope_code + ".")
    return qs.order_by("code").values_list("code", flat=True).first() or ""

