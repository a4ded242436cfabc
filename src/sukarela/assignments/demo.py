"""Demo programme, assignments: every finished cohort's graduates matched to the active groups of
its region (Jawa Barat, Nusa Tenggara Barat) and published, so postings exist in two provinces;
each mentor has one or two sector skills. Idempotent: a cohort with a published run is skipped."""

from random import Random

from django.core.exceptions import ValidationError

from sukarela.assignments.models import MatchRun, MentorProfile, RunStatus
from sukarela.assignments.services import matching, publishing
from sukarela.groups.models import Sector
from sukarela.training.models import Cohort


def build(ctx) -> None:
    sectors = list(Sector.objects.order_by("code"))
    if ctx.system is None or not sectors:
        return
    for cohort in Cohort.objects.order_by("id"):
        mentors = matching.mentors_of(cohort)
        if not mentors or MatchRun.objects.filter(cohort=cohort, status=RunStatus.PUBLISHED).exists():
            continue
        rng = Random(cohort.pk)
        for mentor in mentors:
            if not MentorProfile.objects.filter(user=mentor).exists():
                matching.set_profile(ctx.system, mentor, sectors=rng.sample(sectors, k=rng.choice([1, 2])))
        try:
            run = matching.run(ctx.system, cohort, max_km=60)
            changes = publishing.publish(ctx.system, run)
        except ValidationError as exc:
            ctx.out.write(f"  {cohort}: {' '.join(exc.messages)}")
            continue
        ctx.out.write(f"  penugasan {cohort}: {run.summary['covered']}/{run.summary['groups']} kelompok, "
                      f"{len(changes.added)} penugasan baru")
