"""Reads of visits, limited to the caller's scope (core.scope): officers by region, a TKS their own
visits, a group chair the visits to their group. Field-app reads are in field.py, the review's in
review.py, the automatic flags in flags.py."""

from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.mentoring.models import Visit


def visits_for(user):
    return scoped(user, Visit.objects.select_related("tks", "group", "group__village"))


def visit_for(user, pk) -> Visit:
    return get_scoped_or_404(user, Visit.objects.select_related("tks", "group", "group__village"), pk=pk)
