"""The monthly run: refresh the aggregates, then build the PDF and XLSX report of one month for
the nation, every province and every regency that has groups (`sukarela monthly-reports`, and
the scheduler beside `sukarela serve`). Reports already built after their month ended are skipped
unless forced; one built while its month was still running (an officer's mid-month report) is
partial and built again (reports/due.py `is_final`).

The regencies go first and the nation last: the national report is what the scheduler looks for
to know the month is done, so a run cut short is finished by the next one."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from sukarela.core import audit
from sukarela.groups.models import Group
from sukarela.monitoring.models import NATIONAL, Report, ReportFormat, ReportState
from sukarela.monitoring.reports.due import is_final, month_after
from sukarela.monitoring.services import refresh as refresh_service
from sukarela.monitoring.services import reports as service
from sukarela.regions.models import Level, Region

FORMATS = (ReportFormat.PDF, ReportFormat.XLSX)


@dataclass
class MonthlyResult:
    month: dt.date
    built: int = 0
    skipped: int = 0
    failed: list = field(default_factory=list)  # [(region code, format, error)]


def monthly_regions() -> list[str]:
    """Regencies with groups, then every active province, then the nation ("")."""
    regencies = {village[:5] for village in Group.objects.values_list("village_id", flat=True).distinct()}
    provinces = Region.objects.filter(level=Level.PROVINCE, active=True).values_list("code", flat=True)
    return sorted(regencies) + sorted(provinces) + [NATIONAL]


def final_from(month: dt.date) -> dt.datetime:
    """The moment `month`'s reports become final: midnight starting the next month, local time."""
    return timezone.make_aware(dt.datetime.combine(month_after(month), dt.time()))


def national_done(month: dt.date) -> bool:
    """Whether every format of the month's national report is built after the month ended."""
    done = Report.objects.filter(region__isnull=True, month=month, state=ReportState.DONE,
                                 built_at__gte=final_from(month)).exclude(path="")
    return done.count() >= len(FORMATS)


def run_monthly(month: dt.date, *, regions: list[str] | None = None, force: bool = False, refresh: bool = True,
                progress=None) -> MonthlyResult:
    """Build `month`'s reports; `progress(code, fmt, done, total, outcome)` after each one."""
    if refresh:
        refresh_service.refresh()
    codes = monthly_regions() if regions is None else list(regions)
    result = MonthlyResult(month)
    total = len(codes) * len(FORMATS)
    for code in codes:
        for fmt in FORMATS:
            outcome = _one(code, month, fmt, force, result)
            if progress:
                progress(code, fmt, result.built + result.skipped + len(result.failed), total, outcome)
    return result


def _one(code: str, month: dt.date, fmt: str, force: bool, result: MonthlyResult) -> str:
    existing = service.existing(code, month, fmt)
    if (existing is not None and existing.state == ReportState.DONE and not force
            and is_final(month, existing.built_at and timezone.localtime(existing.built_at))):
        result.skipped += 1
        return "skipped"
    with transaction.atomic():
        report, queued = service.queue(code, month, fmt, scheduled=True)
        if queued:
            audit.record(None, "report_scheduled", report, {
                "region": [None, code or "ID"], "month": [None, f"{month:%Y-%m}"], "format": [None, fmt]})
    if not queued:  # someone's build of it is under way
        result.skipped += 1
        return "skipped"
    report = service.build(report)
    if report.state == ReportState.DONE:
        result.built += 1
        return "built"
    result.failed.append((code, fmt, report.error))
    return "failed"
