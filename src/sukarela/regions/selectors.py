"""Reads of the region tree. Regions are public reference data: no user scope applies."""

from django.db.models import QuerySet

from sukarela.regions.models import Region


def active() -> QuerySet[Region]:
    return Region.objects.filter(active=True)


def get(code: str) -> Region | None:
    return active().filter(code=code.strip()).first()


def children(parent_code: str | None) -> QuerySet[Region]:
    if parent_code:
        return active().filter(parent_id=parent_code)
    return active().filter(level=1)


def chain(code: str) -> list[Region]:
    """The region and its ancestors, province first."""
    region = Region(code=code)
    by_code = {r.code: r for r in Region.objects.filter(code__in=region.ancestor_codes)}
    return [by_code[c] for c in region.ancestor_codes if c in by_code]


def search(query: str, *, root: str = "", max_level: int = 4, limit: int = 20) -> list[Region]:
    """Regions whose name contains `query` (or whose code starts with it), shallow levels first."""
    query = query.strip()
    if len(query) < 2:
        return []
    qs = active().filter(level__lte=max_level)
    if root:
        qs = qs.filter(code__startswith=root + ".")
    if query.replace(".", "").isdigit():
        qs = qs.filter(code__startswith=query)
    else:
        qs = qs.filter(name__icontains=query)
    return list(qs.select_related("parent__parent").order_by("level", "name")[:limit])
