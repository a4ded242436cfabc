"""`sukarela refresh-monitoring [--full] [--today D]`: bring the dashboards' precomputed figures up
to date (services/refresh.py). Run it often (cron or a systemd timer, e.g. every 15 minutes): an
incremental run reads only what changed since the last one; --full recomputes everything."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sukarela.core.progress import ProgressPrinter
from sukarela.monitoring.services.refresh import refresh


class Command(BaseCommand):
    help = "Refresh the monitoring figures (incremental; --full recomputes every month)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="recompute every group month and region month")
        parser.add_argument("--today", type=str, help="the day to count as today (YYYY-MM-DD); default: today")

    def handle(self, *args, **o):
        today = None
        if o["today"]:
            try:
                today = dt.date.fromisoformat(o["today"])
            except ValueError:
                raise CommandError(f"--today: not a date (YYYY-MM-DD): {o['today']!r}") from None
        printer = ProgressPrinter(self.stdout, "refresh")
        result = refresh(full=o["full"], today=today, progress=printer)
        printer.finish()
        kind = "full" if o["full"] else "incremental"
        self.stdout.write(f"{kind} refresh in {result.seconds:.1f} s: {result.groups:,} group months rebuilt, "
                          f"{result.months:,} months recounted, {result.regions:,} region months written")
