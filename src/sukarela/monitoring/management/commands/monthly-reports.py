"""`sukarela monthly-reports [--month YYYY-MM] [--region CODE] [--force]`: refresh the aggregates,
then build the PDF and XLSX report of the month (default: the previous month) for the nation,
every province and every regency that has groups; reports already built are skipped unless
--force. One line per report, then a summary; exit status 1 when a report failed."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sukarela.monitoring.models import NATIONAL
from sukarela.monitoring.reports.due import report_month
from sukarela.monitoring.services import report_schedule
from sukarela.monitoring.services.reports import REGION_CODE, parse_month
from sukarela.regions.models import Level, Region

NATION_NAMES = {"", "id", "nasional", "national"}


class Command(BaseCommand):
    help = "Build the monthly programme reports (PDF and XLSX) of a month for every region."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM (default: the previous month)")
        parser.add_argument("--region", default=None,
                            help='only this region: "ID" the nation, a province (32) or a regency (32.01)')
        parser.add_argument("--force", action="store_true", help="build again the reports already built")

    def handle(self, *args, month="", region=None, force=False, **options):
        now = timezone.localtime()
        try:
            chosen = parse_month(month, now.date()) if month else report_month(now)
        except ValueError as exc:
            raise CommandError(f"--month: {exc}") from None
        regions = None if region is None else [self._region(region)]
        started = time.monotonic()

        def progress(code, fmt, done, total, outcome):
            self.stdout.write(f"[{done}/{total}] {code or 'ID'} {fmt}: {outcome}")

        self.stdout.write(f"monthly reports {chosen:%Y-%m}: refreshing the aggregates first")
        result = report_schedule.run_monthly(chosen, regions=regions, force=force, progress=progress)
        for code, fmt, error in result.failed:
            self.stderr.write(f"failed: {code or 'ID'} {fmt}: {error}")
        self.stdout.write(f"monthly reports {chosen:%Y-%m}: {result.built} built, {result.skipped} skipped "
                          f"(already built), {len(result.failed)} failed, {time.monotonic() - started:.1f} s")
        if result.failed:
            raise CommandError(f"{len(result.failed)} report(s) failed")

    def _region(self, value: str) -> str:
        code = value.strip()
        if code.lower() in NATION_NAMES:
            return NATIONAL
        if not REGION_CODE.match(code) or not Region.objects.filter(
                code=code, level__in=(Level.PROVINCE, Level.REGENCY)).exists():
            raise CommandError(f"--region: {value!r} is not a province or regency code (or ID for the nation)")
        return code
