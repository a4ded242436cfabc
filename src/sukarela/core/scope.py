"""Region scope: the one place that decides which rows a user may see.

Every selector that reads scoped data ends in `scoped(user, queryset)`, and every
single-object read in `get_scoped_or_404`. A model opts in by naming the path to
its region (`scope_region_path = "region"` or e.g. "group__village"); field roles
(TKS, group chair, partner, applicant) see only what the model's
`owned_by(user)` returns (a Q), and nothing when the model has no such hook.
Out-of-scope objects are simply absent: lists, searches and counts never see
them, and a direct request answers 404, not 403.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from sukarela.core.roles import Role
from sukarela.regions.models import subtree_q, within


def region_q(user, path: str) -> Q | None:
    """The filter for an officer's scope on `path`; None means no limit (national)."""
    code = getattr(user, "scope_code", None)
    if code == "":
        return None
    if not code:
        return Q(pk__in=[])
    return subtree_q(f"{path}__code", code)


def scoped(user, qs: QuerySet) -> QuerySet:
    """`qs` limited to what `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    model = qs.model
    if user.role in (Role.NATIONAL, Role.PROVINCIAL, Role.DISTRICT):
        q = region_q(user, model.scope_region_path)
        return qs if q is None else qs.filter(q)
    owned_by = getattr(model, "owned_by", None)
    return qs.filter(owned_by(user)) if owned_by else qs.none()


def get_scoped_or_404(user, qs: QuerySet, **lookup):
    try:
        return scoped(user, qs).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def in_scope(user, region_code: str | None) -> bool:
    """Whether a region code lies inside an officer's scope (for writes)."""
    code = getattr(user, "scope_code", None)
    if code == "":
        return True
    if not code or not region_code:
        return False
    return within(region_code, code)
