"""Reads for assignment pages and the API, limited to the caller's scope (core.scope)."""

from django.db.models import Count, Q

from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.training.models import Cohort, ParticipantStatus
from sukarela.assignments.models import MatchRun, Posting, Proposal, Rule


def cohorts_with_graduates(user):
    return scoped(user, Cohort.objects.select_related("region")).annotate(
        n_graduates=Count("participants", filter=Q(participants__status=ParticipantStatus.GRADUATED), distinct=True)
    ).filter(n_graduates__gt=0)


def runs_for(user):
    return scoped(user, MatchRun.objects.select_related("cohort", "region", "created_by"))


def run_for(user, pk) -> MatchRun:
    return get_scoped_or_404(user, MatchRun.objects.select_related("cohort", "region"), pk=pk)


def proposals_for(user, run: MatchRun):
    return scoped(user, Proposal.objects.filter(run=run).select_related(
        "group", "group__village", "group__sector", "mentor"))


def rules_for(user, cohort: Cohort):
    return scoped(user, Rule.objects.filter(cohort=cohort).select_related("group", "mentor"))


def rule_for(user, pk) -> Rule:
    return get_scoped_or_404(user, Rule.objects.select_related("cohort"), pk=pk)


def postings_for(user, *, current_only: bool = False):
    qs = scoped(user, Posting.objects.select_related("group", "group__village", "mentor"))
    return qs.filter(ends_on__isnull=True) if current_only else qs
