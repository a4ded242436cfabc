"""Reads for training pages and the API, each limited to the caller's scope (core.scope).

Officers see the cohorts of their region; a trainer sees the cohorts they teach and a TKS
the cohort they train in (the models' `owned_by`). Curricula are programme facts that
every officer reads.
"""

from django.db.models import Count, Q
from django.http import Http404

from sukarela.core.permissions import is_officer
from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.training.models import (Certificate, Cohort, CohortModule, Curriculum, Participant, ParticipantStatus, Session,
                                      Venue)


def curricula_for(user):
    if not is_officer(user):
        return Curriculum.objects.none()
    return Curriculum.objects.annotate(n_modules=Count("modules"))


def curriculum_for(user, pk) -> Curriculum:
    try:
        return curricula_for(user).get(pk=pk)
    except (Curriculum.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def venues_for(user):
    return scoped(user, Venue.objects.select_related("region"))


def venue_for(user, pk) -> Venue:
    return get_scoped_or_404(user, Venue.objects.select_related("region"), pk=pk)


def cohorts_for(user):
    return scoped(user, Cohort.objects.select_related("region", "campaign", "venue")).annotate(
        n_participants=Count("participants", filter=~Q(participants__status=ParticipantStatus.DROPPED),
                             distinct=True))


def cohort_for(user, pk) -> Cohort:
    return get_scoped_or_404(user, Cohort.objects.select_related("region", "campaign", "curriculum", "venue"), pk=pk)


def cohort_module_for(user, pk) -> CohortModule:
    return get_scoped_or_404(user, CohortModule.objects.select_related("cohort"), pk=pk)


def sessions_for(user, cohort: Cohort):
    return scoped(user, cohort.sessions.select_related("module", "trainer", "venue"))


def sessions_on(user, day):
    """The sessions of a day the user may see: a trainer's own, an officer's region's, a TKS's cohort's."""
    return scoped(user, Session.objects.filter(date=day).select_related("cohort", "module", "venue"))


def session_for(user, pk) -> Session:
    return get_scoped_or_404(user, Session.objects.select_related("cohort", "module", "trainer", "venue"), pk=pk)


def participants_for(user, cohort: Cohort):
    return scoped(user, cohort.participants.select_related("volunteer"))


def participant_for(user, pk) -> Participant:
    """Officers in scope, the TKS themself, and the cohort's trainers."""
    return get_scoped_or_404(user, Participant.objects.select_related("cohort", "cohort__region", "volunteer"), pk=pk)


def my_participations(user):
    """A TKS's own trainings (current and past)."""
    return Participant.objects.filter(volunteer=user).select_related("cohort").order_by("-enrolled_at")


def certificates_for(user, cohort: Cohort):
    return scoped(user, Certificate.objects.filter(participant__cohort=cohort).select_related("participant__volunteer"))


def certificate_for(user, pk) -> Certificate:
    return get_scoped_or_404(user, Certificate.objects.select_related("participant__cohort"), pk=pk)


def graduates():
    """Graduated TKS with an active account and a certificate in force: the mentors the matching
    stage may post (one whose certificates were all revoked is not, until one is re-issued)."""
    in_force = Certificate.objects.filter(revoked_at__isnull=True).values("participant")
    return (Participant.objects.filter(status=ParticipantStatus.GRADUATED, volunteer__is_active=True,
                                       pk__in=in_force)
            .select_related("volunteer", "volunteer__region", "cohort"))


def graduates_for(user):
    return scoped(user, graduates())
