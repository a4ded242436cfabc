"""Reads of alumni data, limited to what the user may see (core.scope): officers their region's
alumni (by the TKS's region), a TKS their own record, everyone else nothing. The public survey
form reads its survey by the link's token only."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404

from sukarela.alumni.models import AlumniRecord, Outcome, Survey
from sukarela.alumni.services.surveys import digest_of
from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.regions.models import subtree_q
from sukarela.training.models import Cohort


def _latest(field: str):
    return Subquery(Outcome.objects.filter(alumni=OuterRef("pk")).order_by("-as_of", "-id").values(field)[:1])


def alumni_for(user, *, cohort: int | None = None, status: str = "", region: str = ""):
    """Alumni in scope, each with its latest outcome's status and date (latest_status, latest_as_of)."""
    qs = (AlumniRecord.objects.select_related("tks", "tks__region", "cohort")
          .annotate(latest_status=_latest("status"), latest_as_of=_latest("as_of")))
    if cohort:
        qs = qs.filter(cohort_id=cohort)
    if status == "none":
        qs = qs.filter(latest_status__isnull=True)
    elif status:
        qs = qs.filter(latest_status=status)
    if region:
        qs = qs.filter(subtree_q("tks__region__code", region.strip()))
    return scoped(user, qs)


def alumni_detail(user, pk) -> AlumniRecord:
    return get_scoped_or_404(user, AlumniRecord.objects.select_related("tks", "tks__region", "cohort")
                             .annotate(latest_status=_latest("status"), latest_as_of=_latest("as_of")), pk=pk)


def outcomes_of(record: AlumniRecord):
    return record.outcomes.select_related("recorded_by").order_by("as_of", "id")


def surveys_of(record: AlumniRecord):
    return record.surveys.select_related("outcome").order_by("wave")


def survey_for(user, record: AlumniRecord, pk) -> Survey:
    return get_scoped_or_404(user, Survey.objects.select_related("alumni__tks"), pk=pk, alumni=record)


def cohort_choices(user) -> list[tuple[int, str]]:
    """The cohorts the user's alumni come from (for the list's filter)."""
    ids = alumni_for(user).exclude(cohort=None).values("cohort")
    return list(Cohort.objects.filter(pk__in=ids).order_by("-starts_on", "name").values_list("pk", "name"))


def survey_by_token(token: str) -> Survey:
    """The survey a private link names; 404 for anything unknown (including a re-sent survey's old
    link, whose digest was replaced)."""
    if not token or len(token) > 100 or "\x00" in token:
        raise Http404
    survey = Survey.objects.select_related("alumni").filter(token_digest=digest_of(token)).first()
    if survey is None:
        raise Http404
    return survey


@dataclass
class Rate:
    cohort_id: int | None
    cohort: str
    sent: int
    answered: int

    @property
    def rate(self) -> float | None:
        """Answered per sent, in percent (one decimal); None before anything was sent."""
        return round(100 * self.answered / self.sent, 1) if self.sent else None


def response_rates(user, wave: int | None = None) -> tuple[list[Rate], Rate]:
    """Per cohort of the alumni in scope: surveys sent, answered, and the rate; plus the total.
    Alumni without a cohort (recorded by hand) form one row of their own, cohort None."""
    qs = scoped(user, Survey.objects.all())
    if wave:
        qs = qs.filter(wave=wave)
    rows = (qs.values("alumni__cohort", "alumni__cohort__name")
            .annotate(sent=Count("id", filter=Q(sent_at__isnull=False)),
                      answered=Count("id", filter=Q(answered_at__isnull=False)))
            .order_by("alumni__cohort__name", "alumni__cohort"))
    out = [Rate(r["alumni__cohort"], r["alumni__cohort__name"] or "", r["sent"], r["answered"]) for r in rows]
    total = Rate(None, "", sum(r.sent for r in out), sum(r.answered for r in out))
    return out, total
