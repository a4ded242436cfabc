"""The mentoring demo on a small programme (two TKS, three posted groups): months of visits with
indicator snapshots, every review status, postings dated back to the history's start, flags
consistent with the rules; a second build adds nothing."""

import datetime as dt
import io
from random import Random
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone

from sukarela.assignments.models import Posting
from sukarela.core.models import AuditEvent
from sukarela.engines import visit_rules
from sukarela.groups.models import IndicatorSnapshot
from sukarela.mentoring import demo
from sukarela.mentoring.models import FollowUp, ReviewStatus, Visit


def _counts():
    return (Visit.objects.count(), IndicatorSnapshot.objects.count(), FollowUp.objects.count(),
            AuditEvent.objects.count())


def test_demo_holds_months_of_visits_with_indicators_and_every_status(field_world):
    ctx = SimpleNamespace(rng=Random(1), out=io.StringIO(), system=field_world.national, logins=[])
    demo.build(ctx)
    today = timezone.localdate()
    visits = list(Visit.objects.select_related("group", "indicators"))
    days = sorted(timezone.localdate(v.started_at) for v in visits)
    assert len(visits) >= 20
    assert days[0] <= today - dt.timedelta(days=120) and days[-1] >= today - dt.timedelta(days=21)
    assert {timezone.localdate(v.started_at).strftime("%Y-%m") for v in visits} >= {
        (today - dt.timedelta(days=30 * k)).strftime("%Y-%m") for k in range(1, 5)}
    assert set(v.status for v in visits) == set(ReviewStatus.values)
    assert all(v.review_comment for v in visits if v.status == ReviewStatus.RETURNED)
    # Every posted group has monthly indicator snapshots over at least four months.
    for group in [*field_world.groups, field_world.other_group]:
        months = {s.recorded_on.strftime("%Y-%m") for s in IndicatorSnapshot.objects.filter(group=group)}
        assert len(months) >= 4, (group, months)
    assert any(v.indicators_id for v in visits) and FollowUp.objects.exists()
    # Postings are dated back to the history; every visit falls inside its TKS's posting.
    for posting in Posting.objects.filter(ends_on__isnull=True):
        first = min(timezone.localdate(v.started_at) for v in visits if v.group_id == posting.group_id)
        assert posting.starts_on <= first
    # Flags agree with the rules the API applies.
    for v in visits:
        far = visit_rules.is_far(v.km_from_group, v.accuracy_m, float(settings.SUKARELA_FIELD["far_km"]))
        assert ("jauh" in v.flags) == far, v
    before = _counts()
    demo.build(ctx)
    assert _counts() == before
