"""The monthly run: refresh the aggregates, then build the PDF and XLSX report of one month for
the nation, every province and every regency that has groups (`sukarela monthly-reports`, and
the scheduler beside `sukarela serve`). Reports already built are skipped unless forced.

The regencies go first and the nation last: the national report is what the scheduler looks for
to know the month is done, so a run cut short is finished by the next one."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from sukarela.core import audit
from sukarela.groups.models import Group
from sukarela.monitoring.models import NATIONAL, Report, ReportFormat, ReportState
from sukarela.monitoring.reports.due import report_month
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


def national_done(month: dt.date) -> bool:
    """Whether every format of the month's national report is built."""
    done = Report.objects.filter(region__isnull=True, month=month, state=ReportState.DONE).exclude(path="")
    return done.count() >= len(FORMATS)


def default_month(now: dt.datetime) -> dt.date:
    return report_month(now)


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
    if existing is not None and existing.state == ReportState.DONE and not force:
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
