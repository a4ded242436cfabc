"""The alumni demo on the test slice: records by hand, surveys sent by the replayed weekly job,
answers and officers' outcomes; a second build adds nothing."""

import io
from random import Random
from types import SimpleNamespace

from sukarela.alumni import demo
from sukarela.alumni.models import AlumniRecord, Outcome, Source, Survey
from sukarela.core.models import AuditEvent


def test_demo_holds_alumni_with_survey_answers(world):
    ctx = SimpleNamespace(rng=Random(1), out=io.StringIO(), system=world.national, logins=[],
                          password="pw-for-tests-only")
    demo.build(ctx)
    records = AlumniRecord.objects.all()
    assert records.count() == demo.PER_DISTRICT  # only Kab. Bogor (32.01) has an officer in the test slice
    assert all(code.startswith("32.01.") for code in records.values_list("tks__region__code", flat=True))
    assert set(Survey.objects.values_list("wave", flat=True)) == {6, 12}
    assert Survey.objects.filter(answered_at__isnull=False).exists()
    assert Survey.objects.filter(sent_at__isnull=False, answered_at__isnull=True).exists()
    assert Survey.objects.filter(sent_at__isnull=True).exists()  # the alumnus without an e-mail address
    assert Outcome.objects.filter(source=Source.SURVEY).count() == Survey.objects.filter(
        answered_at__isnull=False).count()
    assert Outcome.objects.filter(source=Source.OFFICER).exists()
    assert "alumni: 8 records" in ctx.out.getvalue()
    before = (AlumniRecord.objects.count(), Survey.objects.count(), Outcome.objects.count(), AuditEvent.objects.count())
    demo.build(ctx)
    assert before == (AlumniRecord.objects.count(), Survey.objects.count(), Outcome.objects.count(),
                      AuditEvent.objects.count())
