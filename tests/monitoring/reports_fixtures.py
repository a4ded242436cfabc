"""Helpers of the monthly report tests: a report row (with its file when done) made directly, and a
small programme whose figures are counted by hand: in Kab. Bogor (32.01) two groups mentored by one
TKS, in Kab. Sukabumi (32.02) one group mentored by another; visits in the report month and the
month before it."""

import datetime as dt
import uuid
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone

from sukarela.engines.indicators import add_months
from sukarela.mentoring.models import Visit
from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.services import reports as service
from tests.mentoring.conftest import field_group, post

MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember")


def last_month() -> dt.date:
    return add_months(timezone.localdate().replace(day=1), -1)


def month_words(month: dt.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def make_report(code: str, *, month: dt.date | None = None, fmt: str = "pdf", state=ReportState.DONE,
                body: bytes = b"%PDF-1.4 test") -> Report:
    month = month or last_month()
    report = Report.objects.create(region_id=code or None, month=month, fmt=fmt, state=state)
    if state == ReportState.DONE:
        relative = service.relative_path(code, month, fmt)
        file = Path(settings.MEDIA_ROOT, relative)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(body)
        Report.objects.filter(pk=report.pk).update(path=relative, size=len(body), built_at=timezone.now())
        report.refresh_from_db()
    return report


def tmp_media(settings, tmp_path):
    """Reports written under the test's own folder (each test module's `media` fixture calls this)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def visit(group, tks, day: dt.date, kind: str = "kunjungan") -> Visit:
    started = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    return Visit.objects.create(id=uuid.uuid4(), tks=tks, group=group, kind=kind, started_at=started,
                                duration_minutes=60, roles=["motivator"], tasks=["usaha"], digest="0" * 64)


def programme(world) -> SimpleNamespace:
    """Groups, postings and visits: in the report month (last month) Bogor's groups have 2 + 1 visits
    and Sukabumi's group 4; in the month before, one of Bogor's groups had 1 visit."""
    month = last_month()
    before = add_months(month, -1)
    started = add_months(month, -3)
    bogor = [field_group(world, members=0), field_group(world, members=0)]
    sukabumi = field_group(world, "out", members=0)
    for g in bogor:
        post(g, world.tks_in, starts_on=started)
    post(sukabumi, world.tks_out, starts_on=started)
    for day in (5, 20):
        visit(bogor[0], world.tks_in, month.replace(day=day))
    visit(bogor[1], world.tks_in, month.replace(day=12))
    visit(bogor[0], world.tks_in, before.replace(day=15))
    for day in (3, 9, 16, 23):
        visit(sukabumi, world.tks_out, month.replace(day=day))
    return SimpleNamespace(month=month, before=before, bogor=bogor, sukabumi=sukabumi)
