"""Alumni fixtures: a cohort per side (Kab. Bogor 32.01 "in", Kab. Sukabumi 32.02 "out"), TKS who
graduated from it, and alumni records made directly (the rules that make them are tested through
the services in test_records.py)."""

import datetime as dt
import itertools
import re

from django.core import mail
from django.db import transaction
from django.test import TestCase

from sukarela.alumni.models import AlumniRecord, Survey
from sukarela.alumni.services import surveys
from sukarela.core.roles import Role
from sukarela.training.models import Participant, ParticipantStatus
from tests.assignments.conftest import make_curriculum
from tests.conftest import make_user
from tests.recruitment.conftest import make_campaign
from tests.training.conftest import make_cohort

ENDED = dt.date(2026, 1, 31)  # a month end: the 6-month survey is due on 31 Jul, the 12-month on 31 Jan
_n = itertools.count(1)


def cohort_of(world, where="in"):
    """One cohort per side per test, made once and kept on `world`."""
    key = f"alumni_cohort_{where}"
    if not hasattr(world, key):
        world.campaign = getattr(world, "campaign", None) or make_campaign(world)
        setattr(world, key, make_cohort(world, make_curriculum(world), world.campaign, where,
                                        name=f"Angkatan Alumni {where} {next(_n)}"))
    return getattr(world, key)


def graduated_tks(world, where="in", *, email=True, name=None):
    """A TKS of the side's village who graduated from the side's cohort."""
    village = world.village_in if where == "in" else world.village_out
    n = next(_n)
    tks = make_user(f"alumni-{n}", Role.TKS, village.code, full_name=name or f"Alumnus Rahasia {n}",
                    email=f"alumnus{n}@contoh.id" if email else "", phone=f"+62812000{n:05d}")
    Participant.objects.create(cohort=cohort_of(world, where), volunteer=tks, status=ParticipantStatus.GRADUATED,
                               graduated_at=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc))
    return tks


def alumnus(world, where="in", *, ended=ENDED, **kw) -> AlumniRecord:
    tks = graduated_tks(world, where, **kw)
    return AlumniRecord.objects.create(tks=tks, cohort=cohort_of(world, where), posting_ended_on=ended)


def token_in(message) -> str:
    """The private token of the survey link in a sent mail."""
    found = re.search(r"/alumni/survei/([A-Za-z0-9_-]+)/", message.body)
    assert found, message.body
    return found.group(1)


def sent_survey(record, wave=6, *, answered=False):
    """A survey of `record` sent through the service; returns (survey, the token from its mail)."""
    survey = Survey.objects.create(alumni=record, wave=wave, due_on=surveys.due_on(record.posting_ended_on, wave))
    # The mail goes out on commit: run the callbacks the test's own transaction holds back.
    with TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            delivery = surveys._send(None, Survey.objects.select_related("alumni__tks").get(pk=survey.pk),
                                     "send_survey")
    assert delivery.ok is True
    token = token_in(mail.outbox[-1])
    survey.refresh_from_db()
    if answered:
        surveys.answer(survey, status="studi", organisation="Universitas Terbuka")
        survey.refresh_from_db()
    return survey, token
